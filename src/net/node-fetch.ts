/**
 * `fetch` on node:http/https, for ./http-client.ts: a request through the agent it is given (its
 * lookup and CA), answered with a WHATWG `Response` whose body is pulled from the socket as its
 * reader reads — one chunk at a time, no queue and no copy: a reader that stops reading stops
 * the socket, and a 50 MB body passes through in the socket's own 64 KB reads.
 *
 * As fetch does: redirects followed (`redirect: 'follow'`, 20 at most; 303, and 301/302 after a
 * POST, become a GET without body), returned as they are (`manual`) or refused (`error`); a
 * gzip, deflate or br body decoded; a network error rejects with `TypeError('fetch failed')` and
 * the socket's error as its `cause`; an abort rejects with the signal's reason, and errors a body
 * being read.
 *
 * node:https (TLS, ~6 MB of RSS) and node:zlib are loaded on first use: a workspace on plain
 * HTTP and a server that does not compress never pay for them.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

export async function nodeFetch(input: string | URL | Request, init: RequestInit = {}, agentFor: (url: URL) => http.Agent): Promise<Response> {
  const request = input instanceof Request ? input : undefined;
  let url = new URL(request ? request.url : String(input));
  let method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers ?? request?.headers);
  let body = await bodyBytes(init.body ?? (request?.body ? await request.arrayBuffer() : undefined), headers);
  const signal = init.signal ?? request?.signal ?? undefined;
  for (let redirects = 0; ; redirects++) {
    signal?.throwIfAborted();
    const response = await send(url, method, headers, body, signal, agentFor(url));
    const location = REDIRECT.has(response.statusCode!) ? response.headers.location : undefined;
    if (!location || init.redirect === 'manual') return toResponse(response, url, signal);
    response.resume(); // the redirect's own body is not read
    if (init.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`redirect to ${location} refused (redirect: 'error')`) });
    if (redirects >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error(`more than ${MAX_REDIRECTS} redirects`) });
    const next = new URL(location, url);
    if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
    }
    if (next.origin !== url.origin) headers.delete('authorization');
    url = next;
  }
}

/** The request body as bytes, with the content-type fetch would give it. */
async function bodyBytes(body: BodyInit | ArrayBuffer | null | undefined, headers: Headers): Promise<Uint8Array | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return Buffer.from(body);
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(body.toString());
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // Blob, FormData, a stream: let Request serialise it (and set its content-type).
  const serialised = new Request('http://body.invalid/', { method: 'POST', body, duplex: 'half' } as RequestInit);
  const type = serialised.headers.get('content-type');
  if (type && !headers.has('content-type')) headers.set('content-type', type);
  return new Uint8Array(await serialised.arrayBuffer());
}

/** One request; resolves with the response's head (its body not read yet). */
function send(url: URL, method: string, headers: Headers, body: Uint8Array | undefined, signal: AbortSignal | undefined, agent: http.Agent): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = {};
    for (const [name, value] of headers) outgoing[name] = value;
    // What fetch sends when the caller does not (no accept-encoding: nothing to decode).
    outgoing.accept ??= '*/*';
    outgoing['user-agent'] ??= 'node';
    if (body || !['GET', 'HEAD'].includes(method)) outgoing['content-length'] = String(body?.byteLength ?? 0);
    const request = (url.protocol === 'https:' ? process.getBuiltinModule('node:https') : http).request(url, { method, headers: outgoing, agent });
    const onAbort = () => request.destroy(signal!.reason instanceof Error ? signal!.reason : new DOMException('This operation was aborted', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('response', (response) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    });
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    request.end(body);
  });
}

function toResponse(message: IncomingMessage, url: URL, signal: AbortSignal | undefined): Response {
  const headers = new Headers();
  for (let i = 0; i < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  const status = message.statusCode!;
  const empty = NULL_BODY.has(status);
  if (empty) message.resume();
  const response = new Response(empty ? null : pulled(decoded(message, headers), signal), { status, statusText: message.statusMessage ?? '', headers });
  Object.defineProperty(response, 'url', { value: url.toString() });
  return response;
}

/** The body as sent, decoded if the server compressed it (fetch sends no accept-encoding, but a server may compress anyway). */
function decoded(message: IncomingMessage, headers: Headers): Readable {
  const codings = (headers.get('content-encoding') ?? '').toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity');
  if (!codings.length) return message;
  const zlib = process.getBuiltinModule('node:zlib');
  let stream: Readable = message;
  for (const coding of codings.reverse()) {
    const decoder = coding === 'gzip' || coding === 'x-gzip' ? zlib.createGunzip() : coding === 'deflate' ? zlib.createInflate() : coding === 'br' ? zlib.createBrotliDecompress() : undefined;
    if (!decoder) return stream; // an unknown coding: passed on as it is, as fetch does
    const source = stream;
    source.once('error', (error) => decoder.destroy(error));
    stream = source.pipe(decoder);
  }
  return stream;
}

/** A readable as a byte stream read on demand: each `pull` takes the socket's next chunk (the socket waits meanwhile). */
function pulled(source: Readable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const onAbort = () => source.destroy(signal!.reason instanceof Error ? signal!.reason : new DOMException('This operation was aborted', 'AbortError'));
  signal?.addEventListener('abort', onAbort, { once: true });
  const done = () => signal?.removeEventListener('abort', onAbort);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (error) {
          done();
          throw signal?.aborted ? signal.reason : new TypeError('terminated', { cause: error });
        }
        if (next.done) {
          done();
          controller.close();
        } else controller.enqueue(next.value);
      },
      async cancel() {
        done();
        source.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
