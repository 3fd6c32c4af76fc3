/**
 * Wraps a fetch so that every HTTP exchange lands in the probe's transcript: method, URL,
 * request headers, status, response headers and the body — for `text/event-stream` bodies,
 * each SSE event with its type, keep-alive pings counted apart.
 *
 * The transcript holds raw values; the evidence stage redacts it before writing.
 */
import type { Fetch } from '../net/http-client.ts';
import type { TranscriptEntry } from './types.ts';

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
}

export interface RecordingFetch {
  fetch: Fetch;
  exchanges: HttpExchange[];
  /** Waits (briefly) for response bodies still being captured. */
  settle(timeoutMs?: number): Promise<void>;
}

export function recordingFetch(inner: Fetch): RecordingFetch {
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
      const capture = captureBody(response.clone(), exchange).finally(() => pending.delete(capture));
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

async function captureBody(response: Response, exchange: HttpExchange): Promise<void> {
  const isSse = exchange.contentType?.includes('text/event-stream') ?? false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (isSse) Object.assign(exchange, parseSse(text));
      else exchange.body = text;
    }
  } catch {
    // The consumer closed the stream (e.g. a long-lived GET SSE stream at close): keep what arrived.
  }
  if (!isSse) exchange.body = text;
}

/** Splits an SSE stream into events; comment lines (`: ping`) and `ping` events count as keep-alives. */
export function parseSse(text: string): { sseEvents: SseEvent[]; ssePings: number } {
  const sseEvents: SseEvent[] = [];
  let ssePings = 0;
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
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
    if (onlyComments || event === 'ping') ssePings++;
    else sseEvents.push({ event, data: data.join('\n'), ...(id ? { id } : {}) });
  }
  return { sseEvents, ssePings };
}
