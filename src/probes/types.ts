/**
 * The probe contract. A probe checks one thing on the real system and reports a status,
 * a one-line summary, structured facts (what renderers draw from) and a raw transcript
 * (what the evidence stage stores, redacted).
 */
import type { Config } from '../config/load.ts';
import type { HttpClient } from '../net/http-client.ts';
import type { EnvEntry } from '../secrets/env-files.ts';

export const PROBE_STATUSES = ['pass', 'warn', 'fail', 'skip', 'error'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

export interface TranscriptEntry {
  at: string;
  kind: string;
  [field: string]: unknown;
}

/** What a probe's `run` returns. */
export interface ProbeOutcome<Facts = Record<string, unknown>> {
  status: ProbeStatus;
  summary: string;
  facts: Facts;
  transcript: TranscriptEntry[];
}

/** A finished run: the outcome plus timing and where its evidence was written. */
export interface ProbeResult<Facts = Record<string, unknown>> {
  id: string;
  status: ProbeStatus;
  summary: string;
  facts: Facts;
  startedAt: string;
  durationMs: number;
  /** Paths relative to the evaluation folder. */
  evidence: { result: string; transcript: string };
}

export interface ProbeContext {
  config: Config;
  http: HttpClient;
  secrets: EnvEntry[];
  signal: AbortSignal;
}

export interface Probe<Facts = Record<string, unknown>> {
  id: string;
  /** One line for `--help` and the docs. */
  description: string;
  run(context: ProbeContext): Promise<ProbeOutcome<Facts>>;
}
