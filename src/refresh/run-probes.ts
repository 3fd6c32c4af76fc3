/**
 * The probes of a refresh: run them concurrently (src/probes/runner.ts), let each definition
 * compare what its probe returned with what the evidence showed before the run (`compare`, pure),
 * write the evidence, and report each result as soon as it is stored.
 */
import { probeViews } from '../evidence/history.ts';
import { writeEvidence } from '../evidence/store.ts';
import { createHttpClient } from '../net/http-client.ts';
import type { Config } from '../probes/config.ts';
import type { ProbeDefinition } from '../probes/define.ts';
import { PROBE_DEFINITIONS } from '../probes/registry.ts';
import { crashFact, runProbes } from '../probes/runner.ts';
import type { Probe, ProbeOutcome, ProbeResult, ProbeView } from '../probes/types.ts';
import type { EnvEntry } from '../secrets/env-files.ts';
import type { Redactor } from '../secrets/redactor.ts';

export interface ProbeProgress {
  /** A probe starts (all start together: they run concurrently). */
  onProbeStarted?(id: string): void;
  /** A probe's evidence is written (or could not be: then its result is an `error`). */
  onProbeFinished?(result: ProbeResult): void;
  /** Every probe has finished. */
  onProbesDone?(): void;
}

export interface ProbeRunOptions {
  config: Config;
  secrets: EnvEntry[];
  redactor: Redactor;
  /** Timeout of a probe whose options set none (ms). */
  defaultTimeoutMs?: number;
}

/** Runs the probes and stores their evidence; the results in the order they finished. */
export async function runAndRecord(probes: Probe[], options: ProbeRunOptions, progress: ProbeProgress = {}): Promise<ProbeResult[]> {
  const { config, redactor } = options;
  // What the evidence showed before this run: what each `compare` sees as the previous state.
  const before = await probeViews(config.evaluationDir);
  const http = createHttpClient(config.hosts);
  const results: ProbeResult[] = [];
  for (const probe of probes) progress.onProbeStarted?.(probe.id);
  try {
    await runProbes(probes, { config, http, secrets: options.secrets }, {
      timeoutMs: (probe) => (config.probes as Record<string, { timeoutMs?: number }>)[probe.id]?.timeoutMs ?? options.defaultTimeoutMs ?? 30_000,
      onOutcome: async ({ id, outcome, startedAt, durationMs, returned }) => {
        // A crash or a timeout is recorded as the runner reported it: there is nothing to compare.
        const recorded = returned ? compared(id, before.get(id), outcome) : outcome;
        let result: ProbeResult;
        try {
          const probeVersion = probes.find((p) => p.id === id)?.version;
          result = await writeEvidence({ evaluationDir: config.evaluationDir, id, outcome: recorded, startedAt, durationMs, redactor, probeVersion });
        } catch (error) {
          // The probe ran, but its evidence could not be stored: that is an error of its own.
          result = { id, status: 'error', summary: `evidence not written: ${(error as Error).message}`, facts: {}, startedAt, durationMs, evidence: { result: '', transcript: '' } };
        }
        results.push(result);
        progress.onProbeFinished?.(result);
      },
    });
  } finally {
    progress.onProbesDone?.();
    await http.close();
  }
  return results;
}

type Compare = NonNullable<ProbeDefinition['compare']>;
const COMPARE = new Map<string, Compare>(PROBE_DEFINITIONS.flatMap((definition): [string, Compare][] => (definition.compare ? [[definition.id, definition.compare]] : [])));

/** The outcome to record: the definition's `compare` of it with the previous view, if it has one. */
function compared(id: string, previous: ProbeView | undefined, outcome: ProbeOutcome): ProbeOutcome {
  const compare = COMPARE.get(id);
  if (!compare) return outcome;
  try {
    return compare(previous, outcome);
  } catch (error) {
    // A bug in a comparison must not stop the other probes' evidence from being written.
    return { status: 'error', summary: `probe crashed: ${error instanceof Error ? error.message : String(error)}`, facts: { crash: crashFact(error) }, transcript: outcome.transcript, ...(outcome.target ? { target: outcome.target } : {}) };
  }
}
