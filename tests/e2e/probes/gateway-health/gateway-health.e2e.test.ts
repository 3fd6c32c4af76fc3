/**
 * `gateway.health` on the real lab: LiteLLM 1.77.1's liveliness and readiness through Traefik
 * on both hosts, and what the probe says when LiteLLM, then Traefik, is stopped (a lab of its
 * own, since that breaks it).
 *
 * One case uses a test double, said so where it is: "alive but not ready" needs a LiteLLM whose
 * readiness fails (e.g. its database down), which the lab does not run; a plain node:http server
 * on 127.0.0.1 answers liveliness 200 and readiness 503 instead.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../../src/probes/config.ts';
import { labDown, labUp } from '../../../../src/lab/lab.ts';
import { freePort } from '../../../../src/lab/postgres.ts';
import { ServiceManager } from '../../../../src/lab/processes.ts';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { gatewayHealthProbe, type GatewayHealthFacts } from '../../../../src/probes/gateway-health/probe.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';
import { renderHealth } from '../../../../src/probes/gateway-health/render.ts';
import { readSecretsFiles } from '../../../../src/secrets/env-files.ts';
import { createLabWorkspace, type LabWorkspace } from '../../../helpers/lab-workspace.ts';
import { sharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe as runAsTheRunnerDoes } from '../../../helpers/probe-context.ts';
import { regionMarkdown } from '../../../helpers/region-markdown.ts';


async function runProbe(config: Config): Promise<ProbeOutcome<GatewayHealthFacts>> {
  const http = createHttpClient(config.hosts);
  try {
    const secrets = (await readSecretsFiles(config.secretsFiles)).entries;
    return await runAsTheRunnerDoes(gatewayHealthProbe, { config, http, secrets });
  } finally {
    await http.close();
  }
}

const withOptions = (config: Config, options: object): Config =>
  ({ ...config, probes: { ...config.probes, 'gateway.health': options } }) as Config;

describe('gateway.health on the shared lab', () => {
  let config: Config;
  beforeAll(async () => {
    ({ config } = await sharedLab());
  });

  it('passes with liveliness and readiness 200 on both hosts and reads the LiteLLM version', async () => {
    const outcome = await runProbe(config);
    expect(outcome.status).toBe('pass');
    expect(outcome.summary).toBe('lan and external: alive and ready (LiteLLM 1.77.1)');
    expect(outcome.facts.versions).toEqual(['1.77.1']);
    for (const [i, name] of ['lan', 'external'].entries()) {
      const url = config.hostByName(name).url;
      expect(outcome.facts.hosts[i]).toEqual({
        host: name,
        url,
        liveliness: { url: `${url}/health/liveliness`, status: 200, ok: true },
        // LiteLLM 1.77.1's readiness without DATABASE_URL: {"status":"healthy","db":"Not connected","litellm_version":"1.77.1",…}
        readiness: { url: `${url}/health/readiness`, status: 200, ok: true, state: 'healthy', db: 'Not connected' },
        version: '1.77.1',
        status: 'pass',
      });
    }
    // Latency and headers are evidence, not facts.
    const exchanges = outcome.transcript as unknown as { url: string; status?: number; durationMs?: number; responseHeaders?: Record<string, string> }[];
    expect(exchanges).toHaveLength(4);
    expect(exchanges.every((e) => e.status === 200 && typeof e.durationMs === 'number' && e.responseHeaders?.date)).toBe(true);
  });

  it('renders the region: status line, Host | Liveliness | Readiness | Version, curl to reproduce', async () => {
    const markdown = regionMarkdown(await runProbe(config), 'gateway.health', renderHealth);
    expect(markdown).toContain(
      '✅ **pass** since 2026-01-01 — lan and external: alive and ready (LiteLLM 1.77.1) ([evidence](../../evaluation/gateway.health/2026-01-01T00-00-00-000Z.json))',
    );
    expect(markdown).toContain('| Host | Liveliness | Readiness | Version |');
    expect(markdown).toContain('| lan | ✅ 200 | ✅ 200 (healthy, db: Not connected) | 1.77.1 |');
    expect(markdown).toContain('| external | ✅ 200 | ✅ 200 (healthy, db: Not connected) | 1.77.1 |');
    expect(markdown).toContain(`curl -sS -w ' %{http_code}\\n' -H "Authorization: Bearer $LITELLM_MASTER_KEY" ${config.hostByName('external').url}/health/readiness`);
  });

  it('keeps summary and facts identical from run to run', async () => {
    const first = await runProbe(config);
    const second = await runProbe(config);
    expect(second.summary).toBe(first.summary);
    expect(second.facts).toEqual(first.facts);
    expect(JSON.stringify(first.facts)).not.toMatch(/durationMs|latency|date/i);
  });

  it('checks only the host the `host` option names, and refuses an unknown one', async () => {
    const only = await runProbe(withOptions(config, { host: 'external' }));
    expect(only.status).toBe('pass');
    expect(only.summary).toBe('external: alive and ready (LiteLLM 1.77.1)');
    const unknown = await runProbe(withOptions(config, { host: 'dmz' }));
    expect(unknown.status).toBe('error');
    expect(unknown.summary).toBe('probes."gateway.health".host names unknown host dmz; configured: lan, external');
  });
});

describe('gateway.health when readiness fails but liveliness answers (test double)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    // TEST DOUBLE, not LiteLLM: answers liveliness 200 and readiness 503 like a gateway whose dependencies are down.
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/health/liveliness') res.end('"I\'m alive!"');
      else if (req.url === '/health/readiness') {
        res.statusCode = 503;
        res.end(JSON.stringify({ error: { message: 'Service Unhealthy (database unreachable)' } }));
      } else {
        res.statusCode = 404;
        res.end('{"detail":"Not Found"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('warns, naming the host, the URL and the status', async () => {
    const base = (await sharedLab()).config;
    const url = `http://litellm.linuxserver.lan:${port}`;
    const config = { ...base, hosts: [{ name: 'lan', url, resolveTo: '127.0.0.1' }] } as Config;
    const outcome = await runProbe(config);
    expect(outcome.status).toBe('warn');
    expect(outcome.summary).toBe(
      `lan (${url}): LiteLLM is alive but readiness GET ${url}/health/readiness answered HTTP 503 "Service Unhealthy (database unreachable)" ` +
        "(see LiteLLM's log: database, cache or callbacks)",
    );
    expect(outcome.facts.hosts[0]).toMatchObject({ liveliness: { status: 200, ok: true }, readiness: { status: 503, ok: false }, status: 'warn' });
  });
});

describe('gateway.health on a broken lab of its own', () => {
  let workspace: LabWorkspace;
  let config: Config;
  beforeAll(async () => {
    workspace = await createLabWorkspace();
    config = await loadConfig(workspace.configPath);
    await labUp(config);
  });
  afterAll(async () => {
    if (config) await labDown(config);
    await workspace?.remove();
  });

  it('fails when LiteLLM is stopped: each host, its URL and HTTP 502 from Traefik', async () => {
    await new ServiceManager(config.lab.runtimeDir).stop('litellm');
    const outcome = await runProbe(config);
    expect(outcome.status).toBe('fail');
    const lan = `http://litellm.linuxserver.lan:${workspace.ports.lan}`;
    const external = `https://litellm.ai-servicers.com:${workspace.ports.external}`;
    const why = '— Traefik cannot reach LiteLLM: is LiteLLM running, on the port the service (compose label) names?';
    expect(outcome.summary).toBe(
      `lan (${lan}): liveliness GET ${lan}/health/liveliness answered HTTP 502 "Bad Gateway" ${why}; ` +
        `external (${external}): liveliness GET ${external}/health/liveliness answered HTTP 502 "Bad Gateway" ${why}`,
    );
    expect(outcome.facts.hosts.map((h) => [h.liveliness.status, h.readiness.status, h.status])).toEqual([
      [502, 502, 'fail'],
      [502, 502, 'fail'],
    ]);
    expect(outcome.facts.versions).toEqual([]);
    const markdown = regionMarkdown(outcome, 'gateway.health', renderHealth);
    expect(markdown).toContain('| lan | ❌ 502 Bad Gateway | ❌ 502 Bad Gateway | — |');
    // The findings list (Markdown escapes the `:` of URLs in plain text).
    expect(markdown).toContain(`* ❌ lan (${lan.replace('://', '\\://')}): liveliness GET`);
  });

  it('fails when Traefik is stopped too: nothing listens on the entrypoint', async () => {
    await new ServiceManager(config.lab.runtimeDir).stop('traefik');
    const outcome = await runProbe(config);
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(
      new RegExp(
        `^lan \\(http://litellm\\.linuxserver\\.lan:${workspace.ports.lan}\\): liveliness GET http://litellm\\.linuxserver\\.lan:${workspace.ports.lan}/health/liveliness ` +
          `failed: fetch failed \\(.*ECONNREFUSED.*\\) — nothing listens on litellm\\.linuxserver\\.lan:${workspace.ports.lan} \\(resolveTo 127\\.0\\.0\\.1\\): ` +
          `is Traefik running with an entrypoint on port ${workspace.ports.lan}\\?; external `,
      ),
    );
  });
});
