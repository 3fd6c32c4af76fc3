/**
 * Checks of the entrypoint a host's routers listen on: http hosts go through the LAN entrypoint,
 * https hosts through the TLS one, with TLS (and a certificate resolver) exactly when the URL is
 * https.
 */
import type { TraefikRouter } from '../../gateway/traefik-routing.ts';
import type { LabelFindings } from './label-findings.ts';
import type { HostRoute } from './litellm-routing.ts';
import { routerLabel } from './router-checks.ts';

/** A router without entrypoints listens on all of them. */
export function onEntryPoint(router: TraefikRouter, entryPoint: string): boolean {
  return router.entryPoints.length === 0 || router.entryPoints.includes(entryPoint);
}

/** The host's routers on its entrypoint; when there are none, a finding for each router (and none returned). */
export function checkEntryPoints({ host, url, https, entryPoint, routers }: HostRoute, findings: LabelFindings): TraefikRouter[] {
  const listening = routers.filter((r) => onEntryPoint(r, entryPoint));
  if (listening.length > 0) return listening;
  for (const router of routers) {
    findings.breaks(
      [host.name],
      'host.wrong-entrypoint',
      `router ${router.name} serves ${url} but listens on ${router.entryPoints.join(', ')}; ${https ? 'https' : 'http'} hosts go through the ` +
        `${https ? 'TLS' : 'LAN'} entrypoint ${entryPoint}: set traefik.http.routers.${router.name}.entrypoints=${entryPoint}`,
      router.lines.entrypoints ?? router.line,
    );
  }
  return [];
}

export function checkTls({ host, url, https, entryPoint }: HostRoute, routers: TraefikRouter[], findings: LabelFindings): void {
  for (const router of routers) {
    const label = routerLabel(router);
    if (https && !router.tls) {
      findings.breaks(
        [host.name],
        'host.no-tls',
        `router ${router.name} serves ${url} but has no TLS; add ${label('tls.certresolver')}=<resolver>`,
        router.lines.tls ?? router.line,
      );
    } else if (https && !router.certResolver) {
      findings.warn(
        'host.no-certresolver',
        `router ${router.name} serves ${url} with tls=true but no certificate resolver, so clients get Traefik's default certificate ` +
          `unless the entrypoint sets one; add ${label('tls.certresolver')}=<resolver>`,
        router.lines.tls ?? router.line,
      );
    } else if (!https && router.tls) {
      findings.breaks(
        [host.name],
        'host.tls-on-http',
        `router ${router.name} serves ${url} on ${entryPoint} but has TLS, so it answers only https and plain http requests get 404; ` +
          `remove ${label('tls')}* or use an https URL for this host`,
        router.lines.tls ?? router.lines['tls.certresolver'] ?? router.line,
      );
    }
  }
}
