/**
 * Recording what a server answers, when the server is hostile (issue 13, medium 11 and low 19):
 * a 50 MB body is recorded up to the cap and the transcript says how much arrived and its sha256; a
 * JSON string over the cap reaches the reader cut (issue 17: a 50 MB tool description); the body
 * passes through at the reader's pace (nothing buffered for the recording); a server that streams
 * notifications forever costs bounded memory and never starves the event loop (the other probes
 * run on it). The servers here are plain node:http on loopback: they are the attackers.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/probes/config.ts';
import { parseSse, recordingFetch, recordingLimits, SseParser } from '../../../../src/probes/kit/recording-fetch.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

/** The longest the event loop went without running a 10 ms timer while `work` ran. */
async function worstLag<T>(work: () => Promise<T>): Promise<{ result: T; lagMs: number }> {
  let last = performance.now();
  let lagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last);
    last = now;
  }, 10);
  try {
    return { result: await work(), lagMs };
  } finally {
    clearInterval(timer);
  }
}

describe('recordingFetch against hostile servers', () => {
  it('records a 50 MB body up to the cap, then its size and sha256', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 50; i++) res.write(chunk);
      res.end();
    });
    const recorder = recordingFetch(fetch);
    const response = await recorder.fetch(url);
    expect((await response.arrayBuffer()).byteLength).toBe(50 * 1024 * 1024); // the probe reads it all
    await recorder.settle(10_000);
    const [exchange] = recorder.exchanges;
    const whole = createHash('sha256');
    for (let i = 0; i < 50; i++) whole.update(chunk);
    const sha256 = whole.digest('hex');
    expect(exchange!.body).toBe(`${'x'.repeat(1024 * 1024)}…[${49 * 1024 * 1024} bytes truncated, sha256 ${sha256}]`);
    expect(exchange!.truncated).toEqual({ receivedBytes: 50 * 1024 * 1024, recordedBytes: 1024 * 1024, sha256 });
  });

  it('hands the reader a JSON string over the cap cut, with its size and sha256, and records the same', async () => {
    const description = 'lorem ipsum '.repeat(2_000_000); // 24 MB
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: { tools: [{ name: 'big', description }, { name: 'small', description: 'fine' }] } }));
    });
    const recorder = recordingFetch(fetch, { maxStringBytes: 1024 });
    const read = (await (await recorder.fetch(url)).json()) as { result: { tools: { name: string; description: string }[] } };
    await recorder.settle(10_000);
    const [big, small] = read.result.tools;
    const head = big!.description.replace(/…\[.*$/, '');
    expect(description.startsWith(head) && head.length <= 1024).toBe(true);
    const rest = description.slice(head.length);
    expect(big!.description).toBe(`${head}…[${rest.length} bytes truncated, sha256 ${createHash('sha256').update(rest).digest('hex')}]`);
    expect(small).toEqual({ name: 'small', description: 'fine' });
    const [exchange] = recorder.exchanges;
    expect(JSON.parse(exchange!.body!)).toEqual(read);
    expect(exchange!.truncated).toMatchObject({ cutStrings: 1, recordedBytes: exchange!.body!.length + 2 });
  });

  it('frees the chunks the string cap dropped whole at once, and never a chunk passed on or shared', async () => {
    const head = new TextEncoder().encode('{"description":"' + 'x'.repeat(100));
    const shared = new Uint8Array(2048).fill(0x79); // 'y': two views of one buffer, the second dropped
    const dropped = Array.from({ length: 3 }, () => new Uint8Array(1024).fill(0x78));
    const chunks = [head, ...dropped, shared.subarray(0, 1024), shared.subarray(1024), new TextEncoder().encode('"}')];
    const inner = async () => {
      const body = new ReadableStream<Uint8Array>({ pull: (c) => void (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) }, { highWaterMark: 0 });
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    };
    const recorder = recordingFetch(inner, { maxStringBytes: 64 });
    const read = (await (await recorder.fetch('http://fault.invalid/')).json()) as { description: string };
    expect(read.description).toMatch(/^x{0,64}…\[\d+ bytes truncated, sha256 [0-9a-f]{64}\]$/);
    // Dropped whole and alone in their buffer: freed. The head passed on, and a view of a shared buffer: kept.
    expect(dropped.map((chunk) => chunk.byteLength)).toEqual([0, 0, 0]);
    expect(head.byteLength).toBeGreaterThan(0);
    expect(shared.byteLength).toBe(2048);
  });

  it('never reads ahead of the reader: a body the reader stops on is not pulled on for the recording', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'z');
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const send = (left: number) => {
        while (left > 0 && res.write(chunk)) left--;
        if (left > 0) res.once('drain', () => send(left - 1));
        else res.end();
      };
      send(50);
    });
    const recorder = recordingFetch(fetch);
    const reader = (await recorder.fetch(url)).body!.getReader();
    await reader.read(); // one chunk, then the reader is busy elsewhere
    await recorder.settle(1_000);
    // A tee'd copy (the old way) read all 50 MB for the recording, buffering them for the reader.
    expect(recorder.exchanges[0]!.truncated?.receivedBytes ?? 0).toBeLessThan(8 * 1024 * 1024);
    await reader.cancel();
  });

  it('records a body nobody read (an error answer the client ignored) when it settles', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"MCP request failed"}');
    });
    const recorder = recordingFetch(fetch);
    expect((await recorder.fetch(url)).status).toBe(500);
    await recorder.settle(5_000);
    expect(recorder.exchanges[0]!.body).toBe('{"error":"MCP request failed"}');
  });

  it('keeps at most maxBodyBytes of event data in all, counting the events past it', async () => {
    const event = (n: number) => `event: message\ndata: ${JSON.stringify({ n, pad: 'p'.repeat(4000) })}\n\n`;
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(Array.from({ length: 200 }, (_, n) => event(n)).join(''));
    });
    const recorder = recordingFetch(fetch, { maxBodyBytes: 64 * 1024, maxEvents: 1_000 });
    await (await recorder.fetch(url)).text();
    await recorder.settle(5_000);
    const [exchange] = recorder.exchanges;
    const kept = exchange!.sseEvents!;
    expect(kept.reduce((n, e) => n + e.data.length, 0)).toBe(64 * 1024);
    expect(kept.length + exchange!.truncated!.droppedEvents!).toBe(200);
    expect(kept.length).toBeLessThan(20);
  });

  it('a stream of notifications that never ends: bounded events, the rest counted, and the event loop keeps running', async () => {
    const event = `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x'.repeat(200) } })}\n\n`;
    const burst = event.repeat(200);
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = () => {
        while (res.write(burst)) {
          /* as fast as the socket takes it */
        }
        res.once('drain', send);
      };
      send();
    });
    const recorder = recordingFetch(fetch, { maxEvents: 1_000 });
    const controller = new AbortController();
    const { lagMs } = await worstLag(async () => {
      const response = await recorder.fetch(url, { signal: controller.signal });
      const reader = response.body!.getReader();
      const stop = setTimeout(() => controller.abort(), 3_000);
      try {
        for (;;) if ((await reader.read()).done) break;
      } catch {
        // aborted
      } finally {
        clearTimeout(stop);
      }
      await recorder.settle(1_000);
    });
    const [exchange] = recorder.exchanges;
    expect(exchange!.sseEvents).toHaveLength(1_000);
    expect(exchange!.truncated?.droppedEvents).toBeGreaterThan(1_000);
    // Re-parsing everything received on every chunk (the old way) stalls for seconds here.
    expect(lagMs).toBeLessThan(500);
  }, 20_000);

  it('takes its limits from the workspace config (evidence.maxRecordedBytes / maxRecordedEvents)', async () => {
    const base = 'gateway:\n  configFile: c.yaml\n  composeFile: d.yml\nhosts:\n  - name: lan\n    url: http://x\nprobes:\n  mcp.catalog:\n    servers: [a]\n';
    expect(recordingLimits(parseConfig(base, '/ws/proofbook.config.yaml'))).toEqual({ maxBodyBytes: 1024 * 1024, maxEvents: 1_000 });
    const sha256 = createHash('sha256').update('y'.repeat(50_000)).digest('hex');
    const config = parseConfig(`${base}evidence:\n  maxRecordedBytes: 4096\n  maxRecordedEvents: 5\n`, '/ws/proofbook.config.yaml');
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('y'.repeat(50_000));
    });
    const recorder = recordingFetch(fetch, recordingLimits(config));
    await (await recorder.fetch(url)).text();
    await recorder.settle(5_000);
    expect(recorder.exchanges[0]!.body).toBe(`${'y'.repeat(4096)}…[${50_000 - 4096} bytes truncated, sha256 ${sha256}]`);
    expect(recorder.exchanges[0]!.truncated).toEqual({ receivedBytes: 50_000, recordedBytes: 4096, sha256 });
  });

  it('parses SSE the same whole or in chunks cut anywhere, CRLF included', () => {
    const text = ': ping\r\n\r\nevent: message\r\ndata: {"a":1}\r\nid: 7\r\n\r\nevent: ping\ndata: {}\n\ndata: line 1\ndata: line 2\n\n';
    const whole = parseSse(text);
    expect(whole).toEqual({
      sseEvents: [
        { event: 'message', data: '{"a":1}', id: '7' },
        { event: 'message', data: 'line 1\nline 2' },
      ],
      ssePings: 2,
    });
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      parser.end();
      expect({ sseEvents: parser.events, ssePings: parser.pings }).toEqual(whole);
    }
  });
});
