/**
 * Where `gateway.health` finds LiteLLM's version, by what the release serves: LiteLLM 1.77.1's
 * public `/health/readiness` carries `litellm_version`; 1.110.2's says only `status` and `db`,
 * and the version moved to `/health/readiness/details`, behind the key (401 without it).
 *
 * TEST DOUBLES, not LiteLLM: a plain node:http server on 127.0.0.1 answers each release's shape
 * (bodies as the real ones answer them, trimmed; the real 1.110.2 is checked in
 * tests/e2e/lab/litellm-1.110.2.e2e.test.ts, the real 1.77.1 in the gateway.health e2e test).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { gatewayHealthProbe, type GatewayHealthFacts } from '../../../../src/probes/gateway-health/probe.ts';
import { renderHealth } from '../../../../src/probes/gateway-health/render.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';
import { listenOnLoopback } from '../../../helpers/loopback-server.ts';
import { recordingRequests, runProbe } from '../../../helpers/probe-context.ts';
import { regionMarkdown } from '../../../helpers/region-markdown.ts';

const KEY = 'sk-unit-health-key-4711';

type Release = '1.77.1' | '1.110.2';

/** LiteLLM's health endpoints as `release` answers them (no database: "Not connected"). */
function litellmDouble(release: Release) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const details = { status: 'healthy', db: 'Not connected', cache: null, litellm_version: release, success_callbacks: [], log_level: 'WARNING' };
    if (req.url === '/health/liveliness') return json(200, "I'm alive!");
    if (req.url === '/health/readiness') return json(200, release === '1.77.1' ? details : { status: 'healthy', db: 'Not connected' });
    if (req.url === '/health/readiness/details' && release === '1.110.2') {
      if (req.headers.authorization === `Bearer ${KEY}`) return json(200, details);
      return json(401, { error: { message: 'Authentication Error, No api key passed in.', type: 'auth_error', code: '401' } });
    }
    return json(404, { detail: 'Not Found' });
  };
}

let double: { url: string; close(): Promise<void> } | undefined;
const savedKey = process.env.LITELLM_MASTER_KEY;
beforeEach(() => {
  delete process.env.LITELLM_MASTER_KEY; // the key comes from the secrets given to the run
});
afterEach(async () => {
  if (savedKey !== undefined) process.env.LITELLM_MASTER_KEY = savedKey;
  await double?.close();
  double = undefined;
});

async function probe(release: Release, key?: string): Promise<{ outcome: ProbeOutcome<GatewayHealthFacts>; sent: { url: string; headers: Headers }[]; url: string }> {
  double = await listenOnLoopback(createServer(litellmDouble(release)));
  const config: Config = parseConfig(
    stringify({
      gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres'] } },
      hosts: [{ name: 'lan', url: double.url }],
      probes: {},
    }),
    path.join(import.meta.dirname, 'proofbook.config.yaml'),
  );
  const client = createHttpClient(config.hosts);
  const { http, sent } = recordingRequests(client);
  try {
    const secrets = key ? [{ key: 'LITELLM_MASTER_KEY', value: key, file: 'lab.env', line: 1 }] : [];
    return { outcome: await runProbe(gatewayHealthProbe, { config, http, secrets }), sent, url: double.url };
  } finally {
    await client.close();
  }
}

describe('gateway.health finds the version where the release serves it', () => {
  it('LiteLLM 1.110.2: readiness has none, so it asks the details endpoint with the key as clients send it, and says which endpoint told it', async () => {
    const { outcome, sent, url } = await probe('1.110.2', KEY);
    expect(outcome.status).toBe('pass');
    expect(outcome.summary).toBe('lan: alive and ready (LiteLLM 1.110.2)');
    expect(outcome.facts.versions).toEqual(['1.110.2']);
    expect(outcome.facts.hosts[0]).toEqual({
      host: 'lan',
      url,
      liveliness: { url: `${url}/health/liveliness`, status: 200, ok: true },
      readiness: { url: `${url}/health/readiness`, status: 200, ok: true, state: 'healthy', db: 'Not connected' },
      version: '1.110.2',
      versionFrom: `${url}/health/readiness/details`,
      status: 'pass',
    });
    // Readiness first, then details, each with `Authorization: Bearer <key>`.
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(['/health/liveliness', '/health/readiness', '/health/readiness/details']);
    expect(sent[2]!.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    // Redacted as every live probe's: the transcript shows the header, never the key.
    const details = (outcome.transcript as unknown as { url: string; requestHeaders: Record<string, string>; body?: string }[]).find((e) => e.url.endsWith('/details'))!;
    expect(details.requestHeaders.authorization).toBe('Bearer [REDACTED]');
    expect(details.body).toContain('"litellm_version":"1.110.2"');
    expect(JSON.stringify(outcome)).not.toContain(KEY);

    const markdown = regionMarkdown(outcome, 'gateway.health', renderHealth);
    expect(markdown).toContain('| lan | ✅ 200 | ✅ 200 (healthy, db: Not connected) | 1.110.2 |');
    expect(markdown).toContain('Reproduce (LiteLLM needs the key only for the details endpoint; Traefik may route on it):');
    expect(markdown).toContain(`curl -sS -w ' %{http_code}\\n' -H "Authorization: Bearer $LITELLM_MASTER_KEY" ${url}/health/readiness/details`);
    expect(markdown).not.toContain(KEY);
  });

  it('LiteLLM 1.110.2 without a key: still passes (the version changes no status), and says why the version is missing', async () => {
    const { outcome, url } = await probe('1.110.2');
    expect(outcome.status).toBe('pass');
    expect(outcome.facts.versions).toEqual([]);
    expect(outcome.facts.hosts[0]!.versionCheck).toEqual({
      url: `${url}/health/readiness/details`,
      status: 401,
      ok: false,
      reason: 'Authentication Error, No api key passed in.',
    });
    expect(outcome.summary).toBe(
      `lan: alive and ready (LiteLLM version not reported; GET ${url}/health/readiness/details answered HTTP 401 "Authentication Error, No api key passed in.": set LITELLM_MASTER_KEY)`,
    );
  });

  it('LiteLLM 1.77.1: readiness says it, no second request, and the facts are as before', async () => {
    const { outcome, sent, url } = await probe('1.77.1', KEY);
    expect(outcome.summary).toBe('lan: alive and ready (LiteLLM 1.77.1)');
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(['/health/liveliness', '/health/readiness']);
    expect(outcome.facts.hosts[0]).toEqual({
      host: 'lan',
      url,
      liveliness: { url: `${url}/health/liveliness`, status: 200, ok: true },
      readiness: { url: `${url}/health/readiness`, status: 200, ok: true, state: 'healthy', db: 'Not connected' },
      version: '1.77.1',
      status: 'pass',
    });
    expect(regionMarkdown(outcome, 'gateway.health', renderHealth)).toContain('Reproduce (LiteLLM needs no key here; Traefik may route on it):');
  });
});
