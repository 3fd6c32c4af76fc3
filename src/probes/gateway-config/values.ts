/**
 * Every value of config.yaml, wherever it is: each `os.environ/NAME` must be defined in the
 * secrets files (that is what LiteLLM gets), non-empty, the whole value and not inside `args`;
 * and no value may be an inline secret (a known token format, a credential under a secret-looking
 * key, or the item after `--token` in a list).
 */
import type { Scalar, YAMLMap } from 'yaml';
import type { EnvEntry } from '../../secrets/env-files.ts';
import { CREDENTIAL_FLAG } from '../../secrets/secret-shapes.ts';
import { fingerprint, looksSecret } from '../kit/checks.ts';
import type { ConfigScan } from './config-scan.ts';
import type { EnvReference } from './facts.ts';
import { walkScalars } from './yaml-nodes.ts';

const ENV_REF = /os\.environ\/([A-Za-z_][A-Za-z0-9_]*)/g;

/** A command-line flag whose next argument is a credential: `--token`, `--api-key`, `--password`… */
const CREDENTIAL_FLAG_ALONE = new RegExp(`^${CREDENTIAL_FLAG}$`, 'i');

/** Where the master key is; ./master-key.ts checks it. */
export const MASTER_KEY_PATH = 'general_settings.master_key';

export function checkValues(root: YAMLMap, scan: ConfigScan): void {
  const definitions = new Map<string, EnvEntry>();
  for (const entry of scan.secrets) definitions.set(entry.key, entry); // last wins, as for LiteLLM's env_file
  // The item before each scalar of a list (`args`): `--token` then the token as the next item.
  const previousItem = new Map<string, string>();
  walkScalars(root, [], (node, keys) => {
    const list = keys.slice(0, -1).join('.');
    const previous = previousItem.get(list);
    if (typeof node.value === 'string' && typeof keys.at(-1) === 'number') previousItem.set(list, node.value);
    if (typeof node.value !== 'string') return;
    const refs = [...node.value.matchAll(ENV_REF)];
    for (const match of refs) checkReference(node as Scalar<string>, keys, match, definitions, scan);
    if (refs.length || keys.join('.') === MASTER_KEY_PATH || !node.value) return;
    checkInlineSecret(node as Scalar<string>, keys, previous, scan);
  });
}

/** One `os.environ/NAME` in a value: recorded, and checked against the secrets files. */
function checkReference(node: Scalar<string>, keys: (string | number)[], match: RegExpMatchArray, definitions: Map<string, EnvEntry>, scan: ConfigScan): void {
  const { facts, findings } = scan;
  const where = keys.join('.');
  const line = scan.lineOf(node);
  const name = match[1]!;
  const definition = definitions.get(name);
  const reference: EnvReference = { name, path: where, file: scan.shown, line, defined: !!definition };
  if (definition) {
    reference.empty = definition.value === '';
    reference.source = `${scan.show(definition.file)}:${definition.line}`;
  }
  facts.envRefs.push(reference);
  if (!definition) {
    const files = facts.secretsFiles.map((f) => (f.exists ? f.file : `${f.file} (missing)`)).join(', ');
    findings.fail(
      'env.undefined',
      `${where}: os.environ/${name} is not defined in any secrets file (${files || 'no secretsFiles configured in proofbook.config.yaml'}); ` +
        `LiteLLM would get nothing. Add ${name}=<value> to one of them and restart LiteLLM`,
      line,
    );
  } else if (definition.value === '') {
    findings.warn('env.empty', `${where}: os.environ/${name} is defined but empty at ${reference.source}; set its value and restart LiteLLM`, line);
  }
  if (node.value.trim() !== match[0]) {
    findings.warn(
      'env.embedded',
      `${where}: os.environ/${name} is part of a longer string; LiteLLM only resolves a value that is exactly \`os.environ/NAME\`. ` +
        'Make the whole value the reference',
      line,
    );
  } else if (keys[0] === 'mcp_servers' && keys[2] === 'args') {
    findings.warn(
      'env.in-args',
      `${where}: LiteLLM 1.77 does not resolve os.environ/ inside \`args\`; pass it through \`env\` (e.g. \`env: {X: os.environ/${name}}\`) and use "$X" in args`,
      line,
    );
  }
}

/** A value that is a secret written into config.yaml (`previous`: the list item before it, if any). */
function checkInlineSecret(node: Scalar<string>, keys: (string | number)[], previous: string | undefined, scan: ConfigScan): void {
  const value = node.value;
  const field = String(keys.at(-1) ?? '');
  const afterFlag = previous !== undefined && CREDENTIAL_FLAG_ALONE.test(previous) && !/^[$<]/.test(value);
  if (!looksSecret(field, value) && !afterFlag) return;
  scan.redactor.add(value);
  scan.findings.fail(
    'secret.inline',
    `${keys.join('.')} holds an inline secret (fingerprint ${fingerprint(value, scan.config.rootDir) ?? 'n/a'}); config.yaml is committed. ` +
      'Move it to a secrets file as NAME=<value>, write `os.environ/NAME` here, restart LiteLLM and rotate the secret',
    scan.lineOf(node),
  );
}
