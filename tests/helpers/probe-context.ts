/**
 * The one way tests give a probe its context: as the runner does (src/probes/context.ts) — its
 * options parsed with its definition's schema, a redactor seeded with the secrets — with defaults
 * for what a test leaves out (no secrets, an HTTP client that refuses every request, a signal
 * nobody aborts). `runProbe` runs it as the runner does: invalid options are an `error`, the
 * outcome is scrubbed after `run`; only the timeout and the crash handling are left out, so what
 * the probe throws (an aborted signal) reaches the test. `probeInputs`: what it declares for the
 * preflight, with its options parsed the same way. `recordingRequests`: what a probe really sent
 * (its returned transcript is scrubbed: a key shows as `Bearer [REDACTED]`).
 */
import type { HttpClient } from '../../src/net/http-client.ts';
import type { Config } from '../../src/probes/config.ts';
import { probeContext as contextOf, runProbe as runAsTheRunnerDoes, type SharedContext } from '../../src/probes/context.ts';
import { PROBE_DEFINITIONS } from '../../src/probes/registry.ts';
import type { Probe, ProbeContext, ProbeInput, ProbeOutcome } from '../../src/probes/types.ts';
import type { EnvEntry } from '../../src/secrets/env-files.ts';

export interface ProbeContextParts {
  config: Config;
  /** Default: none. */
  secrets?: EnvEntry[];
  /** Default: a client that refuses every request (a static probe makes none). */
  http?: HttpClient;
  signal?: AbortSignal;
}

export const refusingHttp = (): HttpClient => ({ fetch: () => Promise.reject(new Error('static probes make no HTTP requests')), close: async () => {} });

/** The probe as the registry loads it: with its definition's option schema (a probe imported from its module has none). */
function registered<Facts extends object, Options>(probe: Probe<Facts, Options>): Probe<Facts, Options> {
  if (probe.optionsSchema) return probe;
  const definition = PROBE_DEFINITIONS.find((d) => d.id === probe.id);
  return definition ? { ...probe, optionsSchema: definition.options as unknown as Probe<Facts, Options>['optionsSchema'] } : probe;
}

function shared(parts: ProbeContextParts): SharedContext {
  return { config: parts.config, http: parts.http ?? refusingHttp(), secrets: parts.secrets ?? [] };
}

/** The context the runner would give `probe`; throws when its options do not parse. */
export function probeContext<Options>(probe: Probe<object, Options>, parts: ProbeContextParts): ProbeContext<Options> {
  const { context, invalid } = contextOf(registered(probe), shared(parts), parts.signal ?? new AbortController().signal);
  if (!context) throw new Error(invalid.summary);
  return context;
}

/** The files `probe` declares for the preflight with `config` (its options parsed as for a run). */
export function probeInputs<Options>(probe: Probe<object, Options>, config: Config): ProbeInput[] {
  return probe.inputs?.(config, probeContext(probe, { config }).options) ?? [];
}

/** `http` with the URL and headers of every request recorded as it is sent. */
export function recordingRequests(http: HttpClient): { http: HttpClient; sent: { url: string; headers: Headers }[] } {
  const sent: { url: string; headers: Headers }[] = [];
  const fetch: HttpClient['fetch'] = (input, init) => {
    sent.push({ url: String(input), headers: new Headers(init?.headers) });
    return http.fetch(input, init);
  };
  return { http: { fetch, close: () => http.close() }, sent };
}

/** Runs `probe` as the runner does (options parsed, outcome scrubbed), without its timeout. */
export function runProbe<Facts extends object, Options>(probe: Probe<Facts, Options>, parts: ProbeContextParts): Promise<ProbeOutcome<Facts>> {
  return runAsTheRunnerDoes(registered(probe), shared(parts), parts.signal ?? new AbortController().signal);
}
