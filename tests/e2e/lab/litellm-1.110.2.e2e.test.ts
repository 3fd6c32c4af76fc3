/**
 * The lab on LiteLLM 1.110.2 (`lab.litellmVersion`), the release an upgrade preview runs, with the
 * same lab config as 1.77.1: the probes judge what this release does, not its number. Since
 * 1.91.0 a request without a key keeps its real status (401) on /mcp/ instead of 1.77.1's 500, so
 * gateway.auth counts it refused; since 1.104.0 GET /mcp/sse is the legacy SSE transport (an
 * `endpoint` event, then a working session), so mcp.catalog passes SSE. A lab of its own in a
 * throwaway workspace on free ports (no Open WebUI: not under test here); nothing is a stand-in.
 *
 * The release is installed beforehand, never in a hook: `npm run lab:toolchain -- --litellm 1.110.2`
 * (CI's "upgrade-preview lab" step). Without it this fails and says so; it never skips.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../src/lab/lab.ts';
import { litellmVenv } from '../../../src/lab/toolchain.ts';
import { createHttpClient, type HttpClient } from '../../../src/net/http-client.ts';
import { loadConfig, type Config } from '../../../src/probes/config.ts';
import { gatewayAuthProbe } from '../../../src/probes/gateway-auth/probe.ts';
import { gatewayHealthProbe } from '../../../src/probes/gateway-health/probe.ts';
import type { HttpExchange } from '../../../src/probes/kit/recording-fetch.ts';
import { mcpCatalogProbe } from '../../../src/probes/mcp-catalog/probe.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { readSecretsFiles, type EnvEntry } from '../../../src/secrets/env-files.ts';
import { createLabWorkspace, type LabWorkspace } from '../../helpers/lab-workspace.ts';
import { runProbe } from '../../helpers/probe-context.ts';

const VERSION = '1.110.2';

let workspace: LabWorkspace | undefined;
let config: Config | undefined;
let http: HttpClient | undefined;
let secrets: EnvEntry[];
let labSeconds: number;

beforeAll(async () => {
  const litellm = path.join(litellmVenv(VERSION), 'bin', 'litellm');
  if (!existsSync(litellm)) {
    throw new Error(`LiteLLM ${VERSION} is not installed (${litellm} is missing): run \`npm run lab:toolchain -- --litellm ${VERSION}\` first`);
  }
  workspace = await createLabWorkspace();
  const text = await readFile(workspace.configPath, 'utf8');
  const lab = text.replace(/^lab:\n/m, `lab:\n  litellmVersion: "${VERSION}"\n`).replace(/^\s+openwebuiPort: \d+\n/m, '');
  expect(lab).toContain(`litellmVersion: "${VERSION}"`);
  await writeFile(workspace.configPath, lab);
  config = await loadConfig(workspace.configPath, { knownProbes: PROBE_IDS });
  expect(config.lab.litellmVersion).toBe(VERSION);
  const info = await labUp(config);
  labSeconds = info.durationMs / 1000;
  http = createHttpClient(config.hosts);
  secrets = (await readSecretsFiles(config.secretsFiles)).entries;
});

afterAll(async () => {
  await http?.close();
  if (config) await labDown(config);
  await workspace?.remove();
});

const exchanges = (transcript: unknown[]) => transcript.filter((e) => (e as HttpExchange).kind === 'http') as (HttpExchange & { transport?: string; case?: string })[];

describe(`the lab on LiteLLM ${VERSION}`, () => {
  it('runs the release the config names', async () => {
    // 1.110.2's public /health/readiness no longer reports the version; its authenticated
    // /health/readiness/details does, and gateway.health reads it there (with the key, as clients send it).
    const url = new URL('/health/readiness/details', config!.hostByName('lan').url);
    const key = secrets.find((e) => e.key === 'LITELLM_MASTER_KEY')!.value;
    const response = await http!.fetch(url, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { litellm_version?: string }).litellm_version).toBe(VERSION);
    const health = await runProbe(gatewayHealthProbe, { config: config!, http: http!, secrets });
    expect(health.status, health.summary).toBe('pass');
    expect(health.summary).toBe(`lan and external: alive and ready (LiteLLM ${VERSION})`);
    expect(health.facts.versions).toEqual([VERSION]);
    for (const host of health.facts.hosts) {
      expect(host.readiness).toMatchObject({ status: 200, state: 'healthy', db: 'Not connected' });
      expect(host.versionFrom).toBe(`${config!.hostByName(host.host).url}/health/readiness/details`);
    }
    expect(JSON.stringify(health.transcript)).not.toContain(key);
    console.log(`lab up on LiteLLM ${VERSION} in ${labSeconds.toFixed(1)} s`);
  });

  it('gateway.auth: no key gets 401 on /mcp/ and /mcp-rest/ on both hosts, and that counts as refused', async () => {
    const outcome = await runProbe(gatewayAuthProbe, { config: config!, http: http!, secrets });
    const checks = outcome.facts.checks;
    expect(checks.map((c) => `${c.host} ${c.endpoint}`)).toEqual(['lan mcp', 'lan rest', 'external mcp', 'external rest']);
    for (const check of checks) {
      expect(check.noKey, `${check.host} ${check.path}`).toMatchObject({ status: 401, outcome: 'refused' });
    }
    // A wrong key: LiteLLM without a database answers 400 "No connected db." to any key but its
    // master key, on 1.77.1's /mcp-rest/ and on both paths here: refused, but not as an auth
    // failure a client can tell, so it stays a warning (the lab has no database).
    for (const check of checks) {
      expect(check.wrongKey, `${check.host} ${check.path}`).toMatchObject({ status: 400, outcome: 'refused-misleading', reason: 'No connected db.' });
    }
    expect(outcome.status, outcome.summary).toBe('warn');
    // No finding is about a request without a key, and nothing is listed without a valid one.
    expect(outcome.facts.findings.filter((f) => /no key/.test(f.message))).toEqual([]);
    expect(checks.every((c) => c.noKey.tools === undefined && c.wrongKey.tools === undefined)).toBe(true);
    expect(outcome.facts.validKey.every((v) => v.ok && (v.tools ?? 0) > 0)).toBe(true);
    // The transcript holds LiteLLM's own 401 for the MCP initialize without a key.
    const refused = exchanges(outcome.transcript).find((e) => e.case === 'no-key' && e.method === 'POST' && e.url.endsWith('/mcp/'))!;
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('authentication_required');
  });

  it('mcp.catalog: /mcp/sse is the legacy SSE transport (an endpoint event, then a working session) and lists the same catalog', async () => {
    const outcome = await runProbe(mcpCatalogProbe, { config: config!, http: http!, secrets });
    const [streamable, sse] = outcome.facts.transports!;
    expect(streamable).toMatchObject({ transport: 'streamable-http', status: 'pass', toolCount: outcome.facts.toolCount });
    expect(sse).toMatchObject({ transport: 'sse', status: 'pass', toolCount: outcome.facts.toolCount });
    expect(sse!.sseEvents).toEqual(expect.arrayContaining(['endpoint', 'message']));
    expect(sse!.note).toBeUndefined();
    const servers = Object.fromEntries(outcome.facts.servers.map((s) => [s.name, s.tools]));
    expect(servers.mcp_postgres).toEqual(['query']);
    expect(servers.mcp_filesystem).toEqual(expect.arrayContaining(['list_allowed_directories', 'read_text_file']));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.summary).toMatch(/^\d+ tools via lan over streamable HTTP and SSE \(mcp_postgres 1, mcp_filesystem \d+\)$/);

    // The transcript: GET /mcp/sse announced where to POST, and the session's tools/list was answered on that stream.
    const get = exchanges(outcome.transcript).find((e) => e.transport === 'sse' && e.method === 'GET' && e.url.endsWith('/mcp/sse'))!;
    expect(get.status).toBe(200);
    expect(get.contentType).toMatch(/^text\/event-stream/);
    expect(get.sseEvents![0]).toMatchObject({ event: 'endpoint' });
    expect(get.sseEvents![0]!.data).toMatch(/^\/mcp\/sse\/messages\?session_id=/);
    expect(get.sseEvents!.some((e) => e.event === 'message' && e.data.includes('mcp_postgres-query'))).toBe(true);
    const leg = (outcome.transcript as { kind: string; transport?: string; decided?: string }[]).find((e) => e.kind === 'mcp.transport' && e.transport === 'sse')!;
    expect(leg.decided).toBeUndefined();
  }, 90_000);
});
