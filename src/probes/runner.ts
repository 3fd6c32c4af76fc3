/**
 * Runs probes concurrently, each under its own timeout. A probe that throws or hangs becomes
 * `error` with its reason; the others are unaffected. Every outcome is handed to `onOutcome`
 * (the evidence stage) as soon as it is known.
 */
import type { Probe, ProbeContext, ProbeOutcome } from './types.ts';

export interface TimedOutcome {
  id: string;
  outcome: ProbeOutcome;
  startedAt: string;
  durationMs: number;
}

export async function runProbes(
  probes: Probe[],
  context: Omit<ProbeContext, 'signal'>,
  options: { timeoutMs: (probe: Probe) => number; onOutcome?: (outcome: TimedOutcome) => Promise<void> | void },
): Promise<TimedOutcome[]> {
  return Promise.all(
    probes.map(async (probe) => {
      const startedAt = new Date().toISOString();
      const started = performance.now();
      const timeoutMs = options.timeoutMs(probe);
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ProbeOutcome>((resolve) => {
        timer = setTimeout(() => {
          controller.abort(new Error(`timed out after ${timeoutMs} ms`));
          resolve({ status: 'error', summary: `timed out after ${timeoutMs} ms`, facts: {}, transcript: [] });
        }, timeoutMs);
      });
      const run = probe
        .run({ ...context, signal: controller.signal })
        .catch((error: unknown): ProbeOutcome => ({
          status: 'error',
          summary: `probe crashed: ${error instanceof Error ? error.message : String(error)}`,
          facts: {},
          transcript: [],
        }));
      const outcome = await Promise.race([run, timeout]).finally(() => clearTimeout(timer));
      const timed = { id: probe.id, outcome, startedAt, durationMs: Math.round(performance.now() - started) };
      await options.onOutcome?.(timed);
      return timed;
    }),
  );
}
