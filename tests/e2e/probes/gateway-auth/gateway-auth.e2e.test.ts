/**
 * `gateway.auth` on the real lab (LiteLLM 1.77.1 behind Traefik), plus one test double.
 *
 * What the real gateway answers here, and what these tests pin:
 * - `POST /mcp/` initialize, no key or a wrong key → HTTP 500 `{"error":"MCP request failed","details":""}`
 *   (the auth error is only in LiteLLM's log) → refused with a misleading status (warn);
 * - `GET /mcp-rest/tools/list`, no key → 401 "Authentication Error, No api key passed in." (pass);
 *   a wrong key → 400 "No connected db." (the lab runs LiteLLM without a database) → warn;
 * - the configured key lists the tools (200).
 *
 * A gateway that lists tools without a key cannot be made from the lab's LiteLLM honestly, so that
 * case uses a TEST DOUBLE of a misconfigured gateway: the official MCP SDK's server (stateless
 * streamable HTTP) plus a plain REST tool list, on 127.0.0.1, that accepts any key or none.
 */
import { createServer, type Server } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/probes/config.ts';
import { freePort } from '../../../../src/lab/postgres.ts';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { gatewayAuthProbe, looksExternal, WRONG_KEY, type GatewayAuthFacts } from '../../../../src/probes/gateway-auth/probe.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';
import { renderAuth } from '../../../../src/probes/gateway-auth/render.ts';
import { readSecretsFiles } from '../../../../src/secrets/env-files.ts';
import { sharedLab, type SharedLab } from '../../../helpers/shared-lab.ts';
import { recordingRequests, runProbe as runAsTheRunnerDoes } from '../../../helpers/probe-context.ts';
import { regionMarkdown } from '../../../helpers/region-markdown.ts';


/** `sent`, when given, receives the authorization header of every request as it was sent. */
async function runProbe(config: Config, options: { secrets?: boolean; sent?: (string | null)[] } = {}): Promise<ProbeOutcome<GatewayAuthFacts>> {
  const recording = recordingRequests(createHttpClient(config.hosts));
  try {
    const secrets = options.secrets === false ? [] : (await readSecretsFiles(config.secretsFiles)).entries;
    return await runAsTheRunnerDoes(gatewayAuthProbe, { config, http: recording.http, secrets });
  } finally {
    options.sent?.push(...recording.sent.map((request) => request.headers.get('authorization')));
    await recording.http.close();
  }
}

const withOptions = (config: Config, options: object): Config =>
  ({ ...config, probes: { ...config.probes, 'gateway.auth': options } }) as Config;

/** Sets an environment variable for one block and puts the old value back. */
async function withEnv<T>(name: string, value: string | undefined, action: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await action();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

describe('gateway.auth on the shared lab (real LiteLLM 1.77.1)', () => {
  let lab: SharedLab;
  let config: Config;
  beforeAll(async () => {
    lab = await sharedLab();
    config = lab.config;
  });

  it('finds nothing listed without a valid key, warns about the misleading statuses, and the key works', async () => {
    const outcome = await withEnv('LITELLM_MASTER_KEY', undefined, () => runProbe(config));
    expect(outcome.status).toBe('warn');
    expect(outcome.summary).toBe(
      'nothing is listed without a valid key on lan and external, but not every refusal is a 401/403: ' +
        '/mcp/ answers HTTP 500 "MCP request failed" to no key and a wrong key (lan, external); ' +
        '/mcp-rest/tools/list answers HTTP 400 "No connected db." to a wrong key (lan, external); the configured key lists 15 tools',
    );
    const mcp500 = { status: 500, outcome: 'refused-misleading', reason: 'MCP request failed' };
    for (const host of ['lan', 'external']) {
      const checks = outcome.facts.checks.filter((c) => c.host === host);
      expect(checks).toEqual([
        expect.objectContaining({ endpoint: 'mcp', path: '/mcp/', external: host === 'external', noKey: mcp500, wrongKey: mcp500, verdict: 'warn' }),
        expect.objectContaining({
          endpoint: 'rest',
          path: '/mcp-rest/tools/list',
          noKey: { status: 401, outcome: 'refused', reason: 'Authentication Error, No api key passed in.' },
          wrongKey: { status: 400, outcome: 'refused-misleading', reason: 'No connected db.' },
          verdict: 'warn',
        }),
      ]);
    }
    expect(outcome.facts.validKey.map((v) => [v.host, v.status, v.ok, v.tools])).toEqual([
      ['lan', 200, true, 15],
      ['external', 200, true, 15],
    ]);
    expect(outcome.facts.keySource).toMatch(/^\.lab\/secrets\/litellm\.env:\d+$/);
    const lanFindings = outcome.facts.findings.filter((f) => f.message.startsWith('lan ('));
    expect(lanFindings.map((f) => f.message)).toEqual([
      `lan (${config.hostByName('lan').url}) /mcp/: no key and a wrong key are refused (nothing listed), but with HTTP 500 "MCP request failed" instead of 401/403, ` +
        "so a client cannot tell it is an auth failure (LiteLLM 1.77.x answers a missing or rejected key on its MCP endpoint this way; its log shows the auth error)",
      `lan (${config.hostByName('lan').url}) /mcp-rest/tools/list: a wrong key is refused (nothing listed), but with HTTP 400 "No connected db." instead of 401/403, ` +
        'so a client cannot tell it is an auth failure (LiteLLM without a database answers this to any key that is not its master key: it cannot look the key up)',
    ]);
  });

  it('never writes the key: the transcript shows it redacted and labels each request', async () => {
    const sent: (string | null)[] = [];
    const outcome = await runProbe(config, { sent });
    expect(JSON.stringify(outcome)).not.toContain(lab.secrets.masterKey);
    const exchanges = outcome.transcript as unknown as { case: string; method: string; url: string; status: number; requestHeaders: Record<string, string> }[];
    expect(exchanges.map((e) => `${e.case} ${e.method} ${new URL(e.url).pathname} ${e.status}`)).toEqual(
      ['lan', 'external'].flatMap(() => [
        'no-key POST /mcp/ 500',
        'wrong-key POST /mcp/ 500',
        'no-key GET /mcp-rest/tools/list 401',
        'wrong-key GET /mcp-rest/tools/list 400',
        'valid-key GET /mcp-rest/tools/list 200',
      ]),
    );
    expect(exchanges.find((e) => e.case === 'valid-key')!.requestHeaders.authorization).toBe('Bearer [REDACTED]');
    // The runner scrubs every credential header from what the probe returns; the wrong key was sent as it is.
    expect(exchanges.find((e) => e.case === 'wrong-key')!.requestHeaders.authorization).toBe('Bearer [REDACTED]');
    expect(sent).toContain(`Bearer ${WRONG_KEY}`);
    expect(exchanges.find((e) => e.case === 'no-key')!.requestHeaders).not.toHaveProperty('authorization');
    expect(exchanges[0]!.requestHeaders).toMatchObject({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
  });

  it('renders the region: Host | Endpoint | No key | Wrong key | Verdict, the key check and curl to reproduce', async () => {
    const markdown = regionMarkdown(await runProbe(config), 'gateway.auth', renderAuth);
    expect(markdown).toContain('⚠️ **warn** since 2026-01-01 — nothing is listed without a valid key on lan and external');
    expect(markdown).toContain('| Host | Endpoint | No key | Wrong key | Verdict |');
    expect(markdown).toContain('| lan | `/mcp/` | 500 refused: MCP request failed | 500 refused: MCP request failed | ⚠️ refused, but not with 401/403 |');
    expect(markdown).toContain(
      '| external (internet-facing) | `/mcp-rest/tools/list` | 401 refused: Authentication Error, No api key passed in. | 400 refused: No connected db. | ⚠️ refused, but not with 401/403 |',
    );
    expect(markdown).toMatch(/With the configured key `LITELLM_MASTER_KEY` \(from \.lab\/secrets\/litellm\.env:\d+\), `\/mcp-rest\/tools\/list` answers — lan: ✅ 200, 15 tools; external: ✅ 200, 15 tools\./);
    expect(markdown).toContain(`curl -sS -w ' %{http_code}\\n' -H 'Authorization: Bearer sk-wrong-key' ${config.hostByName('lan').url}/mcp-rest/tools/list`);
    expect(markdown).not.toContain(lab.secrets.masterKey);
  });

  it('keeps summary and facts identical from run to run', async () => {
    const first = await runProbe(config);
    const second = await runProbe(config);
    expect(second.summary).toBe(first.summary);
    expect(second.facts).toEqual(first.facts);
  });

  it('passes when the team accepts the misleading statuses (misleadingRejection: pass)', async () => {
    const outcome = await runProbe(withOptions(config, { misleadingRejection: 'pass' }));
    expect(outcome.status).toBe('pass');
    expect(outcome.summary).toMatch(/^nothing is listed without a valid key on lan and external: \/mcp\/ answers HTTP 500/);
  });

  it('fails when the configured key is wrong: "the key itself is rejected", per host, with where the key came from', async () => {
    const wrong = 'sk-this-key-is-wrong-0123456789';
    const outcome = await withEnv('LITELLM_MASTER_KEY', wrong, () => runProbe(config));
    expect(outcome.status).toBe('fail');
    const failures = outcome.facts.findings.filter((f) => f.severity === 'fail').map((f) => f.message);
    expect(failures).toEqual(
      ['lan', 'external'].map((name) => {
        const url = config.hostByName(name).url;
        return (
          `${name} (${url}): the key itself is rejected: GET ${url}/mcp-rest/tools/list with the key from environment variable LITELLM_MASTER_KEY ` +
          'answered HTTP 400 "No connected db."; LiteLLM without a database answers this to any key that is not its master key — check LITELLM_MASTER_KEY'
        );
      }),
    );
    expect(outcome.summary.startsWith(failures.join('; '))).toBe(true);
    expect(JSON.stringify([outcome.summary, outcome.facts])).not.toContain(wrong);
  });

  it('fails when no key is configured at all', async () => {
    const outcome = await withEnv('LITELLM_MASTER_KEY', undefined, () => runProbe(config, { secrets: false }));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/^no gateway key: set LITELLM_MASTER_KEY in the environment or in one of secretsFiles — /);
    expect(outcome.facts.checks).toHaveLength(4); // the refusals are still checked
  });
});

describe('gateway.auth against a gateway that lists tools without a key (TEST DOUBLE of a misconfigured gateway)', () => {
  let server: Server;
  let port: number;
  let base: Config;
  let listTools = true;

  beforeAll(async () => {
    base = (await sharedLab()).config;
    port = await freePort();
    server = createServer(async (req, res) => {
      if (req.url === '/mcp-rest/tools/list') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ tools: listTools ? [{ name: 'mcp_postgres-query', inputSchema: { type: 'object' } }, { name: 'mcp_filesystem-read_text_file', inputSchema: { type: 'object' } }] : [] }));
        return;
      }
      if (req.url === '/mcp/') {
        // The official SDK server, stateless: it never looks at a key.
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const mcp = new McpServer({ name: 'misconfigured-gateway', version: '0.0.0' });
        if (listTools) {
          mcp.registerTool('mcp_postgres-query', { description: 'Run a read-only SQL query' }, async () => ({ content: [] }));
          mcp.registerTool('mcp_filesystem-read_text_file', { description: 'Read a file' }, async () => ({ content: [] }));
        }
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => {
          void transport.close();
          void mcp.close();
        });
        await mcp.connect(transport);
        await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Both hostnames point at the double (resolveTo 127.0.0.1); the external one is a public DNS name. */
  const doubleConfig = (): Config =>
    ({
      ...base,
      hosts: [
        { name: 'lan', url: `http://litellm.linuxserver.lan:${port}`, resolveTo: '127.0.0.1' },
        { name: 'external', url: `http://litellm.ai-servicers.com:${port}`, resolveTo: '127.0.0.1' },
      ],
    }) as Config;

  it('fails as a security finding, and says the external host exposes the catalog to the internet', async () => {
    listTools = true;
    const outcome = await runProbe(doubleConfig());
    expect(outcome.status).toBe('fail');
    const open = (name: string, path: string) =>
      `${name} (http://${name === 'lan' ? 'litellm.linuxserver.lan' : 'litellm.ai-servicers.com'}:${port}) ${path}: with no key and a wrong key the gateway lists 2 tool(s) (HTTP 200) ` +
      '— anyone who reaches this host can read the MCP catalog without a valid key';
    expect(outcome.summary).toBe(
      [
        open('lan', '/mcp/'),
        open('lan', '/mcp-rest/tools/list'),
        `${open('external', '/mcp/')}; this is the EXTERNAL host: the catalog is exposed to the internet`,
        `${open('external', '/mcp-rest/tools/list')}; this is the EXTERNAL host: the catalog is exposed to the internet`,
      ].join('; '),
    );
    expect(outcome.facts.checks.map((c) => [c.host, c.endpoint, c.noKey.outcome, c.noKey.tools, c.verdict])).toEqual([
      ['lan', 'mcp', 'listed', 2, 'fail'],
      ['lan', 'rest', 'listed', 2, 'fail'],
      ['external', 'mcp', 'listed', 2, 'fail'],
      ['external', 'rest', 'listed', 2, 'fail'],
    ]);
    expect(regionMarkdown(outcome, 'gateway.auth', renderAuth)).toContain(
      '| external (internet-facing) | `/mcp/` | 200 LISTS TOOLS (2) | 200 LISTS TOOLS (2) | ❌ open: lists tools without a valid key |',
    );
    // On /mcp/ the probe went on from the accepted initialize to tools/list in the same way a client would.
    const methods = (outcome.transcript as { requestBody?: string }[]).map((e) => (e.requestBody ? JSON.parse(e.requestBody).method : 'GET'));
    expect(methods.slice(0, 3)).toEqual(['initialize', 'notifications/initialized', 'tools/list']);
  });

  it('warns when requests without a key are accepted but list nothing', async () => {
    listTools = false;
    try {
      const outcome = await runProbe(withOptions(doubleConfig(), { hosts: ['lan'] }));
      expect(outcome.facts.checks.map((c) => [c.endpoint, c.noKey.outcome, c.wrongKey.outcome])).toEqual([
        ['mcp', 'accepted', 'accepted'],
        ['rest', 'accepted', 'accepted'],
      ]);
      expect(outcome.facts.findings.map((f) => f.message)).toContain(
        `lan (http://litellm.linuxserver.lan:${port}) /mcp/: with no key and a wrong key the gateway accepts the request (HTTP 200) though it lists no tools — is authentication enforced?`,
      );
      expect(outcome.status).toBe('warn');
      const lan = `lan (http://litellm.linuxserver.lan:${port})`;
      expect(outcome.summary).toMatch(
        new RegExp(
          '^nothing is listed without a valid key on lan, but not every request without one is refused: ' +
            '/mcp/ accepts no key and a wrong key \\(HTTP 200\\) but lists nothing \\(lan\\); ' +
            '/mcp-rest/tools/list accepts no key and a wrong key \\(HTTP 200\\) but lists nothing \\(lan\\); ' +
            `${lan.replace(/[().]/g, '\\$&')}: the key from \\.lab/secrets/litellm\\.env:\\d+ is accepted on /mcp-rest/tools/list but lists no tools`,
        ),
      );
    } finally {
      listTools = true;
    }
  });

  it('tells public hostnames from LAN ones', () => {
    expect(['litellm.ai-servicers.com', '203.0.113.7'].map(looksExternal)).toEqual([true, true]);
    expect(['litellm.linuxserver.lan', 'gw.local', 'localhost', '127.0.0.1', '192.168.1.10', '10.0.0.2', '172.20.0.3'].map(looksExternal)).toEqual(
      Array(7).fill(false),
    );
  });
});
