/**
 * One client config file: it can be read, it parses (JSON, or JSONC for VS Code), has the
 * client's shape and, for VS Code, its inputs; then every string in it (./references.ts) and every
 * gateway entry (./gateway-entries.ts) is checked. Findings point at the key or value they are
 * about, as file:line:col.
 */
import { createHash } from 'node:crypto';
import type { FindingSeverity } from '../../model/findings.ts';
import { locate, pathText, scanJson, type JsonNode } from '../../formats/json.ts';
import { jsonFindingError } from '../../formats/json-errors.ts';
import { positionAt, type Position } from '../../formats/positions.ts';
import { now } from '../kit/checks.ts';
import { readInputText } from '../kit/read-input.ts';
import type { Finding } from '../types.ts';
import type { ClientCheck } from './client-check.ts';
import type { ServerEntry } from './clients.ts';
import type { ClientFileFact } from './facts.ts';
import { checkGatewayEntries } from './gateway-entries.ts';
import { checkReferences } from './references.ts';

/** Where in the file a finding points. */
type At = { line: number; column?: number };

/** A parsed client config, as its checks see it. */
export interface ClientFile {
  check: ClientCheck;
  fact: ClientFileFact;
  root: JsonNode;
  /** Its servers, by name. */
  servers: Record<string, ServerEntry>;
  /** VS Code inputs, by id. */
  inputs: Map<string, { type: string; password: boolean; line: number }>;
  /** Where a path points in the file (see `locate`). */
  pos: (jsonPath: readonly PropertyKey[]) => Position;
  /** A finding in this file (for one host, with `host`). */
  note: (severity: FindingSeverity, code: string, message: string, at?: At, host?: string) => Finding;
}

export async function checkClientFile(check: ClientCheck, file: string): Promise<void> {
  const { spec } = check;
  const shown = check.show(file);
  const fact: ClientFileFact = { file: shown, servers: [] };
  check.facts.files.push(fact);
  const note = (severity: FindingSeverity, code: string, message: string, at?: At, host?: string) =>
    check.note(severity, code, message, { file: shown, ...at }, host);

  const { text, error } = await readInputText(file, check.context.signal);
  if (text === undefined) {
    note('fail', 'file.unreadable',
      `${spec.name} config ${error === 'ENOENT' ? 'does not exist' : `cannot be read (${error})`}; add it or fix probes."${spec.id}".files in proofbook.config.yaml`);
    return;
  }
  fact.sha256 = createHash('sha256').update(text).digest('hex').slice(0, 16);
  check.transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(text), sha256: fact.sha256 });

  const parsed = scanJson(text, spec.jsonc ? { comments: true, trailingCommas: true } : {});
  if (parsed.error || !parsed.root) {
    const { offset, message } = jsonFindingError(parsed.error!, spec.strictReader);
    note('fail', 'json.syntax', `invalid JSON: ${message}${/[.?!]$/.test(message) ? '' : '.'} ${spec.name} cannot load this file, so none of its servers work`, positionAt(text, offset));
    return;
  }
  const root = parsed.root;
  const pos = (jsonPath: readonly PropertyKey[]) => positionAt(text, locate(root, jsonPath).offset);
  for (const duplicate of parsed.duplicates) {
    const first = positionAt(text, duplicate.firstOffset);
    note('warn', 'json.duplicate-key',
      `${pathText([...duplicate.path, duplicate.key])} is set twice (first at line ${first.line}); ${spec.name} keeps only the last one. Remove or merge them`,
      positionAt(text, duplicate.offset));
  }
  const data = checkShape(check, root, parsed.value as Record<string, unknown>, pos, note);
  if (!data) return;
  const clientFile: ClientFile = { check, fact, root, servers: data[spec.serversKey] as Record<string, ServerEntry>, inputs: new Map(), pos, note };
  if (spec.client === 'vscode') readInputs(clientFile, data);
  checkReferences(clientFile);
  checkGatewayEntries(clientFile);
}

/** The file's data when it has the client's shape; else findings (a misnamed servers key, the first shape issues). */
function checkShape(
  check: ClientCheck,
  root: JsonNode,
  value: Record<string, unknown>,
  pos: ClientFile['pos'],
  note: ClientFile['note'],
): Record<string, unknown> | undefined {
  const { spec } = check;
  if (root.type === 'object' && !(spec.serversKey in value) && spec.otherKey in value) {
    note('fail', 'shape.wrong-key',
      `${spec.name} reads "${spec.serversKey}", not "${spec.otherKey}" (that is ${spec.client === 'vscode' ? "Claude Code's" : "VS Code's"} key); rename it to "${spec.serversKey}"`,
      pos([spec.otherKey]));
    return undefined;
  }
  const shape = spec.schema.safeParse(value);
  if (shape.success) return shape.data as Record<string, unknown>;
  for (const issue of shape.error.issues.slice(0, 10)) {
    const missing = issue.code === 'invalid_type' && locate(root, issue.path).exact === false;
    note('fail', 'shape.invalid', `${pathText(issue.path)} ${missing ? 'is missing' : issue.message}; ${spec.name} expects ${spec.shapeExample}`, pos(issue.path));
  }
  return undefined;
}

/** VS Code `inputs` (VS Code prompts for their values): facts, and by id for the reference checks. */
function readInputs(file: ClientFile, data: Record<string, unknown>): void {
  const list = (data.inputs as { id: string; type: string; password?: boolean }[] | undefined) ?? [];
  file.fact.inputs = list.map((input, index) => {
    const fact = { id: input.id, type: input.type, password: input.password === true, line: file.pos(['inputs', index]).line };
    file.inputs.set(input.id, fact);
    return fact;
  });
}
