/**
 * `mcp.invoke` end to end: safe calls through the shared real lab (LiteLLM 1.77.1 behind
 * Traefik), a failing call there, a crashed MCP server on an own lab, and — with a test double
 * on loopback — the `isError: true` and timeout paths LiteLLM 1.77.1 cannot show.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, type Config } from '../../../../src/probes/config.ts';
import { probeViews } from '../../../../src/evidence/history.ts';
import { writeEvidence } from '../../../../src/evidence/store.ts';
import { labDown, labUp } from '../../../../src/lab/lab.ts';
import { createHttpClient, type HttpClient } from '../../../../src/net/http-client.ts';
import { mcpCatalogProbe } from '../../../../src/probes/mcp-catalog/probe.ts';
import { mcpInvokeProbe, type InvokeFacts } from '../../../../src/probes/mcp-invoke/probe.ts';
import { McpInvokeOptionsSchema } from '../../../../src/probes/mcp-invoke/options.ts';
import { renderInvoke } from '../../../../src/probes/mcp-invoke/render.ts';
import { readSecretsFiles, type EnvEntry } from '../../../../src/secrets/env-files.ts';
import { Redactor } from '../../../../src/secrets/redactor.ts';
import { createLabWorkspace, type LabWorkspace } from '../../../helpers/lab-workspace.ts';
import { closeLabWorkspace, openLabWorkspace, type SharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

/** The config with `probes."mcp.invoke"` set (the schema may not know the probe yet; the probe parses its options itself). */
function withInvoke(config: Config, options: Record<string, unknown>): Config {
  return { ...config, probes: { ...config.probes, 'mcp.invoke': options } as Config['probes'] };
}

function context(config: Config, http: HttpClient, secrets: EnvEntry[]): ProbeContextParts {
  return { config, http, secrets };
}

const markdownOf = (facts: InvokeFacts, status: 'pass' | 'fail' | 'error', summary: string) =>
  toMarkdown(
    {
      type: 'root',
      children: renderInvoke(
        { id: 'mcp.invoke', status, summary, facts: facts as unknown as Record<string, unknown>, since: '2026-01-01T00:00:00.000Z', evidence: 'mcp.invoke/x.json', lastRun: '' },
        { docFile: '/ws/content/doc.md', evaluationDir: '/ws/evaluation' },
      ),
    },
    { extensions: [gfmToMarkdown({ tablePipeAlign: false })] },
  );

describe('the options', () => {
  it('default to the lab\'s two safe calls and describe every field', () => {
    const options = McpInvokeOptionsSchema.parse({});
    expect(options).toMatchObject({ host: 'lan', timeoutMs: 30_000 });
    expect(options.path).toBeUndefined(); // the gateway's MCP path (gateway.mcp.path) unless set here
    expect(options.calls.map((c) => `${c.server}-${c.tool}`)).toEqual(['mcp_postgres-query', 'mcp_filesystem-list_allowed_directories']);
    for (const [name, field] of Object.entries(McpInvokeOptionsSchema.shape)) expect(field.description, name).toBeTruthy();
    expect(() => McpInvokeOptionsSchema.parse({ calls: [{ server: 'a', tool: 'b', argumnets: {} }] })).toThrow(/argumnets/);
  });
});

describe('mcp.invoke on the shared real lab', () => {
  let lab: SharedLab;
  let workspace: { dir: string; config: Config };
  let http: HttpClient;
  let secrets: EnvEntry[];

  beforeAll(async () => {
    ({ lab, workspace, http, secrets } = await openLabWorkspace());
  });
  afterAll(() => closeLabWorkspace({ http, workspace }));

  it('calls postgres `select 1` and filesystem `list_allowed_directories` through Traefik; stable facts; key redacted', async () => {
    const outcome = await runProbe(mcpInvokeProbe, context(workspace.config, http, secrets));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.summary).toBe('2 of 2 calls OK via lan (mcp_postgres query, mcp_filesystem list_allowed_directories)');
    const [pg, fs] = outcome.facts.calls;
    expect(pg).toMatchObject({ name: 'mcp_postgres-query', arguments: { sql: 'select 1' }, outcome: 'ok', isError: false, listed: true });
    expect(pg!.result).toBe('[\n  {\n    "?column?": 1\n  }\n]');
    expect(fs).toMatchObject({ name: 'mcp_filesystem-list_allowed_directories', outcome: 'ok', isError: false, listed: true });
    // The lab's files folder is MCP_FILESYSTEM_ROOT in its secrets file: redacted in the outcome (by the runner) as in the evidence.
    expect(fs!.result).toBe('Allowed directories:\n[REDACTED]');
    expect(outcome.facts.serversWithoutTools).toEqual([]);

    const again = await runProbe(mcpInvokeProbe, context(workspace.config, http, secrets));
    expect(JSON.stringify(again.facts)).toBe(JSON.stringify(outcome.facts));
    expect(again.summary).toBe(outcome.summary);

    const evaluationDir = path.join(workspace.dir, 'evaluation');
    const result = await writeEvidence({
      evaluationDir,
      id: 'mcp.invoke',
      outcome,
      startedAt: new Date().toISOString(),
      durationMs: 1,
      redactor: new Redactor(secrets.map((e) => e.value)),
    });
    const transcript = await readFile(path.join(evaluationDir, result.evidence.transcript), 'utf8');
    expect(transcript).not.toContain(lab.secrets.masterKey);
    const calls = (JSON.parse(transcript) as { kind: string; requestBody?: string; requestHeaders?: Record<string, string> }[]).filter(
      (e) => e.kind === 'http' && e.requestBody?.includes('tools/call'),
    );
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.requestHeaders!.authorization).toBe('Bearer [REDACTED]');

    const view = (await probeViews(evaluationDir)).get('mcp.invoke')!;
    const text = markdownOf(view.facts as unknown as InvokeFacts, 'pass', view.summary);
    expect(text).toContain('| Server | Tool | Arguments | Result (short) | OK |');
    expect(text).toContain('| `mcp_postgres` | `query` | `{"sql":"select 1"}` | `[ { "?column?": 1 } ]` | ✅ |');
    expect(text).toContain('x-mcp-servers: mcp_filesystem');
  }, 60_000);

  it('fails a call the server rejects, naming server, tool and the error text', async () => {
    const config = withInvoke(workspace.config, {
      calls: [
        // READ ONLY transaction: postgres refuses; LiteLLM 1.77.1 turns that into HTTP 500 (see mcp-invoke.ts).
        { server: 'mcp_postgres', tool: 'query', arguments: { sql: 'drop table services' } },
        // The filesystem server's isError reaches the client as isError: false — `expect` catches it.
        { server: 'mcp_filesystem', tool: 'read_text_file', arguments: { path: '/etc/hostname' }, expect: 'never in an error' },
      ],
    });
    const outcome = await runProbe(mcpInvokeProbe, context(config, http, secrets));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toContain(
      'mcp_postgres query: HTTP 500, JSON-RPC error -32600: Error processing request: No response received (LiteLLM 1.77.x answers this way when the upstream tool call fails',
    );
    expect(outcome.summary).toMatch(/mcp_filesystem read_text_file: result lacks "never in an error": Access denied - path outside allowed directories/);
    expect(outcome.facts.calls.map((c) => c.outcome)).toEqual(['failed', 'failed']);
    expect(outcome.facts.calls[1]!.isError).toBe(false);

    // The gateway keeps serving after that crash of its session.
    const after = await runProbe(mcpInvokeProbe, context(workspace.config, http, secrets));
    expect(after.status).toBe('pass');
  }, 60_000);
});

describe('mcp.invoke with a crashed MCP server (own lab: mcp_postgres exits at start)', () => {
  let ws: LabWorkspace;
  let config: Config;
  let http: HttpClient;
  let secrets: EnvEntry[];

  beforeAll(async () => {
    ws = await createLabWorkspace();
    const litellmConfig = path.join(ws.dir, 'lab', 'config.yaml');
    const original = await readFile(litellmConfig, 'utf8');
    const crashed = original.replace(
      'args: ["-c", "exec mcp-server-postgres \\"$POSTGRES_URL\\""]',
      'args: ["-c", "echo \'mcp_postgres: cannot start\' >&2; exit 3"]',
    );
    expect(crashed).not.toBe(original);
    await writeFile(litellmConfig, crashed);
    config = await loadConfig(ws.configPath);
    await labUp(config);
    http = createHttpClient(config.hosts);
    secrets = (await readSecretsFiles(config.secretsFiles)).entries;
  });
  afterAll(async () => {
    await http?.close();
    if (config) await labDown(config);
    await ws?.remove();
  });

  it('fails naming the server, while the other server\'s call still passes', async () => {
    const outcome = await runProbe(mcpInvokeProbe, context(config, http, secrets));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe(
      "mcp_postgres lists no tools: its MCP server is not running (crashed or failed to start; see the gateway's log); mcp_postgres query: not called: the server lists no tools",
    );
    expect(outcome.summary).not.toContain('mcp_filesystem');
    expect(outcome.facts.serversWithoutTools).toEqual(['mcp_postgres']);
    expect(outcome.facts.calls.map((c) => [c.server, c.outcome, c.listed])).toEqual([
      ['mcp_postgres', 'failed', false],
      ['mcp_filesystem', 'ok', true],
    ]);
    const text = markdownOf(outcome.facts, 'fail', outcome.summary);
    expect(text).toContain('No tools listed by mcp_postgres: the MCP server is not running');
    // Stable while the server stays down.
    const again = await runProbe(mcpInvokeProbe, context(config, http, secrets));
    expect(JSON.stringify(again.facts)).toBe(JSON.stringify(outcome.facts));

    // mcp.catalog sees the same gap.
    const catalog = await runProbe(mcpCatalogProbe, context({ ...config, probes: { ...config.probes, 'mcp.catalog': { ...config.probes['mcp.catalog'], transports: ['streamable-http'] } } }, http, secrets),
    );
    expect(catalog.status).toBe('fail');
    expect(catalog.summary).toMatch(/\/mcp\/: no tools from mcp_postgres$/);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

/**
 * TEST DOUBLE of a gateway (MCP SDK server, streamable HTTP, stateless) whose tools answer in
 * ways LiteLLM 1.77.1 cannot: `alpha-echo` answers, `alpha-boom` answers `isError: true`, and
 * `alpha-hang` never answers.
 */
async function toolDouble(): Promise<{ url: string; close(): Promise<void> }> {
  const build = () => {
    const server = new Server({ name: 'tool-double', version: '0.0.1' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: ['alpha-echo', 'alpha-boom', 'alpha-hang'].map((name) => ({ name, inputSchema: { type: 'object' as const } })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      if (request.params.name === 'alpha-boom') return { content: [{ type: 'text', text: 'boom: the tool failed on purpose' }], isError: true };
      if (request.params.name === 'alpha-hang') return new Promise(() => {});
      return { content: [{ type: 'text', text: `echo ${JSON.stringify(request.params.arguments)}` }] };
    });
    return server;
  };
  const http: HttpServer = createServer(async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

describe('mcp.invoke against a test double on loopback', () => {
  let double: Awaited<ReturnType<typeof toolDouble>>;
  let config: Config;
  let http: HttpClient;
  const secrets: EnvEntry[] = [{ key: 'LITELLM_MASTER_KEY', value: 'sk-double-key-0123456789', file: '/dev/null', line: 1 }];

  beforeAll(async () => {
    double = await toolDouble();
    const yaml = ['gateway:', '  configFile: c.yaml', '  composeFile: d.yml', '  mcp:', '    servers: [alpha]', 'hosts:', '  - name: lan', `    url: ${double.url}`, 'probes: {}', ''];
    config = parseConfig(yaml.join('\n'), '/tmp/proofbook-invoke-double/proofbook.config.yaml');
    http = createHttpClient(config.hosts);
  });
  afterAll(async () => {
    await http?.close();
    await double?.close();
  });

  it('fails on isError: true, naming server, tool and the error text', async () => {
    const outcome = await runProbe(mcpInvokeProbe, context(withInvoke(config, { calls: [{ server: 'alpha', tool: 'echo', arguments: { x: 1 }, expect: 'echo {"x":1}' }, { server: 'alpha', tool: 'boom' }] }), http, secrets),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe('alpha boom: isError: boom: the tool failed on purpose');
    expect(outcome.facts.calls[1]).toMatchObject({ outcome: 'failed', isError: true, result: 'boom: the tool failed on purpose' });
    expect(outcome.facts.calls[0]).toMatchObject({ outcome: 'ok', result: 'echo {"x":1}' });
    expect(markdownOf(outcome.facts, 'fail', outcome.summary)).toContain('| `alpha` | `boom` | `{}` | `isError: boom: the tool failed on purpose` | ❌ |');
  });

  it('is an error when a call does not answer within timeoutMs, naming the call', async () => {
    const started = performance.now();
    const outcome = await runProbe(mcpInvokeProbe, context(withInvoke(config, { timeoutMs: 1_500, calls: [{ server: 'alpha', tool: 'echo' }, { server: 'alpha', tool: 'hang' }] }), http, secrets),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toBe("alpha hang: no answer within the probe's 1500 ms timeout");
    expect(outcome.facts.calls.map((c) => c.outcome)).toEqual(['ok', 'timeout']);
    expect(markdownOf(outcome.facts, 'error', outcome.summary)).toContain('💥 timeout |');
  });
});
