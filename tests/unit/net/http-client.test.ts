/**
 * Proofbook's HTTP client (src/net/http-client.ts on ./node-fetch.ts) against real node:http
 * servers on loopback: what the probes rely on fetch for — `resolveTo`, redirects followed or
 * not, a network error as `fetch failed` with its cause, an abort as the signal's reason, a
 * compressed body decoded — and a body pulled from the socket only as it is read.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../../src/net/http-client.ts';

let server: Server | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = client = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('createHttpClient', () => {
  it('connects to resolveTo for a configured hostname and sends the method, headers and body', async () => {
    const port = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json', 'x-seen': 'yes' }).end(JSON.stringify({ method: req.method, host: req.headers.host, auth: req.headers.authorization, type: req.headers['content-type'], body })));
    });
    client = createHttpClient([{ url: `http://gateway.example.lan:${port}`, resolveTo: '127.0.0.1' }]);
    const response = await client.fetch(`http://gateway.example.lan:${port}/v1/x`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: 'hello' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', host: `gateway.example.lan:${port}`, auth: 'Bearer k', type: 'text/plain;charset=UTF-8', body: 'hello' });
  });

  it('follows a redirect by default (303 becomes a GET) and returns it as it is with redirect: manual', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(303, { location: '/new' }).end('moved');
      else res.writeHead(200).end(`${req.method} ${req.url}`);
    });
    client = createHttpClient([]);
    const followed = await client.fetch(`http://127.0.0.1:${port}/old`, { method: 'POST', body: 'x' });
    expect([followed.status, await followed.text(), followed.url]).toEqual([200, 'GET /new', `http://127.0.0.1:${port}/new`]);
    const manual = await client.fetch(`http://127.0.0.1:${port}/old`, { redirect: 'manual' });
    expect([manual.status, manual.headers.get('location'), await manual.text()]).toEqual([303, '/new', 'moved']);
  });

  it('rejects a refused connection with fetch failed and the socket error as its cause, as undici did', async () => {
    const port = await serve(() => {});
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    client = createHttpClient([{ url: `http://gateway.example.lan:${port}`, resolveTo: '127.0.0.1' }]);
    const error = await client.fetch(`http://gateway.example.lan:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('rejects with the signal reason when aborted before the answer, and errors a body being read when aborted after', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/slow') return; // never answers
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first');
    });
    client = createHttpClient([]);
    const early = await client.fetch(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((early as Error).name).toBe('TimeoutError');
    const controller = new AbortController();
    const response = await client.fetch(`http://127.0.0.1:${port}/stream`, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first');
    controller.abort(new Error('stop now'));
    await expect(reader.read()).rejects.toThrow('stop now');
  });

  it('decodes a gzip body', async () => {
    const port = await serve((req, res) => res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' }).end(gzipSync('unzipped text')));
    client = createHttpClient([]);
    expect(await (await client.fetch(`http://127.0.0.1:${port}/`)).text()).toBe('unzipped text');
  });

  it('reads the body from the socket only as its reader pulls: the server is held back, not buffered', async () => {
    let written = 0;
    let resolveFull: () => void = () => {};
    const full = new Promise<void>((resolve) => (resolveFull = resolve));
    const port = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const piece = Buffer.alloc(64 * 1024, 120);
      const more = () => {
        while (written < 64 * 1024 * 1024) {
          written += piece.length;
          if (!res.write(piece)) return void setTimeout(resolveFull, 200); // socket full: the client stopped reading
        }
        res.end();
      };
      more();
    });
    client = createHttpClient([]);
    const response = await client.fetch(`http://127.0.0.1:${port}/`);
    await full;
    // Of 64 MB, what sits in the kernel's and the streams' buffers: a few MB at most.
    expect(written).toBeLessThan(16 * 1024 * 1024);
    await response.body!.cancel();
  });
});
