/**
 * `codex.list` and `codex.invoke` end to end: the real Codex CLI (@openai/codex) against the shared
 * real lab — Traefik → LiteLLM 1.77.1 → the npm MCP servers → PostgreSQL — with the lab's CODEX_HOME
 * (.lab/codex, written from lab/clients/codex/config.toml).
 *
 * The ONLY test double is the lab's scripted model server (src/lab/scripted-model.ts), standing in
 * for the LLM that decides to call a tool: no LLM is reachable here. Codex's MCP client, the HTTP
 * traffic, the gateway and the tool are real. The recording relay below is not a double: it
 * forwards bytes unchanged to Traefik's LAN entrypoint and only notes what Codex sent.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/probes/config.ts';
import { writeEvidence } from '../../../../src/evidence/store.ts';
import type { HttpClient } from '../../../../src/net/http-client.ts';
import { codexInvokeProbe } from '../../../../src/probes/codex-invoke/probe.ts';
import { CodexInvokeOptionsSchema } from '../../../../src/probes/codex-invoke/options.ts';
import { codexListProbe } from '../../../../src/probes/codex-list/probe.ts';
import { CodexListOptionsSchema } from '../../../../src/probes/codex-list/options.ts';
import type { EnvEntry } from '../../../../src/secrets/env-files.ts';
import { Redactor } from '../../../../src/secrets/redactor.ts';
import { closeLabWorkspace, openLabWorkspace, type SharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

function withProbes(config: Config, probes: Record<string, unknown>): Config {
  return { ...config, probes: { ...config.probes, ...probes } as Config['probes'] };
}

describe('codex.list and codex.invoke on the shared real lab', () => {
  let lab: SharedLab;
  let workspace: { dir: string; config: Config };
  let http: HttpClient;
  let secrets: EnvEntry[];
  let key: string;
  let labCodexConfig: string;
  const temps: string[] = [];

  const context = (config: Config, signal = new AbortController().signal): ProbeContextParts => ({ config, http, secrets, signal });
  /** A CODEX_HOME with the lab's config.toml, changed by `edit`. */
  const codexHome = async (edit: (text: string) => string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-codex-home-'));
    temps.push(dir);
    await writeFile(path.join(dir, 'config.toml'), edit(labCodexConfig));
    return dir;
  };

  beforeAll(async () => {
    ({ lab, workspace, http, secrets } = await openLabWorkspace(['LITELLM_MASTER_KEY']));
    key = lab.secrets.masterKey;
    labCodexConfig = await readFile(path.join(lab.dir, '.lab', 'codex', 'config.toml'), 'utf8');
  });
  afterAll(async () => {
    for (const dir of temps) await rm(dir, { recursive: true, force: true });
    await closeLabWorkspace({ http, workspace });
  });

  it('the lab wrote a CODEX_HOME with the LAN host\'s URL and the scripted model\'s port', () => {
    const lan = workspace.config.hostByName('lan').url;
    expect(labCodexConfig).toContain(`url = "${lan}/mcp/"`);
    expect(labCodexConfig).toContain('http_headers = { "x-mcp-servers" = "mcp_postgres,mcp_filesystem" }');
    expect(labCodexConfig).toContain('bearer_token_env_var = "LITELLM_MASTER_KEY"');
    expect(labCodexConfig).toMatch(/base_url = "http:\/\/127\.0\.0\.1:\d+\/v1"/);
    expect(labCodexConfig).not.toContain('127.0.0.1:18100');
  });

  it('codex.list: Codex reads the gateway entry as enabled streamable HTTP with x-mcp-servers and the key variable', async () => {
    const outcome = await runProbe(codexListProbe, context(workspace.config));
    expect(outcome.status, outcome.summary).toBe('pass');
    const lan = workspace.config.hostByName('lan').url;
    expect(outcome.facts.exitCodes).toEqual({ list: 0, get: 0 });
    expect(outcome.facts.entry).toMatchObject({
      enabled: true,
      transport: 'streamable_http',
      url: `${lan}/mcp/`,
      bearerTokenEnvVar: 'LITELLM_MASTER_KEY',
      httpHeaders: ['x-mcp-servers'],
      xMcpServers: ['mcp_postgres', 'mcp_filesystem'],
      authStatus: 'bearer_token',
    });
    expect(outcome.facts.clientMatrix).toEqual([
      { client: 'codex', host: 'lan', aspect: 'config', status: 'pass', note: `codex mcp list: litellm enabled, streamable_http → ${lan}/mcp/` },
    ]);
    expect(outcome.transcript.map((e) => [e.kind, (e.command as string[]).slice(1).join(' '), e.exitCode])).toEqual([
      ['command', 'mcp list --json', 0],
      ['command', 'mcp get litellm --json', 0],
    ]);
    expect(JSON.stringify(outcome)).not.toContain(key);
  });

  it('codex.invoke: Codex lists the gateway\'s tools and completes `select 1` through Traefik → LiteLLM → mcp_postgres; the evidence holds no key', async () => {
    const started = new Date().toISOString();
    const t0 = performance.now();
    const outcome = await runProbe(codexInvokeProbe, context(workspace.config));
    const durationMs = Math.round(performance.now() - t0);
    expect(outcome.status, outcome.summary).toBe('pass');
    console.log(`codex.invoke (codex exec through the lab) took ${durationMs} ms`);
    const { facts } = outcome;
    expect(facts.toolCall).toEqual({
      server: 'litellm',
      tool: 'mcp_postgres-query',
      arguments: { sql: 'select 1' },
      status: 'completed',
      result: '[\n  {\n    "?column?": 1\n  }\n]',
    });
    expect(facts.exitCode).toBe(0);
    expect(facts.resolution).toMatch(/^proxy http:\/\/127\.0\.0\.1:\d+ \(hosts\.lan\.resolveTo\)$/);
    expect(facts.toolsOffered).toEqual(expect.arrayContaining(['mcp_postgres_query', 'mcp_filesystem_list_allowed_directories', 'mcp_filesystem_read_text_file']));
    expect(facts.clientMatrix.map((c) => [c.host, c.aspect, c.status])).toEqual([
      ['lan', 'listing', 'pass'],
      ['lan', 'invocation', 'pass'],
      ['external', 'listing', 'pass'],
      ['external', 'invocation', 'pass'],
    ]);
    // The same call through the https host: the entry's url with its origin, its name in a private
    // hosts file (unshare), its private CA through SSL_CERT_FILE — Traefik's websecure entrypoint, real TLS.
    const external = workspace.config.hostByName('external').url;
    expect(facts.otherHosts).toEqual([
      expect.objectContaining({ host: 'external', url: `${external}/mcp/`, exitCode: 0, status: 'pass', toolCall: expect.objectContaining({ status: 'completed', result: facts.toolCall!.result }) }),
    ]);
    expect(facts.otherHosts![0]!.resolution).toMatch(/^a hosts file in a private mount namespace: litellm\.ai-servicers\.com → 127\.0\.0\.1/);
    expect(outcome.summary).toContain('; on external: completed');
    const [, externalRun] = outcome.transcript as unknown as { host: string; command: string[]; env: Record<string, string> }[];
    expect(externalRun!.host).toBe('external');
    expect(externalRun!.command).toContain(`mcp_servers.litellm.url="${external}/mcp/"`);
    expect(externalRun!.env.SSL_CERT_FILE).toMatch(/ca\.pem\)$/);

    // The evidence as refresh-docs writes it: the JSON event stream, redacted.
    const redactor = new Redactor(secrets.map((e) => e.value));
    const evaluationDir = path.join(workspace.dir, 'evaluation');
    const result = await writeEvidence({ evaluationDir, id: 'codex.invoke', outcome, startedAt: started, durationMs, redactor });
    const transcript = await readFile(path.join(evaluationDir, result.evidence.transcript), 'utf8');
    const resultFile = await readFile(path.join(evaluationDir, result.evidence.result), 'utf8');
    const exec = JSON.parse(transcript)[0] as { events: { type: string; item?: { type: string; status: string } }[]; env: Record<string, string> };
    expect(exec.events.some((e) => e.type === 'item.completed' && e.item?.type === 'mcp_tool_call' && e.item.status === 'completed')).toBe(true);
    expect(exec.env.LITELLM_MASTER_KEY).toMatch(/^\(set, from .*litellm\.env:\d+\)$/);
    for (const text of [transcript, resultFile, JSON.stringify(outcome)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(3));
    }
  });

  it('really goes through the LAN entrypoint: Codex sends the request for the hostname, with x-mcp-servers and the key; without the proxy the name does not resolve', async () => {
    const lanPort = Number(new URL(workspace.config.hostByName('lan').url).port);
    const seen: string[] = [];
    // A byte relay in front of Traefik's LAN entrypoint that notes what Codex sends (not a double: it changes nothing).
    const relay: Server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: lanPort });
      client.on('data', (chunk: Buffer) => seen.push(chunk.toString('latin1')));
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const proxy = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
      const call = { server: 'mcp_filesystem', tool: 'list_allowed_directories', arguments: {}, expect: 'Allowed directories' };
      const outcome = await runProbe(codexInvokeProbe, context(withProbes(workspace.config, { 'codex.invoke': { proxy, call, hosts: [] } })));
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.facts.toolCall?.tool).toBe('mcp_filesystem-list_allowed_directories');
      expect(outcome.facts.toolCall?.result).toMatch(/^Allowed directories:\n\[REDACTED\]$/); // the folder is MCP_FILESYSTEM_ROOT, a secrets-file value
      const sent = seen.join('');
      const host = new URL(workspace.config.hostByName('lan').url).host;
      expect(sent).toContain(`POST http://${host}/mcp/ HTTP/1.1`); // absolute form: Traefik routes it by Host
      expect(sent.toLowerCase()).toContain('x-mcp-servers: mcp_postgres,mcp_filesystem');
      expect(sent.includes(`Bearer ${key}`)).toBe(true); // the key from bearer_token_env_var (never printed)
      expect(sent).toContain('"method":"tools/call"');
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
    // Without the proxy Codex asks DNS for the lab's hostname, which has no answer here.
    const direct = await runProbe(codexInvokeProbe, context(withProbes(workspace.config, { 'codex.invoke': { proxy: 'none', hosts: [] } })));
    expect(direct.status).toBe('fail');
    expect(direct.summary).toContain('codex exec exited 1 without calling mcp_postgres-query');
    expect(direct.summary).toContain('check that the hostname resolves');
  });

  it('fails, naming the variable to export, when the key variable is unset', async () => {
    const home = await codexHome((text) => text.replace('bearer_token_env_var = "LITELLM_MASTER_KEY"', 'bearer_token_env_var = "PROOFBOOK_CODEX_UNSET_KEY"'));
    delete process.env.PROOFBOOK_CODEX_UNSET_KEY;
    const outcome = await runProbe(codexInvokeProbe, context(withProbes(workspace.config, { 'codex.invoke': { codexHome: home, hosts: [] } })));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toContain("Environment variable PROOFBOOK_CODEX_UNSET_KEY for MCP server 'litellm' is not set");
    expect(outcome.summary).toContain('Export PROOFBOOK_CODEX_UNSET_KEY (the gateway key) where Codex runs');
    expect(outcome.facts.exitCode).toBe(1);
    expect(outcome.facts.clientMatrix.map((c) => [c.aspect, c.status])).toEqual([['listing', 'fail'], ['invocation', 'fail']]);
  });

  it('fails, saying the gateway refused the key, with a wrong key', async () => {
    const home = await codexHome((text) => text.replace('bearer_token_env_var = "LITELLM_MASTER_KEY"', 'bearer_token_env_var = "PROOFBOOK_CODEX_WRONG_KEY"'));
    process.env.PROOFBOOK_CODEX_WRONG_KEY = 'sk-proofbook-wrong-key-000000000000';
    try {
      const outcome = await runProbe(codexInvokeProbe, context(withProbes(workspace.config, { 'codex.invoke': { codexHome: home, hosts: [] } })));
      expect(outcome.status).toBe('fail');
      expect(outcome.summary).toContain('HTTP 500: {"error":"MCP request failed"');
      expect(outcome.summary).toContain('The gateway refused the key: check that the variable named by bearer_token_env_var in [mcp_servers.litellm] holds a valid LiteLLM key');
      expect(JSON.stringify(outcome)).not.toContain('sk-proofbook-wrong-key-000000000000');
    } finally {
      delete process.env.PROOFBOOK_CODEX_WRONG_KEY;
    }
  });

  it('skips, with the reason, when no model provider is configured; codex.list still passes', async () => {
    const home = await codexHome((text) => text.replace(/^model_provider = .*$/m, '').replace(/^model = .*$/m, ''));
    const config = withProbes(workspace.config, { 'codex.invoke': { codexHome: home }, 'codex.list': { codexHome: home } });
    const outcome = await runProbe(codexInvokeProbe, context(config));
    expect(outcome.status).toBe('skip');
    expect(outcome.summary).toContain('no model provider configured');
    expect(outcome.transcript).toEqual([]); // codex was not run
    expect(outcome.facts.clientMatrix.map((c) => [c.aspect, c.status])).toEqual([['listing', 'skip'], ['invocation', 'skip']]);
    expect((await runProbe(codexListProbe, context(config))).status).toBe('pass');
  });

  it('codex.list fails at the config line when the entry is disabled, and an abort kills codex exec', async () => {
    const home = await codexHome((text) => text.replace('bearer_token_env_var = "LITELLM_MASTER_KEY"', 'bearer_token_env_var = "LITELLM_MASTER_KEY"\nenabled = false'));
    const listed = await runProbe(codexListProbe, context(withProbes(workspace.config, { 'codex.list': { codexHome: home } })));
    expect(listed.status).toBe('fail');
    const line = (await readFile(path.join(home, 'config.toml'), 'utf8')).split('\n').findLastIndex((l) => l === 'enabled = false') + 1; // [analytics] has one too
    expect(listed.summary).toContain(`${path.join(home, 'config.toml')}:${line}: codex mcp get shows litellm disabled`);

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('test abort')), 150);
    const t0 = performance.now();
    const aborted = await runProbe(codexInvokeProbe, context(workspace.config, controller.signal));
    expect(aborted.status).toBe('error');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('options: described, with defaults', () => {
    for (const schema of [CodexListOptionsSchema, CodexInvokeOptionsSchema]) {
      for (const [name, field] of Object.entries(schema.shape)) expect(field.description, name).toBeTruthy();
    }
    expect(CodexInvokeOptionsSchema.parse({})).toMatchObject({ proxy: 'auto', approve: true, timeoutMs: 60_000, call: { server: 'mcp_postgres', tool: 'query' } });
    expect(() => CodexInvokeOptionsSchema.parse({ proxy: 'socks5://x' })).toThrow();
  });
});
