/**
 * Open WebUI's .env as `openwebui.config` reads it: the entries python-dotenv would see (a line
 * it cannot read is a finding, never quoted), a key set twice (the last wins), and what the
 * checks of the models (./models.ts) and the tool servers (./tool-servers.ts) share.
 */
import type { Host } from '../../config/schema.ts';
import { dotenvValuePosition, parseDotenv, type DotenvEntry } from '../../formats/dotenv.ts';
import type { Position } from '../../formats/positions.ts';
import type { Findings } from '../kit/findings.ts';
import type { ProbeContext } from '../types.ts';
import type { OpenWebuiFacts } from './facts.ts';
import type { OpenWebuiConfigOptions } from './options.ts';

/** A value someone has still to fill in. */
export const PLACEHOLDER = /^(<.*>|\$\{.*\}|changeme|change-me|your[-_ ].*|x{4,}|\.\.\.|sk-\.\.\.|sk-<.*>)$/i;

/** What the checks of one .env read and write. */
export interface EnvCheck {
  context: ProbeContext;
  options: OpenWebuiConfigOptions;
  /** The host Open WebUI must reach the gateway through, and its MCP endpoint there. */
  host: Host;
  endpoint: string;
  mcpPath: string;
  knownServers: string[];
  findings: Findings;
  facts: OpenWebuiFacts;
  /** The entry that counts for a key (its last). */
  get: (key: string) => DotenvEntry | undefined;
  /** Where character `index` of an entry's value is in the file. */
  at: (entry: DotenvEntry, index: number) => Position;
}

/** The .env's entries, each key's last; its unreadable lines and keys set twice are findings. */
export function readEnvEntries(text: string, findings: Findings): { entries: DotenvEntry[]; get: EnvCheck['get']; at: EnvCheck['at'] } {
  const { entries, problems } = parseDotenv(text);
  for (const problem of problems) {
    findings.fail('env.syntax', `${problem.message}; Open WebUI cannot read this line either (its text is not shown: it may hold a secret)`, { line: problem.line, column: problem.column });
  }
  const byKey = new Map<string, DotenvEntry[]>();
  for (const entry of entries) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
  for (const [key, list] of byKey) {
    if (list.length > 1) findings.warn('env.duplicate', `${key} is set more than once (lines ${list.map((e) => e.line).join(', ')}); the last one wins. Keep one`, list[1]!.line);
  }
  return { entries, get: (key) => byKey.get(key)?.at(-1), at: (entry, index) => dotenvValuePosition(text, entry, index) };
}

/** Semicolon-separated list items with their start index in the value. */
export function splitList(entry: DotenvEntry): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const piece of entry.value.split(';')) {
    const lead = piece.length - piece.trimStart().length;
    out.push({ text: piece.trim(), start: start + lead });
    start += piece.length + 1;
  }
  return out;
}

/** Values of an Open WebUI .env that are secrets: keys, tokens, and the keys inside the tool server JSON. */
export function secretValuesOf(entry: DotenvEntry): string[] {
  if (/(KEY|KEYS|TOKEN|SECRET|PASSWORD)$/i.test(entry.key)) return entry.value.split(';').map((v) => v.trim()).filter((v) => v.length >= 6);
  return [];
}
