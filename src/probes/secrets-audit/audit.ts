/**
 * What the steps of one `secrets.audit` run share (the config, its options, the findings, facts
 * and transcript being built) and the one way they read a `.env` file: read it, report a file
 * that cannot be read and every malformed line (by position: a line may hold a secret).
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';
import { parseEnvLines, type EnvEntry, type EnvProblem } from '../../secrets/env-files.ts';
import type { Redactor } from '../../secrets/redactor.ts';
import type { Findings } from '../kit/findings.ts';
import type { TranscriptEntry } from '../types.ts';
import type { SecretsAuditFacts } from './facts.ts';
import type { SecretsAuditOptions } from './options.ts';

export interface Audit {
  config: Config;
  options: SecretsAuditOptions;
  signal: AbortSignal;
  findings: Findings;
  facts: SecretsAuditFacts;
  transcript: TranscriptEntry[];
  /** The run's redactor: every secret value read is added to it, so the outcome is scrubbed of it. */
  redactor: Redactor;
  /** A path as the evidence shows it (relative to the workspace when inside it). */
  show(file: string): string;
}

/** How to report a file that cannot be read: its finding code and message. */
export interface Unreadable {
  code: string;
  message(reason: string): string;
}

/** The entries of a `.env` file (`shown` is its path in findings), or undefined when it cannot be read. */
export async function readEnvFile(audit: Audit, file: string, shown: string, unreadable: Unreadable): Promise<EnvEntry[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal: audit.signal });
  } catch (error) {
    audit.signal.throwIfAborted();
    audit.findings.fail(unreadable.code, unreadable.message(String((error as NodeJS.ErrnoException).code ?? error)), { file: shown });
    return undefined;
  }
  const { entries, problems } = parseEnvLines(text, file);
  for (const problem of problems) audit.findings.fail('env.syntax', describeProblem(problem), { file: shown, line: problem.line });
  return entries;
}

function describeProblem(problem: EnvProblem): string {
  return `${problem.description}; LiteLLM and Proofbook cannot read it. Fix it or comment it out with '#' (the line is not shown: it may hold a secret)`;
}

/** Entries by key, in file order (a key set twice has two). */
export function entriesByKey(entries: EnvEntry[]): Map<string, EnvEntry[]> {
  const byKey = new Map<string, EnvEntry[]>();
  for (const entry of entries) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
  return byKey;
}
