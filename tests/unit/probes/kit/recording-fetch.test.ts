/**
 * Recording what a server answers, when the server is hostile (issue 13, medium 11 and low 19):
 * a 50 MB body is recorded up to the cap and the transcript says how much arrived; a server that
 * streams notifications forever costs bounded memory and never starves the event loop (the other
 * probes run on it). The servers here are plain node:http on loopback: they are the attackers.
 */
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
  it('records a 50 MB body up to the cap and says how much arrived', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 50; i++) res.write(chunk);
      res.end();
    });
    const recorder = recordingFetch(fetch);
    const response = await recorder.fetch(url);
    await response.arrayBuffer(); // the probe reads its own copy
    await recorder.settle(10_000);
    const [exchange] = recorder.exchanges;
    expect(exchange!.body!.length).toBe(1024 * 1024);
    expect(exchange!.truncated).toEqual({ receivedBytes: 50 * 1024 * 1024, recordedBytes: 1024 * 1024 });
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
    const config = parseConfig(`${base}evidence:\n  maxRecordedBytes: 4096\n  maxRecordedEvents: 5\n`, '/ws/proofbook.config.yaml');
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('y'.repeat(50_000));
    });
    const recorder = recordingFetch(fetch, recordingLimits(config));
    await (await recorder.fetch(url)).text();
    await recorder.settle(5_000);
    expect(recorder.exchanges[0]!.body).toHaveLength(4096);
    expect(recorder.exchanges[0]!.truncated).toEqual({ receivedBytes: 50_000, recordedBytes: 4096 });
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
