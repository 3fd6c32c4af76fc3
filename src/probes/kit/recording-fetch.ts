/**
 * Wraps a fetch so that every HTTP exchange lands in the probe's transcript: method, URL,
 * request headers, status, response headers and the body — for `text/event-stream` bodies,
 * each SSE event with its type, keep-alive pings counted apart.
 *
 * The transcript holds raw values; the evidence stage redacts it before writing.
 *
 * Bounded and incremental, because the server is not ours to trust: a body is recorded up to
 * `maxBodyBytes` (the rest is read and dropped, and the exchange says how much), at most
 * `maxEvents` SSE events are kept (the rest counted), and each chunk is parsed once — a stream of
 * notifications that never ends costs constant memory and no more CPU than it sends.
 */
import type { Fetch } from '../../net/http-client.ts';
import type { TranscriptEntry } from '../types.ts';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export interface HttpExchange extends TranscriptEntry {
  kind: 'http';
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  contentType?: string;
  body?: string;
  sseEvents?: SseEvent[];
  ssePings?: number;
  error?: string;
  durationMs?: number;
  /** Set when the body was longer than what was recorded: bytes received vs. recorded. */
  truncated?: { receivedBytes: number; recordedBytes: number; droppedEvents?: number };
}

export interface RecordingLimits {
  /** Most body bytes recorded per exchange (default 1 MiB). */
  maxBodyBytes?: number;
  /** Most SSE events recorded per exchange (default 1,000); pings are only counted. */
  maxEvents?: number;
}

export const DEFAULT_LIMITS: Required<RecordingLimits> = { maxBodyBytes: 1024 * 1024, maxEvents: 1_000 };

/** The limits the workspace config sets (`evidence.maxRecordedBytes`, `evidence.maxRecordedEvents`). */
export function recordingLimits(config: { evidence?: { maxRecordedBytes: number; maxRecordedEvents: number } }): RecordingLimits {
  return config.evidence ? { maxBodyBytes: config.evidence.maxRecordedBytes, maxEvents: config.evidence.maxRecordedEvents } : {};
}

export interface RecordingFetch {
  fetch: Fetch;
  exchanges: HttpExchange[];
  /** Waits (briefly) for response bodies still being captured. */
  settle(timeoutMs?: number): Promise<void>;
}

export function recordingFetch(inner: Fetch, limits: RecordingLimits = {}): RecordingFetch {
  const bounds = { ...DEFAULT_LIMITS, ...limits };
  const exchanges: HttpExchange[] = [];
  const pending = new Set<Promise<void>>();

  const fetch: Fetch = async (input, init) => {
    const started = performance.now();
    const exchange: HttpExchange = {
      at: new Date().toISOString(),
      kind: 'http',
      method: init?.method ?? 'GET',
      url: String(input instanceof Request ? input.url : input),
      requestHeaders: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(typeof init?.body === 'string' ? { requestBody: init.body } : {}),
    };
    exchanges.push(exchange);
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      exchange.error = (error as Error).message;
      exchange.durationMs = Math.round(performance.now() - started);
      throw error;
    }
    exchange.status = response.status;
    exchange.responseHeaders = Object.fromEntries(response.headers.entries());
    exchange.contentType = response.headers.get('content-type') ?? undefined;
    exchange.durationMs = Math.round(performance.now() - started);
    if (response.body) {
      const capture = captureBody(response.clone(), exchange, bounds).finally(() => pending.delete(capture));
      pending.add(capture);
    }
    return response;
  };

  return {
    fetch,
    exchanges,
    async settle(timeoutMs = 2_000) {
      await Promise.race([Promise.allSettled([...pending]), new Promise((r) => setTimeout(r, timeoutMs))]);
    },
  };
}

async function captureBody(response: Response, exchange: HttpExchange, limits: Required<RecordingLimits>): Promise<void> {
  const isSse = exchange.contentType?.includes('text/event-stream') ?? false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const sse = isSse ? new SseParser(limits.maxEvents, limits.maxBodyBytes) : undefined;
  const kept: string[] = [];
  let received = 0;
  let recorded = 0;
  // The body is joined when read (the transcript is written once), not on every chunk: a
  // megabyte in small chunks would otherwise be copied thousands of times.
  if (!sse) Object.defineProperty(exchange, 'body', { get: () => kept.join(''), enumerable: true, configurable: true });
  const note = () => {
    if (sse) Object.assign(exchange, { sseEvents: sse.events, ssePings: sse.pings });
    if (sse ? sse.dropped || sse.cut : received > recorded) {
      exchange.truncated = { receivedBytes: received, recordedBytes: sse ? sse.recordedBytes : recorded, ...(sse?.dropped ? { droppedEvents: sse.dropped } : {}) };
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      // Past the cap the stream is still read (a tee'd body would otherwise buffer it), never kept.
      if (recorded >= limits.maxBodyBytes && !sse) continue;
      const text = decoder.decode(value, { stream: true });
      if (sse) sse.push(text);
      else {
        const room = limits.maxBodyBytes - recorded;
        const piece = text.length > room ? text.slice(0, room) : text;
        kept.push(piece);
        recorded += Buffer.byteLength(piece);
      }
      note();
    }
    sse?.end();
  } catch {
    // The consumer closed the stream (e.g. a long-lived GET SSE stream at close): keep what arrived.
  }
  note();
  if (!sse) Object.defineProperty(exchange, 'body', { value: kept.join(''), enumerable: true, configurable: true, writable: true });
}

/**
 * An SSE stream parsed as it arrives: each chunk is scanned once for complete events (blocks
 * ending in a blank line); comment lines (`: ping`) and `ping` events count as keep-alives.
 * At most `maxEvents` events are kept and each event's data is cut at `maxEventBytes`.
 */
export class SseParser {
  readonly events: SseEvent[] = [];
  pings = 0;
  /** Events past `maxEvents`, counted, not kept. */
  dropped = 0;
  /** Characters of event data kept so far. */
  recordedBytes = 0;
  /** Some event's data was cut at `maxEventBytes`. */
  cut = false;
  private rest = '';
  private readonly maxEvents: number;
  private readonly maxEventBytes: number;

  constructor(maxEvents = Infinity, maxEventBytes = Infinity) {
    this.maxEvents = maxEvents;
    this.maxEventBytes = maxEventBytes;
  }

  /** Adds a chunk; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    const from = Math.max(0, this.rest.length - 3); // a blank line may straddle the chunk boundary
    const text = this.rest + chunk;
    const boundary = /\r?\n\r?\n/g;
    boundary.lastIndex = from;
    const completed: SseEvent[] = [];
    let start = 0;
    for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
      const event = this.block(text.slice(start, match.index));
      if (event) completed.push(event);
      start = match.index + match[0].length;
    }
    this.rest = text.slice(start);
    // One block that never ends (a 50 MB line): keep its start, drop the middle.
    if (this.rest.length > this.maxEventBytes) {
      this.rest = this.rest.slice(0, this.maxEventBytes);
      this.cut = true;
    }
    return completed;
  }

  /** The stream ended: a last block without its blank line still counts. */
  end(): SseEvent[] {
    const event = this.rest ? this.block(this.rest) : undefined;
    this.rest = '';
    return event ? [event] : [];
  }

  private block(block: string): SseEvent | undefined {
    if (!block.trim()) return undefined;
    let event = 'message';
    const data: string[] = [];
    let id: string | undefined;
    let onlyComments = true;
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      onlyComments = false;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (onlyComments || event === 'ping') {
      this.pings++;
      return undefined;
    }
    const whole = data.join('\n');
    if (whole.length > this.maxEventBytes) this.cut = true;
    const parsed: SseEvent = { event, data: whole.slice(0, this.maxEventBytes), ...(id ? { id } : {}) };
    if (this.events.length >= this.maxEvents) this.dropped++;
    else {
      this.events.push(parsed);
      this.recordedBytes += parsed.data.length;
    }
    return parsed;
  }
}

/** Splits a whole SSE text into events; comment lines (`: ping`) and `ping` events count as keep-alives. */
export function parseSse(text: string): { sseEvents: SseEvent[]; ssePings: number } {
  const parser = new SseParser();
  parser.push(text);
  parser.end();
  return { sseEvents: parser.events, ssePings: parser.pings };
}
