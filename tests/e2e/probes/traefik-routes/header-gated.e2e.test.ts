/**
 * A lab of its own whose routers are gated on the key, as real teams write them: the compose of
 * tests/fixtures/traefik-labels/header-gated-routers (`Host(…) && HeaderRegexp(\`Authorization\`,
 * \`^Bearer\s+.+\`)` per host, open routers for `/ui` and the docs), loaded into the real Traefik v3
 * in front of the real LiteLLM 1.77.1. The live probes send the key as clients do and pass
 * through; without the key, traefik.routes names the router and the header matcher that refused
 * the request; the curl traefik.labels prints reproduces the route when run as printed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../../src/lab/lab.ts';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { loadConfig, type Config } from '../../../../src/probes/config.ts';
import { loadProbe } from '../../../../src/probes/define.ts';
import type { GatewayAuthFacts } from '../../../../src/probes/gateway-auth/facts.ts';
import type { TraefikRoutesFacts } from '../../../../src/probes/traefik-routes/facts.ts';
import { renderRouting } from '../../../../src/probes/traefik-labels/render.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';
import { readSecretsFiles, type EnvEntry } from '../../../../src/secrets/env-files.ts';
import { createLabWorkspace, type LabWorkspace } from '../../../helpers/lab-workspace.ts';
import { probeDefinition } from '../../../helpers/probe-cases.ts';
import { recordingRequests, runProbe } from '../../../helpers/probe-context.ts';
import { regionMarkdown } from '../../../helpers/region-markdown.ts';

const FIXTURE = path.resolve(import.meta.dirname, '..', '..', '..', 'fixtures', 'traefik-labels', 'header-gated-routers', 'docker-compose.yml');

describe('the live probes behind routers gated on the key header (a lab of its own)', () => {
  let workspace: LabWorkspace;
  let config: Config;
  let secrets: EnvEntry[];
  let key: string;
  const savedKey = process.env.LITELLM_MASTER_KEY;

  /** `sent`, when given, receives every request as it was sent (the outcome's transcript is scrubbed). */
  async function run<F extends object>(id: string, entries = secrets, sent?: { url: string; headers: Headers }[]): Promise<ProbeOutcome<F>> {
    const recording = recordingRequests(createHttpClient(config.hosts));
    const http = recording.http;
    // The legacy SSE transport waits 20 s for pings LiteLLM 1.77.1 sends instead of MCP: not what this file is about.
    const streamableOnly = { ...config.probes['mcp.catalog'], transports: ['streamable-http'] };
    const probeConfig = { ...config, probes: { ...config.probes, 'mcp.catalog': streamableOnly } } as Config;
    try {
      const probe = await loadProbe(probeDefinition(id));
      return (await runProbe(probe, { config: probeConfig, http, secrets: entries })) as ProbeOutcome<F>;
    } finally {
      sent?.push(...recording.sent);
      await http.close();
    }
  }

  beforeAll(async () => {
    delete process.env.LITELLM_MASTER_KEY; // the key comes from the lab's secrets files, or not at all
    workspace = await createLabWorkspace();
    const compose = (await readFile(FIXTURE, 'utf8')).replace('loadbalancer.server.port=4000', `loadbalancer.server.port=${workspace.ports.litellm}`);
    await writeFile(path.join(workspace.dir, 'lab', 'docker-compose.yml'), compose);
    config = await loadConfig(workspace.configPath);
    await labUp(config); // waits for MCP through Traefik: with the key in Authorization, or it never gets there
    secrets = (await readSecretsFiles(config.secretsFiles)).entries;
    key = secrets.findLast((e) => e.key === 'LITELLM_MASTER_KEY')!.value;
  });

  afterAll(async () => {
    if (config) await labDown(config);
    await workspace?.remove();
    if (savedKey !== undefined) process.env.LITELLM_MASTER_KEY = savedKey;
  });

  it('Traefik runs the gated and the open routers the labels declare, and traefik.labels says which are gated', async () => {
    const routers = (await (await fetch(`http://127.0.0.1:${workspace.ports.api}/api/http/routers`)).json()) as { name: string; rule: string; provider: string }[];
    expect(routers.filter((r) => r.provider === 'file').map((r) => r.name).sort()).toEqual([
      'litellm-ext-ui@file', 'litellm-ext@file', 'litellm-lan-docs@file', 'litellm-lan-ui@file', 'litellm-lan@file',
    ]);
    const labels = await run('traefik.labels');
    expect(labels.status).toBe('pass');
    expect(labels.facts).toMatchObject({ findings: [{ code: 'host.header-gated', line: 10 }, { code: 'host.header-gated', line: 19 }] });
  });

  it('gateway.health, traefik.routes, mcp.catalog and mcp.invoke pass through the gated routers with the key in Authorization', async () => {
    for (const id of ['gateway.health', 'traefik.routes', 'mcp.catalog', 'mcp.invoke']) {
      const requests: { url: string; headers: Headers }[] = [];
      const outcome = await run(id, secrets, requests);
      expect(outcome.status, `${id}: ${outcome.summary}`).toBe('pass');
      const sent = requests.filter((request) => !request.url.includes('/api/http/'));
      expect(sent.length, id).toBeGreaterThan(0);
      for (const request of sent) expect(request.headers.get('authorization'), `${id} ${request.url}`).toBe(`Bearer ${key}`);
      // What the probe returns shows the key redacted: the runner scrubs the outcome.
      const recorded = (outcome.transcript as unknown as { kind: string; url?: string; requestHeaders?: Record<string, string> }[]).filter(
        (e) => e.kind === 'http' && !e.url!.includes('/api/http/'),
      );
      for (const exchange of recorded) expect(exchange.requestHeaders!.authorization, `${id} ${exchange.url}`).toBe('Bearer [REDACTED]');
    }
    const routes = await run<TraefikRoutesFacts>('traefik.routes');
    expect(routes.facts.hosts.map((h) => [h.host, h.routers.map((r) => r.name), h.request.status])).toEqual([
      ['lan', ['litellm-lan-docs@file', 'litellm-lan-ui@file', 'litellm-lan@file'], 200],
      ['external', ['litellm-ext-ui@file', 'litellm-ext@file'], 200],
    ]);
  });

  it('gateway.auth: no key meets Traefik\'s 404 at the gate, a refusal (warn), not a host it cannot check', async () => {
    const auth = await run<GatewayAuthFacts>('gateway.auth');
    expect(auth.status, auth.summary).toBe('warn');
    expect(auth.facts.findings.map((f) => f.code)).not.toContain('auth.unchecked');
    expect(auth.facts.keyHeader).toBe('authorization');
    for (const check of auth.facts.checks) {
      expect(check.noKey, `${check.host} ${check.path}`).toMatchObject({ status: 404, outcome: 'refused-misleading', refusedBy: 'traefik' });
      expect(check.wrongKey.status, `${check.host} ${check.path}`).not.toBe(404);
    }
    expect(auth.facts.validKey.every((v) => v.ok)).toBe(true);
  });

  it('traefik.routes without a key: Traefik\'s 404, explained by the router and its header matcher', async () => {
    const routes = await run<TraefikRoutesFacts>('traefik.routes', secrets.filter((e) => e.key !== 'LITELLM_MASTER_KEY'));
    expect(routes.status).toBe('fail');
    const lan = `lan (http://litellm.linuxserver.lan:${workspace.ports.lan})`;
    expect(routes.summary).toContain(
      `${lan}: GET http://litellm.linuxserver.lan:${workspace.ports.lan}/health/liveliness answered HTTP 404 "404 page not found" — ` +
        'Traefik has routers for this host, but none matched the request: litellm-lan@file needs HeaderRegexp(`Authorization`, `^Bearer\\s+.+`) ' +
        '(the request carried no Authorization header: there is no gateway key, set LITELLM_MASTER_KEY in the environment or a secrets file); ' +
        'litellm-lan-docs@file needs (Path(`/`) || Path(`/openapi.json`) || PathPrefix(`/redoc`)); litellm-lan-ui@file needs PathPrefix(`/ui`)',
    );
    expect(routes.summary).not.toContain('no router for this host');
    expect(routes.facts.hosts.map((h) => h.request.unmatched?.[0])).toEqual([
      { router: 'litellm-lan@file', needs: 'HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)' },
      { router: 'litellm-ext@file', needs: 'HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)' },
    ]);
  });

  it('the curl traefik.labels prints reproduces each route as printed: 200 with $LITELLM_MASTER_KEY set, 404 without', async () => {
    const markdown = regionMarkdown(await run('traefik.labels'), 'traefik.labels', renderRouting);
    expect(markdown).not.toContain(key);
    const commands = markdown.split('\n').filter((line) => line.startsWith('curl '));
    expect(commands).toHaveLength(2);
    // The printed commands name the hosts, which no DNS here resolves: curl's own config file points them at the lab.
    const home = await mkdtemp(path.join(os.tmpdir(), 'proofbook-curl-'));
    try {
      const caFile = config.hostByName('external').caFile!;
      await writeFile(
        path.join(home, '.curlrc'),
        [
          `connect-to = "litellm.linuxserver.lan:${workspace.ports.lan}:127.0.0.1:${workspace.ports.lan}"`,
          `connect-to = "litellm.ai-servicers.com:${workspace.ports.external}:127.0.0.1:${workspace.ports.external}"`,
          `cacert = "${caFile}"`,
          '',
        ].join('\n'),
      );
      const curl = (command: string, env: Record<string, string>) =>
        execa('bash', ['-c', command], { env: { PATH: process.env.PATH!, HOME: home, ...env }, extendEnv: false, reject: false });
      for (const command of commands) {
        expect((await curl(command, { LITELLM_MASTER_KEY: key })).stdout, command).toMatch(/^200 /);
        expect((await curl(command, {})).stdout, command).toMatch(/^404 /);
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
