/**
 * What the MCP probes (`mcp.catalog`, `mcp.invoke`) share about a session through the gateway:
 * the probe's own deadline, watching SSE streams that should carry MCP messages but send only
 * keep-alive pings (StreamStall), one line per kind of answered exchange for the evidence, and
 * what a failed session is reported as (the HTTP status that broke it, with what to check).
 */
import type { HttpExchange, RecordingFetch } from './recording-fetch.ts';

// ---------------------------------------------------------------------------------------------
// Streams that carry only keep-alive pings

/** A stream that should carry an MCP message sent only keep-alive pings. */
export class StreamStall extends Error {
  readonly pings: number;
  constructor(pings: number, exchange: HttpExchange, what: string, waitMs: number) {
    const where = `${exchange.method} ${new URL(exchange.url).pathname}, waiting for ${what}`;
    super(
      pings > 0
        ? `only ${pings} keep-alive ping${pings === 1 ? '' : 's'}, no MCP events (${where})`
        : `no MCP events and no keep-alive pings in ${waitMs} ms (${where})`,
    );
    this.name = 'StreamStall';
    this.pings = pings;
  }
}

/** A stream that should carry an MCP answer sent `eventLimit` other messages (notifications) and not the answer. */
export class StreamFlood extends Error {
  constructor(events: number, exchange: HttpExchange, what: string) {
    super(`${events} MCP messages and still no answer (${exchange.method} ${new URL(exchange.url).pathname}, waiting for ${what}); the recording keeps the first ones`);
    this.name = 'StreamFlood';
  }
}

/** Events an exchange's SSE stream sent: those recorded and those counted past the cap. */
const eventsOf = (e: HttpExchange) => (e.sseEvents?.length ?? 0) + (e.truncated?.droppedEvents ?? 0);

/**
 * Runs `operation` while watching the SSE streams `relevant` selects: once one of them has sent
 * `pingLimit` keep-alive pings, or `waitMs` passed, with no MCP event since the operation began,
 * the operation is abandoned with a StreamStall (the caller closes the transport); once one has
 * sent `eventLimit` MCP events (notifications: the answer would have ended the operation), with a
 * StreamFlood, so an endless stream ends the wait as soon as the recording is full. The counts
 * reported are capped at the limits, so the message is the same from run to run.
 */
export function watchStreams<T>(
  operation: Promise<T>,
  options: { recorder: RecordingFetch; relevant: (e: HttpExchange) => boolean; what: string; waitMs: number; pingLimit: number; eventLimit?: number; signal: AbortSignal },
): Promise<T> {
  const before = new Map(options.recorder.exchanges.map((e) => [e, { events: eventsOf(e), pings: e.ssePings ?? 0 }]));
  const started = performance.now();
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      clearInterval(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      stop();
      reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    };
    const timer = setInterval(() => {
      let stalled: { exchange: HttpExchange; pings: number } | undefined;
      for (const exchange of options.recorder.exchanges) {
        if (!options.relevant(exchange) || !exchange.contentType?.includes('text/event-stream')) continue;
        const base = before.get(exchange) ?? { events: 0, pings: 0 };
        const events = eventsOf(exchange) - base.events;
        if (options.eventLimit !== undefined && events >= options.eventLimit) {
          stop();
          reject(new StreamFlood(options.eventLimit, exchange, options.what));
          return;
        }
        if (events > 0) continue;
        const pings = (exchange.ssePings ?? 0) - base.pings;
        if (!stalled || pings > stalled.pings) stalled = { exchange, pings };
      }
      if (!stalled) return;
      if (stalled.pings >= options.pingLimit || performance.now() - started >= options.waitMs) {
        stop();
        reject(new StreamStall(Math.min(stalled.pings, options.pingLimit), stalled.exchange, options.what, options.waitMs));
      }
    }, 25);
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    operation.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error) => {
        stop();
        reject(error);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Deadline, evidence lines, errors

/** The context's signal, or a deadline a little before `timeoutMs` so the probe reports its own timeout first. */
export function probeDeadline(signal: AbortSignal, timeoutMs: number): AbortSignal {
  const budget = Math.max(Math.round(timeoutMs * 0.5), timeoutMs - Math.min(1_000, Math.round(timeoutMs * 0.1)));
  return AbortSignal.any([signal, AbortSignal.timeout(budget)]);
}

/** `POST /mcp/ tools/list: 200 application/json`, one per kind of answered exchange, sorted. */
export function responseLines(exchanges: HttpExchange[]): string[] {
  const lines = exchanges
    .filter((e) => e.status !== undefined)
    .map((e) => {
      let rpc = '';
      try {
        const body = e.requestBody ? (JSON.parse(e.requestBody) as { method?: string }) : undefined;
        if (body?.method) rpc = ` ${body.method}`;
      } catch {
        // not JSON-RPC
      }
      return `${e.method} ${new URL(e.url).pathname}${rpc}: ${e.status}${e.contentType ? ` ${e.contentType}` : ''}`;
    });
  return [...new Set(lines)].sort();
}

/** Names the HTTP status that broke the session, and what to check for the usual ones. */
export function httpHint(exchanges: HttpExchange[], keyEnvVar: string): string {
  const failed = exchanges.findLast((e) => e.status !== undefined && e.status >= 400);
  if (!failed) return '';
  const hints: Record<number, string> = {
    401: `the gateway rejected the key; check ${keyEnvVar}`,
    403: `the key may not use these servers; check ${keyEnvVar} and x-mcp-servers`,
    // Seen with LiteLLM 1.77.1: a rejected key on /mcp/ surfaces as 500 "MCP request failed".
    500: `the gateway failed the request; LiteLLM 1.77.x answers a rejected key this way too, so check ${keyEnvVar}`,
    404: 'no route; check the host and path (keep the trailing slash of /mcp/)',
    502: 'Traefik cannot reach LiteLLM; is it running, on the port the compose label names?',
    503: 'the service is unavailable behind Traefik',
  };
  const hint = hints[failed.status!] ?? '';
  return `HTTP ${failed.status} from ${failed.method} ${failed.url}${hint ? ` (${hint})` : ''}: `;
}

/** An error's message, with its cause's when it has one. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${message}${cause}`;
}
