/**
 * Tests for the `openwebui.config` probe.
 *
 * Static checks: one folder per behaviour under tests/fixtures/openwebui-config/<case>/ (the
 * folder is the workspace root):
 *   openwebui.env  Open WebUI's .env under test (listed in secretsFiles unless case.json says otherwise)
 *   case.json      optional: {envFile (null: none), secretsFiles, ...options}
 *   expected.json  {status, findings: [{severity, code, file, line?, column?, message}], cells: ["host:aspect:status"]}
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 *
 * Live check: TEST DOUBLE, for faults (wrong token, verify failure, hang). The real Open WebUI runs
 * in the lab (tests/e2e/probes/openwebui); here the two admin endpoints the probe calls —
 * GET /api/v1/configs/tool_servers and POST /api/v1/configs/tool_servers/verify — are served by a
 * small node:http double on loopback that answers like Open WebUI does (shapes taken from
 * backend/open_webui/routers/configs.py). Everything else (HTTP client, recording, redaction) is real.
 * Planted secrets contain "PLANTED"; no outcome may contain one.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { generateSecrets, writeOpenWebuiEnv } from '../../../../src/lab/secrets.ts';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { openwebuiConfigProbe, type OpenWebuiFacts } from '../../../../src/probes/openwebui-config/probe.ts';
import type { HttpClient } from '../../../../src/net/http-client.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';
import { readSecretsFiles, type EnvEntry } from '../../../../src/secrets/env-files.ts';
import { listenOnLoopback } from '../../../helpers/loopback-server.ts';
import { probeDefinition, runProbeCases } from '../../../helpers/probe-cases.ts';
import { probeInputs, runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

// Fingerprints are keyed with the workspace's salt: a fixed one keeps the fixtures' expected
// fingerprints stable, and writes no salt file into the fixture folders.
beforeAll(() => {
  process.env.PROOFBOOK_FINGERPRINT_SALT = 'proofbook-fixture-salt-0123456789';
});
afterAll(() => {
  delete process.env.PROOFBOOK_FINGERPRINT_SALT;
});

const REPO = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const root = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'openwebui-config');
const PLANTED = /sk-PLANTED[A-Za-z0-9]*/;
const KEY = 'sk-PLANTEDowui1234567890abcdef';
const ADMIN_TOKEN = 'sk-PLANTEDadmin0987654321fedcba';
const temps: string[] = [];

afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

function workspaceConfig(dir: string, spec: Record<string, unknown> = {}): Config {
  const { secretsFiles, envFile, ...options } = spec as { secretsFiles?: string[]; envFile?: string | null };
  const probe = envFile === null ? options : { envFile: envFile ?? 'openwebui.env', ...options };
  const yaml = stringify({
    gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml' },
    secretsFiles: secretsFiles ?? (envFile === null ? [] : [envFile ?? 'openwebui.env']),
    hosts: [
      { name: 'lan', url: 'http://litellm.linuxserver.lan' },
      { name: 'external', url: 'https://litellm.ai-servicers.com' },
    ],
    probes: { 'mcp.catalog': { servers: ['mcp_postgres', 'mcp_filesystem'] }, 'openwebui.config': probe },
  });
  return parseConfig(yaml, path.join(dir, 'proofbook.config.yaml'));
}

async function contextFor(config: Config, options: { signal?: AbortSignal; extraSecrets?: EnvEntry[] } = {}): Promise<ProbeContextParts & { http: HttpClient }> {
  const { entries } = await readSecretsFiles(config.secretsFiles);
  return { config, http: createHttpClient(config.hosts), secrets: [...entries, ...(options.extraSecrets ?? [])], signal: options.signal ?? new AbortController().signal };
}

const cells = (outcome: ProbeOutcome<OpenWebuiFacts>) => outcome.facts.clientMatrix.map((c) => `${c.host}:${c.aspect}:${c.status}`);

describe('openwebui.config fixtures', () => {
  runProbeCases<Record<string, unknown>, OpenWebuiFacts>(probeDefinition('openwebui.config'), root, {
    config: ({ dir, spec }) => workspaceConfig(dir, spec),
    http: (config) => createHttpClient(config.hosts),
    actual: (outcome) => ({ status: outcome.status, findings: outcome.facts.findings, cells: cells(outcome) }),
    // Paths outside the fixture (the committed lab example) are shown absolute: stand `<repo>` in for the checkout.
    normalize: (json) => json.replaceAll(REPO, '<repo>'),
    check: ({ outcome }) => {
      expect(JSON.stringify(outcome)).not.toMatch(PLANTED);
      // Regression: invocation is openwebui.invoke's to say (from a real call), never this probe's hard-coded known-limitation.
      expect(outcome.facts.clientMatrix.map((c) => c.aspect)).not.toContain('invocation');
      expect(outcome.status).not.toBe('known-limitation');
    },
  });
});

describe('openwebui.config', () => {
  it('passes a correct config with only its config cells (the other host says why it is not checked): listing and invocation are openwebui.list\'s and openwebui.invoke\'s', async () => {
    const context = await contextFor(workspaceConfig(path.join(root, 'pass')));
    const outcome = await runProbe(openwebuiConfigProbe, context);
    await context.http.close();
    expect(outcome.status).toBe('pass');
    expect(outcome.summary).toBe('openwebui.env → lan: models via http://litellm.linuxserver.lan (path /v1) with a key, MCP tool server "LiteLLM MCP" at http://litellm.linuxserver.lan/mcp/ (bearer auth, x-mcp-servers: mcp_postgres,mcp_filesystem); listing not checked live');
    expect(outcome.facts.clientMatrix).toEqual([
      { client: 'openwebui', host: 'lan', aspect: 'config', status: 'pass', note: expect.stringMatching(/point at lan/) },
      // Not checked live: the listing is openwebui.list's cell (a skip here would hide its pass).
      { client: 'openwebui', host: 'external', aspect: 'config', status: 'skip', note: expect.stringMatching(/^this Open WebUI is set up against lan only \(openwebui\.env\); nothing of it goes through external$/) },
    ]);
    expect(outcome.facts.models?.key).toMatchObject({ variable: 'OPENAI_API_KEY', present: true, fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/) });
  });

  it('points a TOOL_SERVER_CONNECTIONS syntax error inside a multi-line quoted value at its file line and column', async () => {
    const dir = path.join(root, 'tool-connections-invalid-json-multiline');
    const text = await readFile(path.join(dir, 'openwebui.env'), 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('   \\"headers\\"')) + 1;
    const context = await contextFor(workspaceConfig(dir));
    const outcome = await runProbe(openwebuiConfigProbe, context);
    await context.http.close();
    // The trailing comma after the last connection, at the end of the "headers" line.
    expect(outcome.facts.findings[0]).toMatchObject({ code: 'tools.json', line, column: lines[line - 1]!.length });
  });

  it('passes on the lab\'s .env, written from the committed example with the lab\'s key and ports', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-openwebui-'));
    temps.push(dir);
    const configPath = path.join(REPO, 'proofbook.config.yaml');
    const text = readFileSync(configPath, 'utf8').replace(':18080', ':23456').replace(':18443', ':23457');
    const config = parseConfig(text, path.join(dir, 'proofbook.config.yaml'));
    const secrets = generateSecrets({ postgresPort: 5432, filesystemRoot: path.join(dir, 'files'), scriptedModelUrl: 'http://127.0.0.1:18100/v1' });
    const file = await writeOpenWebuiEnv(path.join(dir, '.lab', 'secrets'), path.join(REPO, 'lab', 'clients', 'openwebui', '.env.example'), secrets, config.hosts);
    expect(file).toBe(path.join(dir, '.lab', 'secrets', 'openwebui.env'));
    expect(config.secretsFiles).toContain(file);
    const written = await readFile(file!, 'utf8');
    expect(written).toContain('http://litellm.linuxserver.lan:23456/mcp/');
    expect(written).not.toContain('<litellm-key>');
    const context = await contextFor(config, { extraSecrets: [{ key: 'LITELLM_MASTER_KEY', value: secrets.masterKey, file: 'x', line: 1 }] });
    const outcome = await runProbe(openwebuiConfigProbe, context);
    await context.http.close();
    expect(outcome.facts.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(outcome.status).toBe('pass');
    // The lab uses the master key (no database for scoped keys): said, not failed.
    expect(outcome.facts.findings.map((f) => f.code)).toEqual(['models.master-key']);
    expect(JSON.stringify(outcome)).not.toContain(secrets.masterKey);
  });

  it('declares its .env as an optional env input for the preflight', () => {
    const dir = path.join(root, 'pass');
    expect(probeInputs(openwebuiConfigProbe, workspaceConfig(dir))).toEqual([{ file: path.join(dir, 'openwebui.env'), format: 'env', optional: true }]);
    expect(probeInputs(openwebuiConfigProbe, workspaceConfig(dir, { envFile: null }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Live check against a test double of Open WebUI's admin API
// ---------------------------------------------------------------------------------------------

interface Double {
  url: string;
  requests: { method: string; path: string; authorization?: string; body?: string }[];
  close(): Promise<void>;
}

const liveConnection = () => ({
  url: 'http://litellm.linuxserver.lan/mcp/',
  path: '',
  type: 'mcp',
  auth_type: 'bearer',
  key: KEY,
  headers: { 'x-mcp-servers': 'mcp_postgres,mcp_filesystem' },
  config: { enable: true },
  info: { id: 'litellm', name: 'LiteLLM MCP' },
});

/** TEST DOUBLE of Open WebUI's two tool-server admin endpoints (see the file header). */
async function openWebuiDouble(behaviour: {
  connections?: unknown[];
  verify?: (body: Record<string, unknown>) => { status: number; json: unknown };
  hang?: boolean;
} = {}): Promise<Double> {
  const requests: Double['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization, ...(body ? { body } : {}) });
      if (behaviour.hang) return; // never answers
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.headers.authorization !== `Bearer ${ADMIN_TOKEN}`) return send(401, { detail: 'Not authenticated' });
      if (req.method === 'GET' && req.url === '/api/v1/configs/tool_servers') {
        return send(200, { TOOL_SERVER_CONNECTIONS: behaviour.connections ?? [liveConnection()] });
      }
      if (req.method === 'POST' && req.url === '/api/v1/configs/tool_servers/verify') {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        const answer = behaviour.verify?.(parsed) ?? {
          status: 200,
          json: {
            status: true,
            specs: [
              { name: 'mcp_postgres-query', description: 'Run a read-only SQL query', parameters: {} },
              { name: 'mcp_filesystem-list_allowed_directories', description: '', parameters: {} },
              { name: 'mcp_filesystem-read_text_file', description: '', parameters: {} },
            ],
          },
        };
        return send(answer.status, answer.json);
      }
      send(404, { detail: 'Not Found' });
    });
  });
  return { ...(await listenOnLoopback(server)), requests };
}

describe('openwebui.config live check (against a test double of Open WebUI)', () => {
  let double: Double | undefined;
  afterEach(async () => {
    await double?.close();
    double = undefined;
  });
  const tokenEntry: EnvEntry = { key: 'OPENWEBUI_ADMIN_TOKEN', value: ADMIN_TOKEN, file: 'admin.env', line: 1 };
  const run = async (url: string, options: { token?: boolean; signal?: AbortSignal; requestTimeoutMs?: number } = {}) => {
    const config = workspaceConfig(path.join(root, 'pass'), { live: { url, ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}) } });
    const context = await contextFor(config, { signal: options.signal, extraSecrets: options.token === false ? [] : [tokenEntry] });
    try {
      return await runProbe(openwebuiConfigProbe, context);
    } finally {
      await context.http.close();
    }
  };

  it('lists the MCP connection and verifies it: listing pass, status pass, exchanges recorded and redacted', async () => {
    double = await openWebuiDouble();
    const outcome = await run(double.url);
    expect(outcome.facts.findings).toEqual([]);
    expect(outcome.status).toBe('pass');
    expect(cells(outcome)).toEqual(['lan:config:pass', 'lan:listing:pass', 'external:config:skip']);
    expect(outcome.summary).toContain('listing verified live (3 tools)');
    expect(outcome.facts.live).toMatchObject({
      url: double.url,
      checked: true,
      listed: true,
      verified: true,
      tools: ['mcp_filesystem-list_allowed_directories', 'mcp_filesystem-read_text_file', 'mcp_postgres-query'],
      toolsPerServer: { mcp_postgres: 1, mcp_filesystem: 2 },
    });
    // The double saw the admin token; verify got the running instance's connection.
    expect(double.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/configs/tool_servers', 'POST /api/v1/configs/tool_servers/verify']);
    expect(JSON.parse(double.requests[1]!.body!)).toMatchObject({ type: 'mcp', url: 'http://litellm.linuxserver.lan/mcp/' });
    // Both exchanges are in the transcript, with the token and the key redacted.
    const http = outcome.transcript.filter((e) => e.kind === 'http');
    expect(http.map((e) => [e.method, e.status])).toEqual([['GET', 200], ['POST', 200]]);
    expect((http[0]!.requestHeaders as Record<string, string>).authorization).toBe('Bearer [REDACTED]');
    expect(String(http[0]!.body)).toContain('"key":"[REDACTED]"');
    expect(JSON.stringify(outcome)).not.toMatch(PLANTED);
  });

  it('a rejected admin token fails the listing, not the config', async () => {
    double = await openWebuiDouble();
    const config = workspaceConfig(path.join(root, 'pass'), { live: { url: double.url } });
    const context = await contextFor(config, { extraSecrets: [{ ...tokenEntry, value: 'sk-PLANTEDwrongtoken123456' }] });
    const outcome = await runProbe(openwebuiConfigProbe, context);
    await context.http.close();
    expect(outcome.status).toBe('fail');
    expect(cells(outcome)).toEqual(['lan:config:pass', 'lan:listing:fail', 'external:config:skip']);
    expect(outcome.facts.findings).toEqual([
      { severity: 'fail', code: 'live.unauthorized', message: expect.stringMatching(/HTTP 401 .*OPENWEBUI_ADMIN_TOKEN is not an admin's valid API key/) },
    ]);
    expect(JSON.stringify(outcome)).not.toMatch(PLANTED);
  });

  it('the running Open WebUI without the gateway connection fails with the persistent-config explanation', async () => {
    double = await openWebuiDouble({ connections: [{ ...liveConnection(), type: 'openapi', url: 'http://tools.example/' }] });
    const outcome = await run(double.url);
    expect(outcome.facts.findings.map((f) => f.code)).toEqual(['live.not-configured']);
    expect(outcome.facts.findings[0]!.message).toMatch(/ENABLE_PERSISTENT_CONFIG=False/);
    expect(double.requests).toHaveLength(1);
  });

  it('a verify that cannot reach the gateway fails the listing with Open WebUI\'s reason', async () => {
    double = await openWebuiDouble({ verify: () => ({ status: 400, json: { detail: 'Failed to create MCP client' } }) });
    const outcome = await run(double.url);
    expect(outcome.status).toBe('fail');
    expect(outcome.facts.findings[0]).toMatchObject({ code: 'live.verify-failed', message: expect.stringContaining('HTTP 400: Failed to create MCP client') });
    expect(cells(outcome)).toEqual(['lan:config:pass', 'lan:listing:fail', 'external:config:skip']);
  });

  it('without the admin token the live check is skipped with a warning', async () => {
    double = await openWebuiDouble();
    const saved = process.env.OPENWEBUI_ADMIN_TOKEN;
    delete process.env.OPENWEBUI_ADMIN_TOKEN;
    try {
      const outcome = await run(double.url, { token: false });
      expect(outcome.status).toBe('warn');
      expect(outcome.facts.findings.map((f) => f.code)).toEqual(['live.no-token']);
      expect(cells(outcome)).toEqual(['lan:config:pass', 'lan:listing:skip', 'external:config:skip']);
      expect(double.requests).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.OPENWEBUI_ADMIN_TOKEN = saved;
    }
  });

  it('an unreachable Open WebUI fails with the address', async () => {
    double = await openWebuiDouble();
    const url = double.url;
    await double.close();
    double = undefined;
    const outcome = await run(url);
    expect(outcome.facts.findings[0]).toMatchObject({ code: 'live.unreachable', message: expect.stringContaining(`cannot reach Open WebUI at ${url}`) });
  });

  it('honours the probe signal: a hanging Open WebUI does not hold the probe', async () => {
    double = await openWebuiDouble({ hang: true });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('timed out')), 200);
    await expect(run(double.url, { signal: controller.signal })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
