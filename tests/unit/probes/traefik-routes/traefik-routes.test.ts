/**
 * `traefik.routes` behind routers gated on the key, against a scripted Traefik: the API lists the
 * routers of the header-gated fixture (a router that needs `Authorization: Bearer …`, open ones
 * for `/ui` and the docs) and the entrypoint answers 404 without that header, as Traefik does.
 * The lab version (real Traefik, real LiteLLM) is tests/e2e/probes/traefik-routes/header-gated.e2e.test.ts.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { traefikRoutesProbe, type TraefikRoutesFacts } from '../../../../src/probes/traefik-routes/probe.ts';
import { renderRoutes } from '../../../../src/probes/traefik-routes/render.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';
import { runProbe } from '../../../helpers/probe-context.ts';
import { regionMarkdown } from '../../../helpers/region-markdown.ts';

const FIXTURE = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'traefik-labels', 'header-gated-routers');
const KEY = 'sk-unit-test-key-0123';
const GATED = 'Host(`litellm.linuxserver.lan`) && HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)';

const API_ROUTERS = [
  { name: 'litellm-lan@file', rule: GATED },
  { name: 'litellm-lan-ui@file', rule: 'Host(`litellm.linuxserver.lan`) && PathPrefix(`/ui`)' },
  { name: 'litellm-lan-docs@file', rule: 'Host(`litellm.linuxserver.lan`) && (Path(`/`) || Path(`/openapi.json`) || PathPrefix(`/redoc`))' },
].map((r) => ({ ...r, status: 'enabled', entryPoints: ['web'], service: 'litellm', provider: 'file' }));

/** Traefik as the fixture configures it: the API, and the web entrypoint gated on the header. */
const scriptedTraefik = async (input: string | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(String(input));
  if (url.pathname === '/api/http/routers') return Response.json(API_ROUTERS);
  if (url.pathname === '/api/http/services') return Response.json([{ name: 'litellm@file', loadBalancer: { servers: [{ url: 'http://127.0.0.1:4000' }] } }]);
  const authorization = new Headers(init?.headers).get('authorization') ?? '';
  if (/^Bearer\s+.+/.test(authorization)) return new Response('"I\'m alive!"', { status: 200, headers: { 'content-type': 'application/json' } });
  return new Response('404 page not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};

function config(): Config {
  const yaml = stringify({
    gateway: { configFile: 'config.yaml', composeFile: path.join(FIXTURE, 'docker-compose.yml'), mcp: { servers: ['mcp_postgres'] } },
    hosts: [{ name: 'lan', url: 'http://litellm.linuxserver.lan' }],
    probes: { 'traefik.routes': { apiUrl: 'http://traefik.test:8080' } },
  });
  return parseConfig(yaml, path.join(FIXTURE, 'proofbook.config.yaml'));
}

async function run(secrets: { key: string; value: string }[], fetch = scriptedTraefik): Promise<ProbeOutcome<TraefikRoutesFacts>> {
  const entries = secrets.map((s, i) => ({ ...s, file: 'test.env', line: i + 1 }));
  return runProbe(traefikRoutesProbe, { config: config(), http: { fetch, close: async () => {} }, secrets: entries });
}

describe('traefik.routes behind routers gated on the key header', () => {
  const saved = process.env.LITELLM_MASTER_KEY;
  beforeEach(() => {
    delete process.env.LITELLM_MASTER_KEY;
  });
  afterEach(() => {
    if (saved !== undefined) process.env.LITELLM_MASTER_KEY = saved;
  });

  it('sends the key as clients do, passes through the gated router, and reproduces with the variable, never the value', async () => {
    const sent: string[] = [];
    const recordingTraefik = (input: string | URL, init?: RequestInit) => {
      if (new URL(String(input)).pathname === '/health/liveliness') sent.push(new Headers(init?.headers).get('authorization') ?? '');
      return scriptedTraefik(input, init);
    };
    const outcome = await run([{ key: 'LITELLM_MASTER_KEY', value: KEY }], recordingTraefik);
    expect(outcome.status).toBe('pass');
    expect(sent).toEqual([`Bearer ${KEY}`]);
    expect(outcome.facts.hosts[0]!.routers.map((r) => r.name)).toEqual(['litellm-lan-docs@file', 'litellm-lan-ui@file', 'litellm-lan@file']);
    expect(outcome.facts).toMatchObject({ keySent: true, keyEnvVar: 'LITELLM_MASTER_KEY' });
    const request = (outcome.transcript as unknown as { url: string; requestHeaders: Record<string, string> }[]).find((e) => e.url.endsWith('/health/liveliness'))!;
    // What the probe returns is scrubbed by the runner with the run's redactor (it knows the key).
    expect(request.requestHeaders.authorization).toBe('Bearer [REDACTED]');
    const markdown = regionMarkdown(outcome, 'traefik.routes', renderRoutes);
    expect(markdown).toContain(`curl -sS -w ' %{http_code}\\n' -H "Authorization: Bearer $LITELLM_MASTER_KEY" http://litellm.linuxserver.lan/health/liveliness`);
    expect(markdown).not.toContain(KEY);
    expect(JSON.stringify(outcome.facts)).not.toContain(KEY);
  });

  it('explains Traefik\'s 404 without the key: the gated router and its header matcher, then the open routers and their paths', async () => {
    const outcome = await run([]);
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe(
      'lan (http://litellm.linuxserver.lan): GET http://litellm.linuxserver.lan/health/liveliness answered HTTP 404 "404 page not found" — ' +
        'Traefik has routers for this host, but none matched the request: ' +
        'litellm-lan@file needs HeaderRegexp(`Authorization`, `^Bearer\\s+.+`) (the request carried no Authorization header: there is no gateway key, ' +
        'set LITELLM_MASTER_KEY in the environment or a secrets file); ' +
        'litellm-lan-docs@file needs (Path(`/`) || Path(`/openapi.json`) || PathPrefix(`/redoc`)); ' +
        'litellm-lan-ui@file needs PathPrefix(`/ui`)',
    );
    expect(outcome.summary).not.toContain('no router for this host');
    expect(outcome.facts.keySent).toBe(false);
    expect(outcome.facts.hosts[0]!.request.unmatched).toEqual([
      { router: 'litellm-lan@file', needs: 'HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)' },
      { router: 'litellm-lan-docs@file', needs: '(Path(`/`) || Path(`/openapi.json`) || PathPrefix(`/redoc`))' },
      { router: 'litellm-lan-ui@file', needs: 'PathPrefix(`/ui`)' },
    ]);
    // Without a key there is none to send: the reproduce command carries no header either.
    expect(regionMarkdown(outcome, 'traefik.routes', renderRoutes)).toContain(`curl -sS -w ' %{http_code}\\n' http://litellm.linuxserver.lan/health/liveliness`);
  });

  it('names a gate on another header than the one clients send the key in', async () => {
    const gatedElsewhere = [{ ...API_ROUTERS[0]!, rule: 'Host(`litellm.linuxserver.lan`) && HeaderRegexp(`X-Litellm-Api-Key`, `^Bearer .+`)' }];
    const traefik = async (input: string | URL, init?: RequestInit) =>
      new URL(String(input)).pathname === '/api/http/routers' ? Response.json(gatedElsewhere) : scriptedTraefik(input, { ...init, headers: {} });
    const outcome = await run([{ key: 'LITELLM_MASTER_KEY', value: KEY }], traefik);
    expect(outcome.summary).toContain(
      'Traefik has a router for this host, but none matched the request: litellm-lan@file needs HeaderRegexp(`X-Litellm-Api-Key`, `^Bearer .+`) ' +
        '(the request carried no X-Litellm-Api-Key header; Proofbook, like clients, sends the key in Authorization)',
    );
  });
});
