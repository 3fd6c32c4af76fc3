/**
 * How mcp.catalog judges the SSE path when POST there answers as streamable HTTP (LiteLLM mounts
 * its streamable HTTP handler at "/"): by what the GET stream does, not by the POST. Against a
 * TEST DOUBLE shaped like LiteLLM 1.104.0+ (MCP SDK server on loopback): GET /mcp/sse is the
 * legacy SSE transport (an `endpoint` event first, messages at /mcp/sse/messages), POST /mcp/sse
 * answers `initialize` as streamable HTTP, and tools/list takes a while (LiteLLM starts its stdio
 * servers then), so a probe that settles the question on the POST stops a session that works.
 * The 1.77.1 shape (GET only pings) is in tests/e2e/probes/mcp-catalog on the real lab.
 */
import { createServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { parseConfig } from '../../../../src/probes/config.ts';
import type { HttpExchange } from '../../../../src/probes/kit/recording-fetch.ts';
import { mcpCatalogProbe } from '../../../../src/probes/mcp-catalog/probe.ts';
import { listenOnLoopback } from '../../../helpers/loopback-server.ts';
import { runProbe } from '../../../helpers/probe-context.ts';

const KEY = 'sk-sse-double-0123456789abcdef';
const TOOLS = ['alpha-one', 'alpha-two'].map((name) => ({ name, description: name, inputSchema: { type: 'object' as const, properties: {} } }));

/**
 * `listDelayMs`: how long tools/list takes; `listOverSse: 'pings'`: over SSE, tools/list is never
 * answered and the stream sends only keep-alive pings instead (a session that announced its
 * endpoint and then stalls).
 */
async function litellm104Double(options: { listDelayMs: number; listOverSse?: 'answer' | 'pings' }) {
  const build = (overSse: boolean) => {
    const server = new Server({ name: 'litellm-mcp-server', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      if (overSse && options.listOverSse === 'pings') return new Promise<never>(() => {});
      await new Promise((r) => setTimeout(r, options.listDelayMs));
      return { tools: TOOLS };
    });
    return server;
  };
  const sessions = new Map<string, SSEServerTransport>();
  return listenOnLoopback(
    createServer(async (req, res) => {
      const url = new URL(req.url!, 'http://double');
      if (url.pathname === '/mcp/sse' && req.method === 'GET') {
        const transport = new SSEServerTransport('/mcp/sse/messages', res);
        sessions.set(transport.sessionId, transport);
        const pings = options.listOverSse === 'pings' ? setInterval(() => res.write(': ping\n\n'), 40) : undefined;
        res.on('close', () => {
          clearInterval(pings);
          sessions.delete(transport.sessionId);
        });
        await build(true).connect(transport);
      } else if (url.pathname === '/mcp/sse/messages' && req.method === 'POST') {
        const transport = sessions.get(url.searchParams.get('sessionId') ?? '');
        if (transport) await transport.handlePostMessage(req, res);
        else res.writeHead(404).end();
      } else if ((url.pathname === '/mcp/' || url.pathname === '/mcp/sse') && req.method === 'POST') {
        // LiteLLM's streamable HTTP handler, mounted at "/": it answers on /mcp/sse too.
        const server = build(false);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => void server.close());
        await server.connect(transport);
        await transport.handleRequest(req, res);
      } else res.writeHead(404).end();
    }),
  );
}

let close: (() => Promise<void>) | undefined;
const saved = process.env.LITELLM_MASTER_KEY;
afterEach(async () => {
  await close?.();
  close = undefined;
  if (saved !== undefined) process.env.LITELLM_MASTER_KEY = saved;
});

async function catalog(double: { url: string; close(): Promise<void> }, probeOptions = '') {
  close = double.close;
  delete process.env.LITELLM_MASTER_KEY;
  const config = parseConfig(
    `gateway: { configFile: c.yaml, composeFile: d.yml, mcp: { servers: [alpha], path: /mcp/ } }
hosts: [{ name: lan, url: "${double.url}" }]
probes: { mcp.catalog: { transports: [streamable-http, sse]${probeOptions} } }
`,
    '/ws/proofbook.config.yaml',
  );
  const http = createHttpClient(config.hosts);
  try {
    return await runProbe(mcpCatalogProbe, { config, http, secrets: [{ key: 'LITELLM_MASTER_KEY', value: KEY, file: '/ws/.env', line: 1 }] });
  } finally {
    await http.close();
  }
}

describe('mcp.catalog on an SSE path that also answers streamable HTTP POSTs', () => {
  it('passes SSE when GET announces an endpoint and the session lists tools, however slowly', async () => {
    const outcome = await catalog(await litellm104Double({ listDelayMs: 1_500 }));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.summary).toBe('2 tools via lan over streamable HTTP and SSE (alpha 2)');
    const sse = outcome.facts.transports!.find((t) => t.transport === 'sse')!;
    expect(sse).toMatchObject({ status: 'pass', toolCount: 2, sseEvents: ['endpoint', 'message'] });
    expect(sse.note).toBeUndefined();
    expect(sse.responses).toEqual([
      'GET /mcp/sse: 200 text/event-stream',
      'POST /mcp/sse/messages initialize: 202',
      'POST /mcp/sse/messages notifications/initialized: 202',
      'POST /mcp/sse/messages tools/list: 202',
    ]);
    // The transcript: the endpoint event on the GET, and no decision taken on the POST.
    const get = (outcome.transcript as (HttpExchange & { transport?: string })[]).find((e) => e.kind === 'http' && e.transport === 'sse' && e.method === 'GET')!;
    expect(get.sseEvents![0]).toMatchObject({ event: 'endpoint' });
    expect(get.sseEvents![0]!.data).toMatch(/^\/mcp\/sse\/messages\?sessionId=/);
    const leg = (outcome.transcript as { kind: string; transport?: string; decided?: string; toolCount?: number }[]).find((e) => e.kind === 'mcp.transport' && e.transport === 'sse')!;
    expect(leg.decided).toBeUndefined();
    expect(leg.toolCount).toBe(2);
  }, 30_000);

  it('fails, not "not served", an SSE session that announced its endpoint and then sends only pings', async () => {
    const outcome = await catalog(await litellm104Double({ listDelayMs: 0, listOverSse: 'pings' }), ', pingLimit: 3');
    const sse = outcome.facts.transports!.find((t) => t.transport === 'sse')!;
    expect(sse.status).toBe('fail');
    expect(sse.note).toMatch(/only 3 keep-alive pings, no MCP events \(GET \/mcp\/sse, waiting for tools\/list\)/);
    expect(sse.note).not.toContain('not served');
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toContain('cannot list tools over SSE at');
  }, 30_000);
});
