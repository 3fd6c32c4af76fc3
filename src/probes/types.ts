/**
 * The probe contract. A probe checks one thing on the real system and reports a status,
 * a one-line summary, structured facts (what renderers draw from) and a raw transcript
 * (what the evidence stage stores, redacted).
 */
import type { z } from 'zod';
import type { Config } from './config.ts';
import type { HttpClient } from '../net/http-client.ts';
import type { EnvEntry } from '../secrets/env-files.ts';
import type { Redactor } from '../secrets/redactor.ts';
import type { RunScope } from './run-scope.ts';
import type { ProbeStatus } from '../model/status.ts';

// Statuses and findings are the shared vocabulary of src/model/; re-exported for the probes.
export { PROBE_STATUSES, type ProbeStatus } from '../model/status.ts';
export { formatFinding, statusOf, type Finding } from '../model/findings.ts';

export interface TranscriptEntry {
  at: string;
  kind: string;
  [field: string]: unknown;
}

/** What a probe's `run` returns. */
export interface ProbeOutcome<Facts extends object = object> {
  status: ProbeStatus;
  summary: string;
  facts: Facts;
  transcript: TranscriptEntry[];
  /** What the probe checked — URLs, hosts, files or commands — recorded with the evidence. */
  target?: string[];
}

/** A finished run: the outcome plus timing and where its evidence was written. */
export interface ProbeResult<Facts extends object = object> {
  id: string;
  status: ProbeStatus;
  summary: string;
  facts: Facts;
  startedAt: string;
  durationMs: number;
  /** Paths relative to the evaluation folder. */
  evidence: { result: string; transcript: string };
}

/**
 * What the evidence shows of a probe: its status since when, and the run that established what the docs show (built in src/evidence/history.ts).
 * `Facts`: the probe's own facts type where the reader knows which probe it is (its renderer).
 */
export interface ProbeView<Facts extends object = Record<string, unknown>> {
  id: string;
  status: ProbeStatus;
  summary: string;
  facts: Facts;
  /** ISO time the current status began. */
  since: string;
  /** Result file (relative to the evaluation folder) that established what is shown. */
  evidence: string;
  /** ISO time of the latest run; for the dashboard only, never for docs (it changes every run). */
  lastRun: string;
}

/**
 * What a probe runs with (built by ./context.ts). `Options`: the probe's own options type, so a
 * probe reads `context.options` typed, without parsing or casting.
 */
export interface ProbeContext<Options = unknown> {
  config: Config;
  http: HttpClient;
  /** Every KEY=value of the secrets files (where the probes find the gateway key). */
  secrets: EnvEntry[];
  signal: AbortSignal;
  /** This probe's options (`probes.<id>`), parsed once with its definition's schema: defaults filled in. */
  options: Options;
  /**
   * The run's one redactor, seeded with the workspace's secrets. A probe adds what it finds
   * (`redactor.add(value)`: inline keys, header values) and may redact text it shows mid-run;
   * the runner scrubs the outcome with it after `run` returns, so a value added last still counts.
   */
  redactor: Redactor;
  /** What the probes of this run share (./run-scope.ts); absent when a probe runs on its own (`runProbe`). */
  run?: RunScope;
}

/** A file a probe reads, so a preflight can reject malformed input (exit 2) before anything runs. */
export interface ProbeInput {
  /** Absolute path. */
  file: string;
  /** `jsonc`: JSON with comments and trailing commas (VS Code); `pem`: a CA certificate file (a host's `caFile`). */
  format: 'yaml' | 'toml' | 'json' | 'jsonc' | 'env' | 'compose' | 'markdown' | 'pem';
  /** A missing optional file is not an input error (the probe reports it, or skips). */
  optional?: boolean;
}

/**
 * One cell of the client matrix (client × host × aspect). Client probes put these in
 * `facts.clientMatrix`; the `clients.matrix` renderer and the dashboard merge them.
 */
export interface ClientMatrixCell {
  /** e.g. `codex`, `openwebui`, `vscode`, `claude`. */
  client: string;
  /** A host name from `hosts` (e.g. `lan`, `external`). */
  host: string;
  aspect: 'config' | 'listing' | 'invocation';
  status: ProbeStatus;
  /** One line shown with the mark, e.g. the known limitation. */
  note?: string;
}

export interface Probe<Facts extends object = object, Options = unknown> {
  id: string;
  /** Set from its definition when loaded (./define.ts): the version its evidence records. */
  version?: string;
  /** Set from its definition when loaded (./define.ts): the schema `options` are parsed with. */
  optionsSchema?: z.ZodType<Options>;
  /** The files this probe will read with the given config and its options (for the preflight). */
  inputs?(config: Config, options: Options): ProbeInput[];
  run(context: ProbeContext<Options>): Promise<ProbeOutcome<Facts>>;
}
