/**
 * `traefik.routes` (live): asks the running Traefik what it routes, and sends real requests
 * through it.
 *
 * For every configured host:
 * - Traefik's API (`/api/http/routers`) has a router whose rule names the host (`Host(…)`),
 *   `enabled`, without `error`, with TLS exactly when the host URL is https. When it is missing,
 *   the finding names the router the compose labels declare for the host (`file:line`).
 * - `GET <host url><healthPath>` (through the host's entrypoint, with that Host / SNI) answers
 *   200 from LiteLLM; a 502 means Traefik cannot reach LiteLLM and names the service's server.
 * - On https hosts, the certificate Traefik serves for the hostname: trusted (with the host's
 *   `caFile`), its SANs cover the hostname, not expired (fail), not expiring within
 *   `certWarnDays` (warn). Inspected even when it is bad, so the finding says what is wrong.
 *
 * Facts stay stable between runs (statuses, router names, validTo); latencies, response headers
 * and dates are in the transcript only.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { Host } from '../../config/schema.ts';
import { hostsInRule, parseRule, readLabelSource, ruleNamesHost, toRouting } from '../../gateway/compose-labels.ts';
import { bodyReason, caFileInputs, connectionHint, errorText, listText, pickHosts, probeOptions, requestSignal, shownPath, statusHint } from '../kit/live-http.ts';
import { recordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import { TraefikRoutesOptionsSchema } from './options.ts';
import { formatFinding, statusOf, type Finding, type Probe, type ProbeContext, type ProbeOutcome, type TranscriptEntry } from '../types.ts';
import type { RouteRouterFact, RouteCertificateFact, RouteHostFact, TraefikRoutesFacts } from './facts.ts';
export type { RouteRouterFact, RouteCertificateFact, RouteHostFact, TraefikRoutesFacts } from './facts.ts';

export const TRAEFIK_ROUTES_ID = 'traefik.routes';

interface ApiRouter {
  name: string;
  rule?: string;
  status?: string;
  entryPoints?: string[];
  service?: string;
  provider?: string;
  tls?: unknown;
  error?: string | string[];
  ruleSyntax?: string;
}

interface ApiService {
  name: string;
  loadBalancer?: { servers?: { url?: string; address?: string }[] };
}

export const traefikRoutesProbe: Probe<TraefikRoutesFacts> = {
  id: TRAEFIK_ROUTES_ID,
  inputs: (config) => [{ file: config.gateway.composeFile, format: 'compose', optional: true }, ...caFileInputs(config)],
  async run(context: ProbeContext): Promise<ProbeOutcome<TraefikRoutesFacts>> {
    const config = context.config;
    const parsed = probeOptions(context, TRAEFIK_ROUTES_ID, TraefikRoutesOptionsSchema);
    const apiBase = (parsed.options?.apiUrl ?? `http://127.0.0.1:${config.lab.traefikApiPort}`).replace(/\/+$/, '');
    const facts: TraefikRoutesFacts = { apiUrl: apiBase, apiOk: false, hosts: [], findings: [] };
    if (!parsed.options) return { status: 'error', summary: parsed.problem, facts, transcript: [] };
    const options = parsed.options;
    const { hosts, unknown } = pickHosts(config, options.hosts);
    if (unknown.length) {
      const summary = `probes."${TRAEFIK_ROUTES_ID}".hosts names unknown host(s) ${unknown.join(', ')}; configured: ${config.hosts.map((h) => h.name).join(', ')}`;
      return { status: 'error', summary, facts, transcript: [] };
    }

    const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
    const tlsEntries: TranscriptEntry[] = [];
    const transcript = () => [...recorder.exchanges, ...tlsEntries].sort((a, b) => a.at.localeCompare(b.at));
    const findings: Finding[] = [];

    // 1. What Traefik says it routes.
    const routersUrl = `${apiBase}/api/http/routers`;
    let routers: ApiRouter[] = [];
    let services = new Map<string, ApiService>();
    try {
      const response = await recorder.fetch(routersUrl, { signal: requestSignal(context, options.requestTimeoutMs) });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}${bodyReason(text) ? ` ${bodyReason(text)}` : ''}`);
      routers = JSON.parse(text) as ApiRouter[];
      if (!Array.isArray(routers)) throw new Error('the answer is not a list of routers');
      facts.apiOk = true;
      services = await readServices(`${apiBase}/api/http/services`, recorder.fetch, context, options.requestTimeoutMs);
    } catch (error) {
      context.signal.throwIfAborted();
      facts.apiError = errorText(error);
      findings.push({
        severity: 'fail',
        code: 'api.unreachable',
        message: `cannot read Traefik's routers from ${routersUrl}: ${facts.apiError} — is the Traefik API enabled there (set probes."${TRAEFIK_ROUTES_ID}".apiUrl)?`,
      });
    }

    const declared = await declaredRouters(context);

    // 2. Per host: its routers, a real request through the route, the certificate.
    for (const host of hosts) {
      context.signal.throwIfAborted();
      const url = new URL(host.url);
      const https = url.protocol === 'https:';
      const where = `${host.name} (${host.url})`;
      const hostFindings: Finding[] = [];
      const matching = routers.filter((r) => namesHost(r, url.hostname));
      const declaredRouter = declared.find((d) => d.hostnames.includes(url.hostname.toLowerCase()));
      const fact: RouteHostFact = {
        host: host.name,
        url: host.url,
        hostname: url.hostname,
        routers: matching.map((r) => routerFact(r, services)).sort((a, b) => a.name.localeCompare(b.name)),
        ...(declaredRouter ? { declared: { router: declaredRouter.router, file: declaredRouter.file, line: declaredRouter.line } } : {}),
        request: { url: new URL(options.healthPath, host.url).toString(), ok: false },
        ok: false,
      };

      if (facts.apiOk) {
        if (!matching.length) {
          const declaredText = fact.declared
            ? `; ${fact.declared.file}:${fact.declared.line} declares router ${fact.declared.router} for it, but the running Traefik does not have it (check Traefik's provider config and its log)`
            : '; no router in the compose labels names it either';
          hostFindings.push({
            severity: 'fail',
            code: 'route.missing',
            message: `${where}: Traefik has no router for Host(\`${url.hostname}\`) (${routersUrl} lists ${routerNames(routers)})${declaredText}`,
          });
        }
        for (const router of fact.routers) {
          if (router.status === 'disabled' || router.errors.length) {
            const severity = router.status === 'disabled' ? 'fail' : 'warn';
            const problem = router.errors.length ? router.errors.join('; ') : 'no error given';
            hostFindings.push({ severity, code: 'route.error', message: `${where}: Traefik router ${router.name} is ${router.status}: ${problem}` });
          } else if (router.status !== 'enabled') {
            hostFindings.push({ severity: 'warn', code: 'route.status', message: `${where}: Traefik router ${router.name} is ${router.status}` });
          }
        }
        const usable = fact.routers.filter((r) => r.status !== 'disabled');
        if (usable.length && !usable.some((r) => r.tls === https)) {
          hostFindings.push({
            severity: 'fail',
            code: 'route.tls',
            message: https
              ? `${where}: Traefik router ${listText(usable.map((r) => r.name))} has no TLS, but the host URL is https`
              : `${where}: Traefik router ${listText(usable.map((r) => r.name))} requires TLS, but the host URL is http`,
          });
        }
      }

      // The certificate Traefik serves for the hostname.
      if (https) {
        try {
          const inspected = await inspectCertificate(host, context, options.requestTimeoutMs);
          tlsEntries.push(inspected.entry);
          const cert = certificateFact(inspected.certificate, inspected.verifyError, url.hostname, options.certWarnDays);
          fact.certificate = cert;
          const about = `the certificate Traefik serves for ${url.hostname} (subject ${cert.subject}, issuer ${cert.issuer}, SAN ${cert.san.join(', ') || 'none'})`;
          if (cert.state === 'expired') {
            hostFindings.push({ severity: 'fail', code: 'cert.expired', message: `${where}: ${about} expired on ${cert.validTo.slice(0, 10)}; renew it and point Traefik's tls.certificates (or certresolver) at the new one` });
          } else if (cert.state === 'not-yet-valid') {
            hostFindings.push({ severity: 'fail', code: 'cert.not-yet-valid', message: `${where}: ${about} is not valid before ${cert.validFrom.slice(0, 10)} (check the clock)` });
          } else if (cert.state === 'expiring') {
            hostFindings.push({ severity: 'warn', code: 'cert.expiring', message: `${where}: ${about} expires on ${cert.validTo.slice(0, 10)}, within the ${options.certWarnDays}-day warning window; renew it` });
          }
          if (!cert.matchesHost) {
            const fallback = /TRAEFIK DEFAULT CERT/i.test(cert.subject) ? ' — it is Traefik\'s default certificate: no configured certificate covers this name' : '';
            hostFindings.push({ severity: 'fail', code: 'cert.name', message: `${where}: ${about} does not cover ${url.hostname}${fallback}` });
          }
          if (!cert.trusted && cert.verifyError && !['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'].includes(cert.verifyError)) {
            const trust = host.caFile ? `the host's caFile ${shownPath(config, host.caFile)}` : 'the system CAs';
            hostFindings.push({ severity: 'fail', code: 'cert.untrusted', message: `${where}: ${about} does not verify against ${trust}: ${cert.verifyError}` });
          }
        } catch (error) {
          context.signal.throwIfAborted();
          fact.certificateError = errorText(error);
          hostFindings.push({
            severity: 'fail',
            code: 'cert.unavailable',
            message: `${where}: no TLS handshake with ${url.hostname}:${tlsPort(url)}: ${fact.certificateError} — ${connectionHint(host, fact.certificateError)}`,
          });
        }
      }

      // The real request through the route.
      try {
        const response = await recorder.fetch(fact.request.url, {
          signal: requestSignal(context, options.requestTimeoutMs),
          redirect: 'manual',
        });
        const body = await response.text();
        fact.request.status = response.status;
        fact.request.ok = response.status === 200;
        if (!fact.request.ok) {
          const reason = bodyReason(body, 80);
          if (reason) fact.request.reason = reason;
          const withServers = fact.routers.find((r) => r.servers.length);
          const backend = withServers ? `service ${withServers.service} → ${listText(withServers.servers)}` : undefined;
          const hint = statusHint(response.status, body, backend);
          hostFindings.push({
            severity: 'fail',
            code: `request.${response.status}`,
            message: `${where}: GET ${fact.request.url} answered HTTP ${response.status}${fact.request.reason ? ` "${fact.request.reason}"` : ''}${hint ? ` — ${hint}` : ''}`,
          });
        }
      } catch (error) {
        context.signal.throwIfAborted();
        fact.request.error = errorText(error);
        hostFindings.push({
          severity: 'fail',
          code: 'request.failed',
          message: `${where}: GET ${fact.request.url} failed: ${fact.request.error} — ${connectionHint(host, fact.request.error)}`,
        });
      }

      fact.ok = statusOf(hostFindings) !== 'fail';
      facts.hosts.push(fact);
      findings.push(...hostFindings);
    }

    await recorder.settle();
    facts.findings = findings;
    const status = statusOf(findings);
    return { status, summary: summarize(facts, status), facts, transcript: transcript(), target: [apiBase, ...hosts.map((h) => h.url)] };
  },
};

function summarize(facts: TraefikRoutesFacts, status: ReturnType<typeof statusOf>): string {
  if (status !== 'pass') {
    const ordered = [...facts.findings.filter((f) => f.severity === 'fail'), ...facts.findings.filter((f) => f.severity === 'warn')];
    return ordered.map(formatFinding).join('; ');
  }
  const parts = facts.hosts.map((h) => {
    const routers = h.routers.map((r) => r.name).join(', ');
    const cert = h.certificate ? `, certificate valid until ${h.certificate.validTo.slice(0, 10)}` : '';
    return `${h.host} via ${routers} → HTTP ${h.request.status}${cert}`;
  });
  return `Traefik routes every host to LiteLLM: ${parts.join('; ')}`;
}

function namesHost(router: ApiRouter, hostname: string): boolean {
  if (!router.rule) return false;
  const syntax = router.ruleSyntax === 'v2' ? 'v2' : 'v3';
  try {
    return ruleNamesHost(parseRule(router.rule), hostname, syntax);
  } catch {
    return hostsInRule(router.rule).some((h) => h.toLowerCase() === hostname.toLowerCase());
  }
}

function routerFact(router: ApiRouter, services: Map<string, ApiService>): RouteRouterFact {
  const provider = router.provider ?? router.name.split('@')[1];
  const serviceName = router.service && !router.service.includes('@') && provider ? `${router.service}@${provider}` : router.service;
  const service = serviceName ? services.get(serviceName) : undefined;
  const errors = router.error === undefined ? [] : Array.isArray(router.error) ? router.error : [router.error];
  return {
    name: router.name,
    rule: router.rule ?? '',
    status: router.status ?? 'unknown',
    entryPoints: [...(router.entryPoints ?? [])].sort(),
    tls: router.tls !== undefined && router.tls !== null,
    ...(serviceName ? { service: serviceName } : {}),
    servers: (service?.loadBalancer?.servers ?? []).map((s) => s.url ?? s.address ?? '').filter(Boolean).sort(),
    errors: errors.map(String),
  };
}

function routerNames(routers: ApiRouter[]): string {
  const names = routers.filter((r) => r.provider !== 'internal').map((r) => r.name);
  return names.length ? `only ${listText(names)}` : 'no routers besides its internal ones';
}

async function readServices(
  url: string,
  fetch: ReturnType<typeof recordingFetch>['fetch'],
  context: ProbeContext,
  timeoutMs: number,
): Promise<Map<string, ApiService>> {
  try {
    const response = await fetch(url, { signal: requestSignal(context, timeoutMs) });
    if (!response.ok) return new Map();
    const list = (await response.json()) as ApiService[];
    return new Map(Array.isArray(list) ? list.map((s) => [s.name, s]) : []);
  } catch {
    return new Map(); // only used to name the backend in a 502 message
  }
}

/** The routers the compose labels declare, with the hostnames their rules name (for "where" in messages). */
async function declaredRouters(context: ProbeContext): Promise<{ router: string; hostnames: string[]; file: string; line: number }[]> {
  const file = context.config.gateway.composeFile;
  try {
    const source = await readLabelSource(file, shownPath(context.config, file), context.signal);
    const services = [...new Set(source.labels.filter((l) => l.key === 'traefik.enable').map((l) => l.service))];
    return services.flatMap((service) =>
      toRouting(source.labels, service, shownPath(context.config, file)).routers.map((router) => ({
        router: router.name,
        hostnames: hostsInRule(router.rule ?? '').map((h) => h.toLowerCase()),
        file: shownPath(context.config, file),
        line: router.lines.rule ?? router.line,
      })),
    );
  } catch {
    return [];
  }
}

function tlsPort(url: URL): number {
  return Number(url.port || 443);
}

/** Connects like a client of this host would (SNI = hostname) and keeps the peer certificate even when it does not verify. */
async function inspectCertificate(
  host: Host,
  context: ProbeContext,
  timeoutMs: number,
): Promise<{ certificate: X509Certificate; verifyError?: string; entry: TranscriptEntry }> {
  const url = new URL(host.url);
  const port = tlsPort(url);
  const address = host.resolveTo ?? url.hostname;
  const ca = host.caFile ? readFileSync(host.caFile, 'utf8') : undefined;
  const signal = requestSignal(context, timeoutMs);
  const at = new Date().toISOString();
  const started = performance.now();
  signal.throwIfAborted();
  const socket = tls.connect({ host: address, port, servername: url.hostname, ...(ca ? { ca } : {}), rejectUnauthorized: false });
  socket.on('error', () => {}); // errors are handled below; none may escape after the handshake
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('secureConnect', () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
    });
    const certificate = socket.getPeerX509Certificate();
    if (!certificate) throw new Error('the server sent no certificate');
    const verifyError = socket.authorized ? undefined : String(socket.authorizationError ?? 'not verified');
    const entry: TranscriptEntry = {
      at,
      kind: 'tls',
      address: `${address}:${port}`,
      servername: url.hostname,
      caFile: host.caFile,
      protocol: socket.getProtocol(),
      authorized: socket.authorized,
      ...(verifyError ? { authorizationError: verifyError } : {}),
      subject: certificate.subject,
      issuer: certificate.issuer,
      subjectAltName: certificate.subjectAltName,
      validFrom: certificate.validFrom,
      validTo: certificate.validTo,
      serialNumber: certificate.serialNumber,
      fingerprint256: certificate.fingerprint256,
      durationMs: Math.round(performance.now() - started),
    };
    return { certificate, ...(verifyError ? { verifyError } : {}), entry };
  } finally {
    socket.destroy();
  }
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function certificateFact(certificate: X509Certificate, verifyError: string | undefined, hostname: string, warnDays: number): RouteCertificateFact {
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  const now = Date.now();
  const state: RouteCertificateFact['state'] =
    validTo.getTime() <= now
      ? 'expired'
      : validFrom.getTime() > now
        ? 'not-yet-valid'
        : validTo.getTime() - now < warnDays * 86_400_000
          ? 'expiring'
          : 'valid';
  const san = (certificate.subjectAltName ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((entry) => entry.replace(/^DNS:/, ''));
  return {
    subject: certificate.subject.replaceAll('\n', ', '),
    issuer: certificate.issuer.replaceAll('\n', ', '),
    san,
    validFrom: isoSeconds(validFrom),
    validTo: isoSeconds(validTo),
    matchesHost: certificate.checkHost(hostname) !== undefined,
    trusted: verifyError === undefined,
    ...(verifyError ? { verifyError } : {}),
    state,
  };
}
