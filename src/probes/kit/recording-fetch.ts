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
import { createHash } from 'node:crypto';
import { JsonStringCap } from './json-string-cap.ts';

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
  truncated?: {
    receivedBytes: number;
    recordedBytes: number;
    droppedEvents?: number;
    /** JSON strings cut at `maxStringBytes` (each ends in `…[N bytes truncated, sha256 …]`). */
    cutStrings?: number;
    /** Of every byte received. */
    sha256?: string;
  };
}

export interface RecordingLimits {
  /** Most body bytes recorded per exchange, SSE events' data included (default 1 MiB). */
  maxBodyBytes?: number;
  /** Most SSE events recorded per exchange (default 1,000); pings are only counted. */
  maxEvents?: number;
  /**
   * Longest JSON string passed on and recorded (default 64 KiB): a longer one keeps its head and
   * ends in `…[N bytes truncated, sha256 …]` (./json-string-cap.ts), for the probe too.
   */
  maxStringBytes?: number;
}

export const DEFAULT_LIMITS: Required<RecordingLimits> = { maxBodyBytes: 1024 * 1024, maxEvents: 1_000, maxStringBytes: 64 * 1024 };

/** The limits the workspace config sets (`evidence.maxRecordedBytes`, `evidence.maxRecordedEvents`). */
export function recordingLimits(config: { evidence?: { maxRecordedBytes: number; maxRecordedEvents: number } }): RecordingLimits {
  return config.evidence ? { maxBodyBytes: config.evidence.maxRecordedBytes, maxEvents: config.evidence.maxRecordedEvents } : {};
}

export interface RecordingFetch {
  fetch: Fetch;
  exchanges: HttpExchange[];
  /** Waits (briefly) for response bodies still being captured; reads those nobody read, then stops what is left. */
  settle(timeoutMs?: number): Promise<void>;
}

/** Statuses whose response can have no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function recordingFetch(inner: Fetch, limits: RecordingLimits = {}): RecordingFetch {
  const bounds = { ...DEFAULT_LIMITS, ...limits };
  const exchanges: HttpExchange[] = [];
  const taps = new Set<BodyTap>();

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
    if (!response.body || NULL_BODY.has(response.status)) return response;
    const tap = new BodyTap(response.body, exchange, bounds);
    taps.add(tap);
    void tap.done.then(() => taps.delete(tap));
    return new Response(tap.stream, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  return {
    fetch,
    exchanges,
    async settle(timeoutMs = 2_000) {
      for (const tap of taps) tap.drainIfUnread();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...taps].map((tap) => tap.done)), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      for (const tap of taps) tap.stop();
    },
  };
}

/**
 * A response body passed through to whoever reads it, recorded on the way (no copy of the body
 * is buffered: the reader's pace is the server's, as without recording). JSON and SSE strings
 * over `maxStringBytes` are cut for both (JsonStringCap); the recording keeps `maxBodyBytes`,
 * then counts; every byte received is hashed, so a cut body ends in its size and sha256.
 */
class BodyTap {
  readonly stream: ReadableStream<Uint8Array>;
  readonly done: Promise<void>;
  private readonly exchange: HttpExchange;
  private readonly limits: Required<RecordingLimits>;
  private readonly source: ReadableStreamDefaultReader<Uint8Array>;
  private readonly cap: JsonStringCap | undefined;
  private readonly sse: SseParser | undefined;
  private readonly decoder = new TextDecoder();
  private readonly hash = createHash('sha256');
  private readonly kept: string[] = [];
  private received = 0;
  /** Bytes passed on (after the string cap) and recorded of them. */
  private passed = 0;
  private recorded = 0;
  private finished = false;
  private finish!: () => void;

  constructor(body: ReadableStream<Uint8Array>, exchange: HttpExchange, limits: Required<RecordingLimits>) {
    this.exchange = exchange;
    this.limits = limits;
    this.source = body.getReader();
    const type = exchange.contentType ?? '';
    const isSse = type.includes('text/event-stream');
    this.cap = isSse || /[/+]json\b/.test(type) ? new JsonStringCap(limits.maxStringBytes) : undefined;
    this.sse = isSse ? new SseParser(limits.maxEvents, limits.maxBodyBytes) : undefined;
    this.done = new Promise((resolve) => (this.finish = resolve));
    if (!this.sse) Object.defineProperty(exchange, 'body', { get: () => this.kept.join(''), enumerable: true, configurable: true });
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const pieces = await this.next();
          if (!pieces) return controller.close();
          for (const piece of pieces) controller.enqueue(piece);
        },
        cancel: (reason) => {
          this.end();
          return this.source.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** The next pieces to pass on (undefined at the end); records them. A read error ends the recording and is passed on. */
  private async next(): Promise<Uint8Array[] | undefined> {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await this.source.read();
      } catch (error) {
        this.end();
        throw error;
      }
      if (read.done) {
        const rest = this.cap?.end() ?? [];
        for (const piece of rest) this.record(piece);
        this.end();
        return rest.length ? rest : undefined;
      }
      this.received += read.value.byteLength;
      this.hash.update(read.value);
      const pieces = this.cap ? this.cap.push(read.value) : [read.value];
      for (const piece of pieces) this.record(piece);
      this.note();
      if (pieces.length) return pieces;
      release(read.value);
    }
  }

  private record(piece: Uint8Array): void {
    if (this.sse) {
      this.sse.push(this.decoder.decode(piece, { stream: true }));
      return;
    }
    this.passed += piece.byteLength;
    const room = this.limits.maxBodyBytes - this.recorded;
    if (room <= 0) return;
    const text = this.decoder.decode(piece.byteLength > room ? piece.subarray(0, room) : piece, { stream: true });
    this.kept.push(text);
    this.recorded += Math.min(piece.byteLength, room);
  }

  private note(): void {
    const { exchange, sse } = this;
    if (sse) Object.assign(exchange, { sseEvents: sse.events, ssePings: sse.pings });
    const cutStrings = this.cap?.cut ?? 0;
    if (sse ? sse.dropped || sse.cut || cutStrings : this.received > this.recorded) {
      exchange.truncated = {
        receivedBytes: this.received,
        recordedBytes: sse ? sse.recordedBytes : this.recorded,
        ...(sse?.dropped ? { droppedEvents: sse.dropped } : {}),
        ...(cutStrings ? { cutStrings } : {}),
      };
    }
  }

  /** The reader is done (or gone): the recording is final, a cut body ends in its size and hash. */
  private end(): void {
    if (this.finished) return;
    this.finished = true;
    this.sse?.end();
    this.note();
    const truncated = this.exchange.truncated;
    if (truncated) truncated.sha256 = this.hash.digest('hex');
    if (!this.sse) {
      const body = this.kept.join('');
      const cut = this.passed > this.recorded ? `${beforeWord(body)}…[${this.received - this.recorded} bytes truncated, sha256 ${truncated!.sha256}]` : body;
      Object.defineProperty(this.exchange, 'body', { value: cut, enumerable: true, configurable: true, writable: true });
    }
    this.finish();
  }

  /** Nobody read the body (an error answer the client ignored): read it for the recording. */
  drainIfUnread(): void {
    if (this.stream.locked || this.finished) return;
    const reader = this.stream.getReader();
    void (async () => {
      try {
        while (!(await reader.read()).done) {
          /* recorded on the way */
        }
      } catch {
        // the connection went: keep what arrived
      }
    })();
  }

  /** Stops reading what is left (a stream still open at settle): keeps what arrived. */
  stop(): void {
    if (this.finished) return;
    this.end();
    this.source.cancel().catch(() => {});
  }
}

/**
 * Frees a chunk's memory now rather than at V8's next collection, when nothing else can see it:
 * it was read from the body (ours), the string cap dropped all of it (no piece passed on), and it
 * is the whole of its buffer (no other view shares it; node:http copies each body chunk out of
 * the socket's read). V8 collects dead buffers only once ~30 MB of them piled up, so without
 * this a cut 50 MB description peaks that much higher (bench/probes, memory rows).
 */
function release(chunk: Uint8Array): void {
  // ES2024's ArrayBuffer.prototype.transfer (Node 22), not in the lib this project compiles against.
  const buffer = chunk.buffer as ArrayBuffer & { detached?: boolean; transfer?: (length: number) => ArrayBuffer };
  if (buffer instanceof ArrayBuffer && buffer.transfer && !buffer.detached && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength) buffer.transfer(0);
}

/**
 * An SSE stream parsed as it arrives: each chunk is scanned once for complete events (blocks
 * ending in a blank line); comment lines (`: ping`) and `ping` events count as keep-alives.
 * At most `maxEvents` events and `maxBytes` of their data are kept (an event is cut to the room
 * left; the ones after are counted); a block longer than `maxBytes` keeps its start and the rest
 * is skipped up to its end, so nothing grows with what the server sends.
 */
export class SseParser {
  readonly events: SseEvent[] = [];
  pings = 0;
  /** Events past `maxEvents` or `maxBytes`, counted, not kept. */
  dropped = 0;
  /** Characters of event data kept so far. */
  recordedBytes = 0;
  /** Some event's data was cut. */
  cut = false;
  private rest = '';
  /** The block in `rest` is over `maxBytes`: its rest is skipped up to the blank line that ends it. */
  private skipping = false;
  private readonly maxEvents: number;
  private readonly maxBytes: number;

  constructor(maxEvents = Infinity, maxBytes = Infinity) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /** Adds a chunk; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    if (this.skipping) {
      // Look for the blank line in the last characters and this chunk only, not in what was kept.
      const tail = this.tail + chunk;
      const match = /\r?\n\r?\n/.exec(tail);
      if (!match) {
        this.tail = tail.slice(-3);
        return [];
      }
      this.skipping = false;
      this.cut = true;
      const event = this.block(this.rest);
      this.rest = '';
      return [...(event ? [event] : []), ...this.push(tail.slice(match.index + match[0].length))];
    }
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
    // One block that never ends (a 50 MB line): keep its start, skip the rest up to its end.
    if (this.rest.length > this.maxBytes) {
      this.tail = this.rest.slice(-3);
      this.rest = this.rest.slice(0, this.maxBytes);
      this.skipping = true;
    }
    return completed;
  }

  private tail = '';

  /** The stream ended: a last block without its blank line still counts. */
  end(): SseEvent[] {
    if (this.skipping) this.cut = true;
    this.skipping = false;
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
    const room = this.maxBytes - this.recordedBytes;
    const parsed: SseEvent = { event, data: whole, ...(id ? { id } : {}) };
    if (this.events.length >= this.maxEvents || room <= 0) {
      this.dropped++;
      return parsed;
    }
    if (whole.length > room) this.cut = true;
    const kept = whole.length > room ? { ...parsed, data: whole.slice(0, room) } : parsed;
    this.events.push(kept);
    this.recordedBytes += kept.data.length;
    return kept;
  }
}

/**
 * A cut text without the word it was cut in (within 256 characters): a secret across the cut is
 * dropped whole, not left half where the redactor cannot recognise it.
 */
export function beforeWord(text: string): string {
  const tail = text.slice(-256);
  const boundary = tail.search(/[^A-Za-z0-9+/=_.\-\u0080-\uffff][A-Za-z0-9+/=_.\-\u0080-\uffff]*$/);
  return boundary < 0 ? text : text.slice(0, text.length - tail.length + boundary + 1);
}

/** Splits a whole SSE text into events; comment lines (`: ping`) and `ping` events count as keep-alives. */
export function parseSse(text: string): { sseEvents: SseEvent[]; ssePings: number } {
  const parser = new SseParser();
  parser.push(text);
  parser.end();
  return { sseEvents: parser.events, ssePings: parser.pings };
}
