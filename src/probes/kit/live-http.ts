/**
 * Small helpers the live gateway probes share (`traefik.routes`, `gateway.health`,
 * `gateway.auth`): picking hosts, a per-request deadline, reading an HTTP answer once, and
 * naming what a status or a connection error usually means behind Traefik.
 *
 * Everything here returns stable text: no latencies, dates or ids (those stay in the transcript).
 */
import type { Config } from '../config.ts';
import type { Host } from '../../config/schema.ts';
import type { ProbeContext, ProbeInput } from '../types.ts';

/** The hosts' `caFile`s: the HTTP client reads them, so live probes declare them for the preflight. */
export function caFileInputs(config: Config): ProbeInput[] {
  return config.hosts.flatMap((host) => (host.caFile ? [{ file: host.caFile, format: 'pem' as const }] : []));
}

/** The configured hosts named in `names` (all when undefined), or the unknown names. */
export function pickHosts(config: Config, names: string[] | undefined): { hosts: Host[]; unknown: string[] } {
  if (!names?.length) return { hosts: config.hosts, unknown: [] };
  const unknown = names.filter((n) => !config.hosts.some((h) => h.name === n));
  return { hosts: config.hosts.filter((h) => names.includes(h.name)), unknown };
}

/** The probe's signal, plus a deadline for one request so one hung host cannot eat the others' time. */
export function requestSignal(context: ProbeContext, timeoutMs: number): AbortSignal {
  return AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
}

/** An error's message with its cause (undici puts the socket error there: `fetch failed (connect ECONNREFUSED …)`). */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'no answer before the request deadline';
    const cause = error.cause instanceof Error ? (error.cause as NodeJS.ErrnoException) : undefined;
    let causeText = cause?.message ?? '';
    if (cause?.code && !causeText.includes(cause.code)) causeText = `${cause.code}: ${causeText}`;
    return causeText && causeText !== error.message ? `${error.message} (${causeText})` : error.message;
  }
  return String(error);
}

/** What a failed connection to a host's URL usually means (stable wording). */
export function connectionHint(host: Host, error: string): string {
  const url = new URL(host.url);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const target = `${url.hostname}:${port}${host.resolveTo ? ` (resolveTo ${host.resolveTo})` : ''}`;
  if (/ECONNREFUSED/.test(error)) return `nothing listens on ${target}: is Traefik running with an entrypoint on port ${port}?`;
  if (/ENOTFOUND|EAI_AGAIN/.test(error)) return `${url.hostname} does not resolve: set the host's resolveTo or fix DNS`;
  if (/certificate|CERT_|self[- ]signed|unable to verify/i.test(error)) return `the TLS certificate of ${target} is not accepted`;
  if (/deadline|timeout|ETIMEDOUT/i.test(error)) return `${target} did not answer in time`;
  return `cannot reach ${target}`;
}

/** What an HTTP status seen through Traefik usually means for a LiteLLM route (empty when nothing useful). */
export function statusHint(status: number, body = '', backend?: string): string {
  if (status === 502) return `Traefik cannot reach LiteLLM${backend ? ` (${backend})` : ''}: is LiteLLM running, on the port the service (compose label) names?`;
  // Traefik's own 503/504 bodies are plain text; a JSON body came from LiteLLM itself.
  if (status === 503 && /^\s*Service Unavailable/i.test(body)) return 'Traefik has no healthy server for this route';
  if (status === 504 && /^\s*Gateway Timeout/i.test(body)) return 'LiteLLM did not answer Traefik in time';
  if (status === 404 && /404 page not found/i.test(body)) return 'Traefik has no router for this host on this entrypoint';
  if (status === 404) return 'no such path on this host';
  if (status === 421) return 'Traefik refused the request for this TLS name (misdirected request)';
  if (status >= 300 && status < 400) return 'redirected; check the host URL and keep trailing slashes';
  return '';
}

/**
 * What a request that did not succeed got, for a message: `HTTP 502 "reason" — what that usually
 * means`, or, without an answer, `the error — what that usually means`.
 */
export function failureText(host: Host, attempt: { status?: number; error?: string; reason?: string }): string {
  if (attempt.status === undefined) return `${attempt.error} — ${connectionHint(host, attempt.error ?? '')}`;
  const hint = statusHint(attempt.status, attempt.reason ?? '');
  return `HTTP ${attempt.status}${attempt.reason ? ` "${attempt.reason}"` : ''}${hint ? ` — ${hint}` : ''}`;
}

/** The body as JSON, or undefined when it is not JSON. */
export function jsonOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The first useful line of an error body: `error.message`, `error`, `detail`, `message`, or the text itself. */
export function bodyReason(body: string | undefined, maxLength = 100): string | undefined {
  if (!body) return undefined;
  let reason: unknown;
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const error = json?.error as Record<string, unknown> | string | undefined;
    reason = (typeof error === 'object' && error ? error.message : error) ?? json?.detail ?? json?.message;
    if (reason !== undefined && typeof reason !== 'string') reason = JSON.stringify(reason);
  } catch {
    reason = body;
  }
  if (typeof reason !== 'string') return undefined;
  const line = reason.split(/\r?\n/).find((l) => l.trim())?.trim();
  if (!line) return undefined;
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
