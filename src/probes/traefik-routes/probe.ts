/**
 * `traefik.routes` (live): asks the running Traefik what it routes, and sends real requests
 * through it.
 *
 * For every configured host:
 * - Traefik's API (`/api/http/routers`) has a router whose rule names the host (`Host(…)`),
 *   `enabled`, without `error`, with TLS exactly when the host URL is https. When it is missing,
 *   the finding names the router the compose labels declare for the host (`file:line`).
 * - `GET <host url><healthPath>` (through the host's entrypoint, with that Host / SNI, and the
 *   key as clients send it, `Authorization: Bearer`, when one is configured) answers 200 from
 *   LiteLLM; a 502 means Traefik cannot reach LiteLLM and names the service's server; Traefik's
 *   404 while routers for the host exist names each router and the matcher the request missed
 *   (e.g. `HeaderRegexp(\`Authorization\`, …)` of a router gated on the key).
 * - On https hosts, the certificate Traefik serves for the hostname: trusted (with the host's
 *   `caFile`), its SANs cover the hostname, not expired (fail), not expiring within
 *   `certWarnDays` (warn). Inspected even when it is bad, so the finding says what is wrong.
 *
 * Facts stay stable between runs (statuses, router names, validTo); latencies, response headers
 * and dates are in the transcript only.
 */
import { failsThenWarnings, formatFinding } from '../../model/findings.ts';
import type { ProbeStatus } from '../../model/status.ts';
import { Findings } from '../kit/findings.ts';
import { caFileInputs, errorText, pickHosts } from '../kit/live-http.ts';
import { gatewayKey, keyHeaders } from '../kit/gateway-key.ts';
import { recordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import type { Probe, ProbeContext, ProbeOutcome, TranscriptEntry } from '../types.ts';
import { declaredRouters } from './declared-routers.ts';
import type { TraefikRoutesFacts } from './facts.ts';
import { checkHost, type RouteCheckRun } from './host-checks.ts';
import type { TraefikRoutesOptions } from './options.ts';
import { readTraefikApi, type TraefikApi } from './traefik-api.ts';
export type { RouteRouterFact, RouteCertificateFact, RouteHostFact, TraefikRoutesFacts } from './facts.ts';

export const TRAEFIK_ROUTES_ID = 'traefik.routes';

export const traefikRoutesProbe: Probe<TraefikRoutesFacts, TraefikRoutesOptions> = {
  id: TRAEFIK_ROUTES_ID,
  inputs: (config) => [{ file: config.gateway.composeFile, format: 'compose', optional: true }, ...caFileInputs(config)],
  async run(context: ProbeContext<TraefikRoutesOptions>): Promise<ProbeOutcome<TraefikRoutesFacts>> {
    const { config, options } = context;
    const apiBase = (options.apiUrl ?? `http://127.0.0.1:${config.lab.traefikApiPort}`).replace(/\/+$/, '');
    const headers = keyHeaders(gatewayKey(context).value);
    const facts: TraefikRoutesFacts = {
      apiUrl: apiBase,
      keySent: Object.keys(headers).length > 0,
      keyEnvVar: config.gateway.keyEnvVar,
      apiOk: false,
      hosts: [],
      findings: [],
    };
    const { hosts, unknown } = pickHosts(config, options.hosts);
    if (unknown.length) {
      const summary = `probes."${TRAEFIK_ROUTES_ID}".hosts names unknown host(s) ${unknown.join(', ')}; configured: ${config.hosts.map((h) => h.name).join(', ')}`;
      return { status: 'error', summary, facts, transcript: [] };
    }

    const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
    const findings = new Findings();

    // 1. What Traefik says it routes.
    const routersUrl = `${apiBase}/api/http/routers`;
    let api: TraefikApi = { routers: [], services: new Map() };
    try {
      api = await readTraefikApi(apiBase, recorder.fetch, context, options.requestTimeoutMs);
      facts.apiOk = true;
    } catch (error) {
      context.signal.throwIfAborted();
      facts.apiError = errorText(error);
      findings.fail(
        'api.unreachable',
        `cannot read Traefik's routers from ${routersUrl}: ${facts.apiError} — is the Traefik API enabled there (set probes."${TRAEFIK_ROUTES_ID}".apiUrl)?`,
      );
    }
    const run: RouteCheckRun = { context, options, recorder, headers, tlsEntries: [], apiOk: facts.apiOk, routersUrl, ...api, declared: await declaredRouters(context) };

    // 2. Per host: its routers, a real request through the route, the certificate.
    for (const host of hosts) {
      context.signal.throwIfAborted();
      facts.hosts.push(await checkHost(host, run, findings));
    }

    await recorder.settle();
    facts.findings = findings.list;
    const status = findings.status();
    const transcript: TranscriptEntry[] = [...recorder.exchanges, ...run.tlsEntries].sort((a, b) => a.at.localeCompare(b.at));
    return { status, summary: summarize(facts, status), facts, transcript, target: [apiBase, ...hosts.map((h) => h.url)] };
  },
};

function summarize(facts: TraefikRoutesFacts, status: ProbeStatus): string {
  if (status !== 'pass') return failsThenWarnings(facts.findings).map(formatFinding).join('; ');
  const parts = facts.hosts.map((h) => {
    const routers = h.routers.map((r) => r.name).join(', ');
    const cert = h.certificate ? `, certificate valid until ${h.certificate.validTo.slice(0, 10)}` : '';
    return `${h.host} via ${routers} → HTTP ${h.request.status}${cert}`;
  });
  return `Traefik routes every host to LiteLLM: ${parts.join('; ')}`;
}
