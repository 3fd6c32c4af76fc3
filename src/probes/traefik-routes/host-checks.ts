/**
 * Checks per configured host: Traefik's routers for it (present, enabled, TLS as the URL's scheme
 * asks), its certificate (./certificate.ts) and a real request through the route (on Traefik's
 * 404, which matcher of each router the request missed: ./unmatched-routers.ts).
 */
import type { Host } from '../../config/schema.ts';
import { Findings } from '../kit/findings.ts';
import { bodyReason, connectionHint, errorText, listText, requestSignal, statusHint } from '../kit/live-http.ts';
import type { RecordingFetch } from '../kit/recording-fetch.ts';
import type { ProbeContext, TranscriptEntry } from '../types.ts';
import { checkCertificate } from './certificate.ts';
import type { DeclaredRouter } from './declared-routers.ts';
import type { RouteHostFact } from './facts.ts';
import type { TraefikRoutesOptions } from './options.ts';
import { namesHost, routerFact, routerNames, type ApiRouter, type ApiService } from './traefik-api.ts';
import { unmatchedRouters } from './unmatched-routers.ts';

/** What every host's checks share: the run, what Traefik's API said, what the labels declare. */
export interface RouteCheckRun {
  context: ProbeContext;
  options: TraefikRoutesOptions;
  recorder: RecordingFetch;
  /** The key header the route requests carry (none without a key). */
  headers: Record<string, string>;
  /** TLS handshakes, for the transcript. */
  tlsEntries: TranscriptEntry[];
  apiOk: boolean;
  routersUrl: string;
  routers: ApiRouter[];
  services: Map<string, ApiService>;
  declared: DeclaredRouter[];
}

/** The host's fact; its findings go to `findings`. */
export async function checkHost(host: Host, run: RouteCheckRun, findings: Findings): Promise<RouteHostFact> {
  const url = new URL(host.url);
  const hostFindings = new Findings();
  const matching = run.routers.filter((r) => namesHost(r, url.hostname));
  const declaredRouter = run.declared.find((d) => d.hostnames.includes(url.hostname.toLowerCase()));
  const fact: RouteHostFact = {
    host: host.name,
    url: host.url,
    hostname: url.hostname,
    routers: matching.map((r) => routerFact(r, run.services)).sort((a, b) => a.name.localeCompare(b.name)),
    ...(declaredRouter ? { declared: { router: declaredRouter.router, file: declaredRouter.file, line: declaredRouter.line } } : {}),
    request: { url: new URL(run.options.healthPath, host.url).toString(), ok: false },
    ok: false,
  };
  if (run.apiOk) checkRouters(host, fact, run, hostFindings);
  if (url.protocol === 'https:') await checkCertificate(host, fact, run.context, run.options, hostFindings, run.tlsEntries);
  await checkRequest(host, fact, matching, run, hostFindings);
  fact.ok = hostFindings.status() !== 'fail';
  findings.push(...hostFindings.list);
  return fact;
}

/** Traefik has a router for the host, enabled and without errors, with TLS exactly when the URL is https. */
function checkRouters(host: Host, fact: RouteHostFact, run: RouteCheckRun, findings: Findings): void {
  const where = `${host.name} (${host.url})`;
  const https = new URL(host.url).protocol === 'https:';
  if (!fact.routers.length) {
    const declaredText = fact.declared
      ? `; ${fact.declared.file}:${fact.declared.line} declares router ${fact.declared.router} for it, but the running Traefik does not have it (check Traefik's provider config and its log)`
      : '; no router in the compose labels names it either';
    findings.fail('route.missing', `${where}: Traefik has no router for Host(\`${fact.hostname}\`) (${run.routersUrl} lists ${routerNames(run.routers)})${declaredText}`);
  }
  for (const router of fact.routers) {
    if (router.status === 'disabled' || router.errors.length) {
      const problem = router.errors.length ? router.errors.join('; ') : 'no error given';
      findings.add(router.status === 'disabled' ? 'fail' : 'warn', 'route.error', `${where}: Traefik router ${router.name} is ${router.status}: ${problem}`);
    } else if (router.status !== 'enabled') {
      findings.warn('route.status', `${where}: Traefik router ${router.name} is ${router.status}`);
    }
  }
  const usable = fact.routers.filter((r) => r.status !== 'disabled');
  if (usable.length && !usable.some((r) => r.tls === https)) {
    const names = listText(usable.map((r) => r.name));
    findings.fail(
      'route.tls',
      https ? `${where}: Traefik router ${names} has no TLS, but the host URL is https` : `${where}: Traefik router ${names} requires TLS, but the host URL is http`,
    );
  }
}

/**
 * The real request through the route answers 200; otherwise the finding says what the status
 * usually means, and on Traefik's 404 which of the host's routers (`routers`) wanted what.
 */
async function checkRequest(host: Host, fact: RouteHostFact, routers: ApiRouter[], run: RouteCheckRun, findings: Findings): Promise<void> {
  const where = `${host.name} (${host.url})`;
  try {
    const response = await run.recorder.fetch(fact.request.url, {
      headers: run.headers,
      signal: requestSignal(run.context, run.options.requestTimeoutMs),
      redirect: 'manual',
    });
    const body = await response.text();
    fact.request.status = response.status;
    fact.request.ok = response.status === 200;
    if (fact.request.ok) return;
    const reason = bodyReason(body, 80);
    if (reason) fact.request.reason = reason;
    const withServers = fact.routers.find((r) => r.servers.length);
    const backend = withServers ? `service ${withServers.service} → ${listText(withServers.servers)}` : undefined;
    const unmatched = response.status === 404 && /404 page not found/i.test(body) ? unmatchedRouters(routers, fact, run) : [];
    if (unmatched.length) fact.request.unmatched = unmatched.map(({ router, needs }) => ({ router, needs }));
    const hint = unmatched.length
      ? `Traefik has ${unmatched.length === 1 ? 'a router' : 'routers'} for this host, but none matched the request: ${unmatched.map((u) => u.text).join('; ')}`
      : statusHint(response.status, body, backend);
    findings.fail(
      `request.${response.status}`,
      `${where}: GET ${fact.request.url} answered HTTP ${response.status}${fact.request.reason ? ` "${fact.request.reason}"` : ''}${hint ? ` — ${hint}` : ''}`,
    );
  } catch (error) {
    run.context.signal.throwIfAborted();
    fact.request.error = errorText(error);
    findings.fail('request.failed', `${where}: GET ${fact.request.url} failed: ${fact.request.error} — ${connectionHint(host, fact.request.error)}`);
  }
}
