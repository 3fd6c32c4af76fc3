/**
 * Secrets in a client config only as references: every string of every server is read for
 * `${input:id}` / `${env:NAME}` (VS Code) and `${VAR}` / `${VAR:-default}` (Claude Code) — each in
 * the syntax its client expands, a VS Code input declared as a password prompt — and for a
 * credential written inline, which is a fail shown only by its fingerprint. A gateway entry's
 * problems count for its host's matrix cell; another server's for every host of the file.
 */
import { pathText } from '../../formats/json.ts';
import type { Position } from '../../formats/positions.ts';
import { fingerprint, looksSecret } from '../kit/checks.ts';
import { isCredentialHeader, literalPart, matchHost, referencesIn, tryUrl, type Reference } from '../kit/client-shared.ts';
import { referenceAdvice } from './clients.ts';
import type { ClientFile } from './config-file.ts';

/** One string of a server entry, where it is. */
interface StringAt {
  value: string;
  /** Its keys inside the server entry, e.g. ['headers', 'Authorization']. */
  keys: (string | number)[];
  /** Its full path, for messages. */
  where: string;
  at: Position;
  /** The gateway host the entry points at, if it does. */
  host?: string;
}

export function checkReferences(file: ClientFile): void {
  const { check } = file;
  for (const [name, server] of Object.entries(file.servers)) {
    const serverPath = [check.spec.serversKey, name];
    const parsedUrl = typeof server.url === 'string' ? tryUrl(server.url) : undefined;
    const host = parsedUrl ? matchHost(parsedUrl, check.config.hosts, check.options.ports).host?.name : undefined;
    walkStrings(server, [], (value, keys) => {
      const jsonPath = [...serverPath, ...keys];
      const string: StringAt = { value, keys, where: pathText(jsonPath), at: file.pos(jsonPath), ...(host ? { host } : {}) };
      for (const reference of referencesIn(value)) checkReference(file, string, reference);
      checkInlineSecret(file, string);
    });
  }
}

/** A reference in the client's own syntax, to a declared password input, without a secret as its default. */
function checkReference(file: ClientFile, { keys, where, at, host }: StringAt, reference: Reference): void {
  const { spec, config } = file.check;
  const field = String(keys.at(-1) ?? '');
  const inHeaders = keys[0] === 'headers' && keys.length === 2;
  if (spec.client === 'vscode' && reference.kind === 'var') {
    file.note('fail', 'reference.unsupported',
      `${where} uses ${reference.text}, which VS Code does not expand (it would send the text as it is); use \${input:<id>} with a promptString input, or \${env:${reference.name}}`, at, host);
  } else if (spec.client === 'claude' && reference.kind !== 'var') {
    file.note('fail', 'reference.unsupported',
      `${where} uses ${reference.text}, which Claude Code does not expand (that is VS Code syntax); use \${VAR} or \${VAR:-default} and set VAR in the environment`, at, host);
  } else if (reference.kind === 'input') {
    const input = file.inputs.get(reference.name);
    if (!input) {
      file.note('fail', 'input.undeclared',
        `${where} uses \${input:${reference.name}} but "inputs" declares no id "${reference.name}"; add {"type": "promptString", "id": "${reference.name}", "description": "LiteLLM key", "password": true}`, at, host);
    } else if (input.type !== 'promptString' || !input.password) {
      file.note('fail', 'input.not-password',
        `input "${reference.name}" carries a secret but is not {"type": "promptString", "password": true}; set both so VS Code masks the key when it asks for it`, { line: input.line }, host);
    }
  }
  const fallback = reference.fallback;
  if (fallback && (isCredentialHeader(field) && inHeaders ? literalPart(fallback) : looksSecret(field, fallback))) {
    file.check.inlineSecret(fallback);
    file.note('fail', 'secret.inline',
      `${where} has an inline secret as the default of \${${reference.name}:-…} (fingerprint ${fingerprint(fallback, config.rootDir) ?? 'n/a'}); this file is committed. ` +
        `Drop the default (\${${reference.name}}), set ${reference.name} in the environment and rotate the key`, at, host);
  }
}

/** A credential written as it is: a credential header's literal part, or any value that looks like a secret. */
function checkInlineSecret(file: ClientFile, { value, keys, where, at, host }: StringAt): void {
  const { spec, config } = file.check;
  const field = String(keys.at(-1) ?? '');
  const inHeaders = keys[0] === 'headers' && keys.length === 2;
  const literal = literalPart(value);
  const inline = inHeaders && isCredentialHeader(field) ? literal : looksSecret(field, literal) ? literal : '';
  if (!inline) return;
  file.check.inlineSecret(inline);
  file.note('fail', 'secret.inline',
    `${where} holds an inline credential (fingerprint ${fingerprint(inline, config.rootDir) ?? 'n/a'}) instead of a reference; this file is committed. ` +
      `${capitalize(inHeaders ? spec.secretAdvice : referenceAdvice(spec, field))}, then rotate the key`, at, host);
}

/** Calls `visit` for every string leaf with the keys leading to it. */
function walkStrings(value: unknown, keys: (string | number)[], visit: (value: string, keys: (string | number)[]) => void): void {
  if (typeof value === 'string') visit(value, keys);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, [...keys, index], visit));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walkStrings(item, [...keys, key], visit);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
