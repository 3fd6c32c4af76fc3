/**
 * `mcp.catalog` end to end: on the shared real lab (LiteLLM 1.77.1 behind Traefik) over both
 * transports, and against test doubles on loopback for what the lab cannot show: a broken
 * gateway whose streams carry only keep-alive pings, a gateway that serves the legacy SSE
 * transport and paginates, and a catalog that changes between runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../../src/probes/config.ts';
import { probeViews, readIndex } from '../../../../src/evidence/history.ts';
import { writeEvidence } from '../../../../src/evidence/store.ts';
import { createHttpClient, type HttpClient } from '../../../../src/net/http-client.ts';
import { mcpCatalogProbe, type CatalogFacts } from '../../../../src/probes/mcp-catalog/probe.ts';
import { compareCatalog } from '../../../../src/probes/mcp-catalog/compare.ts';
import type { HttpExchange } from '../../../../src/probes/kit/recording-fetch.ts';
import { renderCatalog } from '../../../../src/probes/mcp-catalog/render.ts';
import type { EnvEntry } from '../../../../src/secrets/env-files.ts';
import { Redactor } from '../../../../src/secrets/redactor.ts';
import { closeLabWorkspace, openLabWorkspace, type SharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';
import { listenOnLoopback as listen } from '../../../helpers/loopback-server.ts';

type CatalogOptions = Config['probes']['mcp.catalog'];

function withOptions(config: Config, options: Partial<CatalogOptions>): Config {
  return { ...config, probes: { ...config.probes, 'mcp.catalog': { ...config.probes['mcp.catalog'], ...options } } };
}

function withMcpPath(config: Config, mcpPath: string): Config {
  return { ...config, gateway: { ...config.gateway, mcp: { ...config.gateway.mcp, path: mcpPath } } };
}

function context(config: Config, http: HttpClient, secrets: EnvEntry[]): ProbeContextParts {
  return { config, http, secrets };
}

const exchangesOf = (transcript: unknown[]) => transcript.filter((e) => (e as HttpExchange).kind === 'http') as (HttpExchange & { transport: string })[];

describe('mcp.catalog on the shared real lab', () => {
  let lab: SharedLab;
  let workspace: { dir: string; config: Config };
  let http: HttpClient;
  let secrets: EnvEntry[];

  beforeAll(async () => {
    ({ lab, workspace, http, secrets } = await openLabWorkspace());
  });
  afterAll(() => closeLabWorkspace({ http, workspace }));

  it('lists the catalog over streamable HTTP and shows why LiteLLM 1.77.1 /mcp/sse is not an SSE transport (warn)', async () => {
    const config = workspace.config;
    expect(config.probes['mcp.catalog'].transports).toEqual(['streamable-http', 'sse']); // the default
    // Two runs at once: identical runs, identical facts.
    const [outcome, twin] = await Promise.all([runProbe(mcpCatalogProbe, context(config, http, secrets)), runProbe(mcpCatalogProbe, context(config, http, secrets))]);
    const facts = outcome.facts;
    expect(JSON.stringify(twin.facts)).toBe(JSON.stringify(facts));
    expect(twin.summary).toBe(outcome.summary);

    expect(outcome.status, outcome.summary).toBe('warn');
    const servers = Object.fromEntries(facts.servers.map((s) => [s.name, s]));
    expect(servers.mcp_postgres!.tools).toEqual(['query']);
    expect(servers.mcp_filesystem!.tools).toEqual(expect.arrayContaining(['list_allowed_directories', 'read_text_file']));
    expect(facts.servers.every((s) => s.missingTools.length === 0)).toBe(true);
    expect(facts.endpoint).toMatch(/\/mcp\/$/);
    expect(facts.protocolVersion).toBe('2025-06-18');

    const [streamable, sse] = facts.transports!;
    expect(streamable).toMatchObject({ transport: 'streamable-http', status: 'pass', toolCount: facts.toolCount, sseEvents: [] });
    expect(streamable!.responses).toEqual(
      expect.arrayContaining(['POST /mcp/ initialize: 200 application/json', 'POST /mcp/ tools/list: 200 application/json']),
    );
    expect(sse).toMatchObject({ transport: 'sse', status: 'warn', sseEvents: [] });
    expect(sse!.endpoint).toMatch(/\/mcp\/sse$/);
    expect(sse!.responses).toEqual(['GET /mcp/sse: 200 text/event-stream', 'POST /mcp/sse initialize: 200 application/json']);
    expect(sse!.note).toContain('GET /mcp/sse sends no "endpoint" event, only keep-alive pings');
    expect(sse!.note).toContain('LiteLLM 1.77.x routes /mcp/sse to its streamable HTTP handler');
    expect(outcome.summary).toMatch(/^\d+ tools via lan over streamable HTTP \(mcp_postgres 1, mcp_filesystem \d+\); SSE: \/mcp\/sse does not serve the legacy SSE transport/);

    // Raw capture: the SSE GET is the gateway's stream of keep-alive pings, and nothing else.
    const exchanges = exchangesOf(outcome.transcript);
    const get = exchanges.find((e) => e.transport === 'sse' && e.method === 'GET')!;
    expect(get.status).toBe(200);
    expect(get.responseHeaders!['content-type']).toBe('text/event-stream');
    expect(get.sseEvents).toEqual([]);
    // The POST settled the question at once (no waiting out streamWaitMs for pings every 15 s), and the transcript says why.
    const decided = (outcome.transcript as { kind: string; transport?: string; decided?: string }[]).find((e) => e.kind === 'mcp.transport' && e.transport === 'sse');
    expect(decided?.decided).toMatch(/^POST \/mcp\/sse answered as streamable HTTP, so GET \/mcp\/sse is its notification stream/);
    const post = exchanges.find((e) => e.transport === 'streamable-http' && e.requestBody?.includes('tools/list'))!;
    expect(post.responseHeaders!['content-type']).toBe('application/json');
    expect(post.body).toContain('mcp_postgres-query');

    // Stored: the key is redacted from both transports' requests.
    const evaluationDir = path.join(workspace.dir, 'evaluation');
    const redactor = new Redactor(secrets.map((e) => e.value));
    const result = await writeEvidence({ evaluationDir, id: 'mcp.catalog', outcome, startedAt: new Date().toISOString(), durationMs: 1, redactor });
    const { readFile } = await import('node:fs/promises');
    const transcript = await readFile(path.join(evaluationDir, result.evidence.transcript), 'utf8');
    expect(transcript).not.toContain(lab.secrets.masterKey);
    const stored = JSON.parse(transcript) as (HttpExchange & { transport: string })[];
    for (const transport of ['streamable-http', 'sse']) {
      expect(stored.find((e) => e.transport === transport && e.kind === 'http')!.requestHeaders.authorization).toBe('Bearer [REDACTED]');
    }
  }, 90_000);

  it('gives identical facts and summary on identical runs (LiteLLM lists tools in varying order)', async () => {
    const config = withOptions(workspace.config, { transports: ['streamable-http'] });
    const first = await runProbe(mcpCatalogProbe, context(config, http, secrets));
    const second = await runProbe(mcpCatalogProbe, context(config, http, secrets));
    expect(first.status).toBe('pass');
    expect(first.summary).toMatch(/^\d+ tools via lan \(mcp_postgres 1, mcp_filesystem \d+\)$/);
    expect(JSON.stringify(second.facts)).toBe(JSON.stringify(first.facts));
    expect(second.summary).toBe(first.summary);
  }, 60_000);

  it('fails when an expected tool is missing, naming the server and the tool', async () => {
    const config = withOptions(workspace.config, {
      transports: ['streamable-http'],
      expectedTools: { mcp_postgres: ['query', 'drop_everything'], mcp_filesystem: ['list_allowed_directories'] },
    });
    const outcome = await runProbe(mcpCatalogProbe, context(config, http, secrets));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/\/mcp\/: mcp_postgres lacks drop_everything$/);
    expect(outcome.facts.servers.find((s) => s.name === 'mcp_postgres')!.missingTools).toEqual(['drop_everything']);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Test doubles on loopback (tests/helpers/loopback-server.ts puts each on a free port)

/**
 * TEST DOUBLE of a broken gateway (plain node:http, no MCP SDK): whatever is asked, it answers
 * 200 `text/event-stream` and then sends only keep-alive pings — `: ping` comments and
 * `event: ping` events, alternating — and never an MCP message.
 */
async function pingsOnlyGateway(everyMs = 40) {
  return listen(
    createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      let n = 0;
      const timer = setInterval(() => res.write(n++ % 2 ? 'event: ping\ndata: {}\n\n' : `: ping - ${n}\n\n`), everyMs);
      res.on('close', () => clearInterval(timer));
    }),
  );
}

/**
 * TEST DOUBLE of a gateway that serves both transports (MCP SDK server): streamable HTTP at
 * /mcp/ (stateless, JSON answers) and the legacy SSE transport at /mcp/sse (+ /mcp/messages).
 * `tools.current` is what it lists, `pageSize` tools per page with a `nextCursor`.
 * With `sseAsStreamable`, /mcp/sse behaves like LiteLLM 1.77.1's instead: GET is a stream of
 * keep-alive pings only, POST is streamable HTTP.
 */
async function catalogDouble(tools: { current: Tool[] }, pageSize = 2, sseAsStreamable = false) {
  const build = () => {
    const server = new Server({ name: 'catalog-double', version: '0.0.1' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const next = start + pageSize < tools.current.length ? String(start + pageSize) : undefined;
      return { tools: tools.current.slice(start, start + pageSize), ...(next ? { nextCursor: next } : {}) };
    });
    server.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: 'ok' }] }));
    return server;
  };
  const sessions = new Map<string, SSEServerTransport>();
  return listen(
    createServer(async (req, res) => {
      const url = new URL(req.url!, 'http://double');
      if (sseAsStreamable && url.pathname === '/mcp/sse' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        const timer = setInterval(() => res.write(': ping\n\n'), 40);
        res.on('close', () => clearInterval(timer));
      } else if (sseAsStreamable && url.pathname === '/mcp/sse' && req.method === 'POST') {
        const server = build();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => void server.close());
        await server.connect(transport);
        await transport.handleRequest(req, res);
      } else if (url.pathname === '/mcp/sse' && req.method === 'GET') {
        const transport = new SSEServerTransport('/mcp/messages', res);
        sessions.set(transport.sessionId, transport);
        res.on('close', () => sessions.delete(transport.sessionId));
        await build().connect(transport);
      } else if (url.pathname === '/mcp/messages' && req.method === 'POST') {
        const transport = sessions.get(url.searchParams.get('sessionId') ?? '');
        if (transport) await transport.handlePostMessage(req, res);
        else res.writeHead(404).end();
      } else if (url.pathname === '/mcp/' && req.method === 'POST') {
        const server = build();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => void server.close());
        await server.connect(transport);
        await transport.handleRequest(req, res);
      } else res.writeHead(url.pathname.startsWith('/mcp/') ? 405 : 404).end();
    }),
  );
}

/** A workspace whose only host is a double on loopback. */
async function doubleWorkspace(url: string, servers: string[]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-catalog-'));
  const configPath = path.join(dir, 'proofbook.config.yaml');
  await writeFile(
    configPath,
    [
      'gateway:',
      '  configFile: config.yaml',
      '  composeFile: docker-compose.yml',
      '  mcp:',
      `    servers: [${servers.join(', ')}]`,
      'hosts:',
      '  - name: lan',
      `    url: ${url}`,
      'probes: {}',
      '',
    ].join('\n'),
  );
  const config = await loadConfig(configPath);
  const http = createHttpClient(config.hosts);
  // Any key will do for a double; it must never reach the evidence.
  const secrets: EnvEntry[] = [{ key: 'LITELLM_MASTER_KEY', value: 'sk-double-key-0123456789', file: path.join(dir, '.env'), line: 1 }];
  return {
    dir,
    config,
    http,
    secrets,
    async remove() {
      await http.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const tool = (name: string, properties: Record<string, object> = {}): Tool => ({ name, description: name, inputSchema: { type: 'object', properties } });

describe('mcp.catalog against test doubles on loopback', () => {
  it('fails a stream that yields only keep-alive pings, on both transports, counting the pings apart', async () => {
    const gateway = await pingsOnlyGateway();
    const ws = await doubleWorkspace(gateway.url, ['alpha']);
    try {
      const started = performance.now();
      const outcome = await runProbe(mcpCatalogProbe, context(ws.config, ws.http, ws.secrets));
      expect(performance.now() - started).toBeLessThan(10_000); // pingLimit ends it long before streamWaitMs

      expect(outcome.status).toBe('fail');
      expect(outcome.summary).toContain(`cannot list tools at ${gateway.url}/mcp/: only 3 keep-alive pings, no MCP events (POST /mcp/, waiting for initialize)`);
      expect(outcome.summary).toContain(`cannot list tools over SSE at ${gateway.url}/mcp/sse: only 3 keep-alive pings, no MCP events (GET /mcp/sse, waiting for initialize)`);
      expect(outcome.facts.transports!.map((t) => [t.transport, t.status])).toEqual([
        ['streamable-http', 'fail'],
        ['sse', 'fail'],
      ]);
      expect(outcome.facts.transports![1]!.responses).toEqual(['GET /mcp/sse: 200 text/event-stream', 'POST /mcp/sse initialize: 200 text/event-stream']);
      expect(outcome.facts.schemas).toBeUndefined();

      const get = exchangesOf(outcome.transcript).find((e) => e.transport === 'sse' && e.method === 'GET')!;
      expect(get.contentType).toBe('text/event-stream');
      expect(get.sseEvents).toEqual([]); // `event: ping` is a ping, not an MCP event
      expect(get.ssePings).toBeGreaterThanOrEqual(3);
    } finally {
      await ws.remove();
      await gateway.close();
    }
  });

  it('fails after streamWaitMs when a stream sends nothing but pings slower than pingLimit', async () => {
    const gateway = await pingsOnlyGateway(200);
    const ws = await doubleWorkspace(gateway.url, ['alpha']);
    try {
      const config = withOptions(ws.config, { transports: ['sse'], streamWaitMs: 500, pingLimit: 100 });
      const outcome = await runProbe(mcpCatalogProbe, context(config, ws.http, ws.secrets));
      expect(outcome.status).toBe('fail');
      expect(outcome.summary).toMatch(/^cannot list tools over SSE at .*\/mcp\/sse: only \d keep-alive pings?, no MCP events \(GET \/mcp\/sse, waiting for initialize\)$/);
    } finally {
      await ws.remove();
      await gateway.close();
    }
  });

  it('lists a paginated catalog over streamable HTTP and the legacy SSE transport alike', async () => {
    const tools = { current: ['alpha-one', 'alpha-two', 'alpha-three', 'beta-four', 'beta-five'].map((n) => tool(n)) };
    const gateway = await catalogDouble(tools);
    const ws = await doubleWorkspace(gateway.url, ['alpha', 'beta']);
    try {
      const config = withOptions(ws.config, { expectedTools: { alpha: ['one', 'three'], beta: ['five'] } });
      const outcome = await runProbe(mcpCatalogProbe, context(config, ws.http, ws.secrets));
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.summary).toBe('5 tools via lan over streamable HTTP and SSE (alpha 3, beta 2)');
      expect(outcome.facts.pages).toBe(3); // 2 + 2 + 1, following nextCursor
      expect(outcome.facts.servers).toEqual([
        { name: 'alpha', tools: ['one', 'three', 'two'], missingTools: [] },
        { name: 'beta', tools: ['five', 'four'], missingTools: [] },
      ]);
      const [streamable, sse] = outcome.facts.transports!;
      expect(streamable).toMatchObject({ status: 'pass', toolCount: 5 });
      expect(sse).toMatchObject({ status: 'pass', toolCount: 5, sseEvents: ['endpoint', 'message'] });
      expect(sse!.responses).toEqual([
        'GET /mcp/sse: 200 text/event-stream',
        'POST /mcp/messages initialize: 202',
        'POST /mcp/messages notifications/initialized: 202',
        'POST /mcp/messages tools/list: 202',
      ]);
    } finally {
      await ws.remove();
      await gateway.close();
    }
  });

  it('warns, without blaming LiteLLM, when the SSE path only pings on GET but answers streamable HTTP on POST', async () => {
    const gateway = await catalogDouble({ current: [tool('alpha-one')] }, 2, true);
    const ws = await doubleWorkspace(gateway.url, ['alpha']);
    try {
      const outcome = await runProbe(mcpCatalogProbe, context(ws.config, ws.http, ws.secrets));
      expect(outcome.status).toBe('warn');
      expect(outcome.summary).toBe(
        '1 tools via lan over streamable HTTP (alpha 1); SSE: /mcp/sse does not serve the legacy SSE transport (no "endpoint" event, only keep-alive pings; it answers as streamable HTTP)',
      );
      expect(outcome.facts.transports![1]!.note).toBe(
        'GET /mcp/sse sends no "endpoint" event, only keep-alive pings, while POST /mcp/sse answers as streamable HTTP (catalog-double): ' +
          'the legacy SSE transport is not served here. SSE-only clients cannot connect; use streamable HTTP.',
      );
    } finally {
      await ws.remove();
      await gateway.close();
    }
  });

  it('records tools added, removed and with a changed input schema, and stays byte-identical while nothing changes', async () => {
    const tools = { current: [tool('alpha-one', { path: { type: 'string' } }), tool('alpha-two'), tool('beta-three')] };
    const gateway = await catalogDouble(tools);
    const ws = await doubleWorkspace(gateway.url, ['alpha', 'beta']);
    const evaluationDir = ws.config.evaluationDir;
    const redactor = new Redactor(ws.secrets.map((e) => e.value));
    const config = withOptions(ws.config, { transports: ['streamable-http'] });
    let clock = Date.parse('2026-01-01T00:00:00.000Z');
    const run = async (options: Partial<CatalogOptions> = {}, mcpPath?: string) => {
      // As refresh does: the definition's compare against what the evidence showed before the run.
      const previous = (await probeViews(evaluationDir)).get('mcp.catalog');
      const configured = withOptions(mcpPath ? withMcpPath(config, mcpPath) : config, options);
      const outcome = compareCatalog(previous, await runProbe(mcpCatalogProbe, context(configured, ws.http, ws.secrets)));
      clock += 60_000;
      const result = await writeEvidence({ evaluationDir, id: 'mcp.catalog', outcome, startedAt: new Date(clock).toISOString(), durationMs: 1, redactor });
      return { facts: result.facts as CatalogFacts, result, view: (await probeViews(evaluationDir)).get('mcp.catalog')! };
    };
    const fingerprints = async () => (await readIndex(evaluationDir)).map((e) => e.fingerprint);
    const markdown = (view: Awaited<ReturnType<typeof run>>['view']) =>
      toMarkdown({ type: 'root', children: renderCatalog(view, { docFile: path.join(ws.dir, 'content', 'doc.md'), evaluationDir }) }, { extensions: [gfmToMarkdown()] });
    try {
      // 1: the first catalog on record.
      const first = await run();
      expect(first.result.status).toBe('pass');
      expect(first.facts.diff).toEqual({ added: [], removed: [], changed: [] });
      expect(Object.keys(first.facts.schemas!)).toEqual(['alpha-one', 'alpha-two', 'beta-three']);
      expect(markdown(first.view)).toContain('First catalog on record');

      // 2: nothing changed → the same facts, so the docs keep pointing at run 1.
      const second = await run();
      expect(JSON.stringify(second.facts)).toBe(JSON.stringify(first.facts));
      expect(second.result.summary).toBe(first.result.summary);
      expect(new Set(await fingerprints()).size).toBe(1);
      expect(second.view.evidence).toBe(first.result.evidence.result);

      // 3: alpha-two removed, beta-four added, alpha-one's input schema changed.
      tools.current = [tool('alpha-one', { path: { type: 'string' }, depth: { type: 'number' } }), tool('beta-four'), tool('beta-three')];
      const third = await run();
      expect(third.facts.diff).toEqual({ against: first.result.evidence.result, added: ['beta-four'], removed: ['alpha-two'], changed: ['alpha-one'] });
      expect(third.facts.schemas!['alpha-one']).not.toBe(first.facts.schemas!['alpha-one']);
      expect(third.facts.schemas!['beta-three']).toBe(first.facts.schemas!['beta-three']);
      const text = markdown(third.view);
      expect(text).toContain('Changed since the [previous catalog](../evaluation/mcp.catalog/2026-01-01T00-01-00-000Z.json): added `beta-four`; removed `alpha-two`; input schema changed `alpha-one`.');

      // 4: the same catalog again → the diff is carried over, not flipped to "no change".
      const fourth = await run();
      expect(JSON.stringify(fourth.facts)).toBe(JSON.stringify(third.facts));
      expect(fourth.view.evidence).toBe(third.result.evidence.result);
      expect(markdown(fourth.view)).toBe(text);

      // 5: an outage carries the last catalog; 6: back with the same catalog → the same diff as before the outage.
      const outage = await run({}, '/nothing-here/');
      expect(outage.result.status).toBe('fail');
      expect(outage.facts.diff).toBeUndefined();
      expect(outage.facts.lastCatalog).toEqual({ evidence: third.result.evidence.result, schemas: third.facts.schemas, diff: third.facts.diff });
      const back = await run();
      expect(back.facts.diff).toEqual(third.facts.diff);
      expect(JSON.stringify(back.facts)).toBe(JSON.stringify(third.facts));
    } finally {
      await ws.remove();
      await gateway.close();
    }
  });

  it('compares with the tool names of evidence written before schemas were recorded', async () => {
    const tools = { current: [tool('alpha-one'), tool('alpha-two')] };
    const gateway = await catalogDouble(tools);
    const ws = await doubleWorkspace(gateway.url, ['alpha']);
    try {
      const config = withOptions(ws.config, { transports: ['streamable-http'] });
      const old = {
        id: 'mcp.catalog',
        status: 'pass' as const,
        summary: '2 tools via lan (alpha 2)',
        facts: { servers: [{ name: 'alpha', tools: ['one', 'zero'], missingTools: [] }], otherTools: [] },
        since: '2025-09-18T00:00:00.000Z',
        evidence: 'mcp.catalog/2025-09-18T00-00-00-000Z.json',
        lastRun: '2025-09-18T00:00:00.000Z',
      };
      const outcome = compareCatalog(old, await runProbe(mcpCatalogProbe, context(config, ws.http, ws.secrets)));
      expect(outcome.facts.diff).toEqual({ against: old.evidence, added: ['alpha-two'], removed: ['alpha-zero'], changed: [] });
    } finally {
      await ws.remove();
      await gateway.close();
    }
  });
});
