/**
 * Runs probes concurrently, each under its own timeout. A probe that throws or hangs becomes
 * `error` with its reason; the others are unaffected. Each probe gets its own context
 * (./context.ts): its options parsed once (options that do not parse are an `error` naming the
 * field, and the probe does not run) and its own redactor, with which every outcome is scrubbed
 * last, after `run` returned, so whatever the probe added to it is redacted. Every outcome is
 * handed to `onOutcome` (the evidence stage) as soon as it is known. What went wrong is kept as
 * facts, so the evidence shows it: `{ timedOut: true, timeoutMs }`, or
 * `{ crash: { name, message, cause } }` (the error's chain of causes, redacted with the rest).
 */
import { probeContext, probeRedactor, type SharedContext } from './context.ts';
import { runScope } from './run-scope.ts';
import type { Probe, ProbeContext, ProbeOutcome } from './types.ts';

export interface TimedOutcome {
  id: string;
  outcome: ProbeOutcome;
  startedAt: string;
  durationMs: number;
  /** The probe returned this outcome itself (false: the runner's `error` for a crash or a timeout). */
  returned: boolean;
}

export async function runProbes(
  probes: Probe[],
  shared: SharedContext,
  options: { timeoutMs: (probe: Probe) => number; onOutcome?: (outcome: TimedOutcome) => Promise<void> | void },
): Promise<TimedOutcome[]> {
  const scoped = { ...shared, run: shared.run ?? runScope(probes.map((probe) => probe.id)) };
  return Promise.all(
    probes.map(async (probe) => {
      const startedAt = new Date().toISOString();
      const started = performance.now();
      const controller = new AbortController();
      const redactor = probeRedactor(scoped);
      const { context, invalid } = probeContext(probe, scoped, controller.signal, redactor);
      const { outcome, returned } = context ? await runWithin(probe, context, controller, options.timeoutMs(probe)) : { outcome: invalid, returned: false };
      // Scrubbed last: the probe may add what it finds to its redactor until it returns.
      const timed = { id: probe.id, outcome: redactor.redactValue(outcome), startedAt, durationMs: Math.round(performance.now() - started), returned };
      await options.onOutcome?.(timed);
      return timed;
    }),
  );
}

/** The probe's own outcome, or the runner's `error` for a crash or for passing `timeoutMs` (its signal is then aborted). */
async function runWithin(probe: Probe, context: ProbeContext, controller: AbortController, timeoutMs: number): Promise<{ outcome: ProbeOutcome; returned: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ outcome: ProbeOutcome; returned: boolean }>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve({ outcome: { status: 'error', summary: `timed out after ${timeoutMs} ms`, facts: { timedOut: true, timeoutMs }, transcript: [] }, returned: false });
    }, timeoutMs);
  });
  const run = probe.run(context).then(
    (outcome) => ({ outcome, returned: true }),
    (error: unknown) => ({
      outcome: { status: 'error', summary: `probe crashed: ${error instanceof Error ? error.message : String(error)}`, facts: { crash: crashFact(error) }, transcript: [] } satisfies ProbeOutcome,
      returned: false,
    }),
  );
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}

export interface CrashFact {
  name: string;
  message: string;
  cause?: CrashFact;
}

/** An error and its causes as plain data (at most 5 deep: a cause chain may loop). */
export function crashFact(error: unknown, depth = 0): CrashFact {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  // No stack: its paths are this machine's, and evidence must read the same wherever it ran.
  const cause = error.cause !== undefined && depth < 4 ? crashFact(error.cause, depth + 1) : undefined;
  return { name: error.name, message: error.message, ...(cause ? { cause } : {}) };
}
