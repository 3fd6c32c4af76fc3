/** Renders the `traefik.routes` region: what the running Traefik routes per host, the live request through it, the certificate. */
import type { RootContent } from 'mdast';
import type { RouteHostFact, TraefikRoutesFacts } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { statusLine, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { curlKeyOption } from '../kit/gateway-key.ts';
import { code, codeList, findingsList, table, type Cell } from '../kit/render/table.ts';

export const renderRoutes: RegionRenderer = (view: ProbeView<Partial<TraefikRoutesFacts>>, context: RenderContext): RootContent[] => {
  const facts = view.facts;
  const hosts = facts.hosts ?? [];
  const rows: Cell[][] = hosts.flatMap((host) =>
    (host.routers.length ? host.routers : [undefined]).map((router): Cell[] => [
      host.host,
      router ? code(router.name) : '— (none in Traefik)',
      router ? router.entryPoints.join(', ') : '—',
      router ? (router.servers.length ? [...code(router.service ?? '?'), { type: 'text', value: ' → ' }, ...codeList(router.servers)] : code(router.service ?? '?')) : '—',
      requestCell(host),
      certificateCell(host),
      host.ok ? '✅' : '❌',
    ]),
  );
  const nodes: RootContent[] = [{ type: 'paragraph', children: statusLine(view, context) }];
  if (rows.length) nodes.push(table(['Host', 'Router (live)', 'Entrypoint', 'Service → server', 'Request', 'Certificate', 'OK'], rows));
  nodes.push(...findingsList(facts.findings));
  if (hosts.length) {
    // The key header as the probe sent it: a router gated on it answers 404 without (the variable, never the value).
    const key = facts.keySent ? `${curlKeyOption(facts.keyEnvVar ?? 'LITELLM_MASTER_KEY')} ` : '';
    const curls = [
      ...(facts.apiUrl ? [`curl -sS ${facts.apiUrl}/api/http/routers`] : []),
      ...hosts.map((h) => `curl -sS -w ' %{http_code}\\n' ${key}${h.request.url}`),
    ];
    nodes.push(
      { type: 'paragraph', children: [{ type: 'text', value: 'Reproduce:' }] },
      { type: 'code', lang: 'bash', value: curls.join('\n') },
    );
  }
  return nodes;
};

function requestCell(host: RouteHostFact): string {
  const path = new URL(host.request.url).pathname;
  if (host.request.ok) return `✅ ${path} ${host.request.status}`;
  if (host.request.status === undefined) return `❌ ${path} no answer`;
  return `❌ ${path} ${host.request.status}${host.request.reason ? ` ${host.request.reason}` : ''}`;
}

function certificateCell(host: RouteHostFact): string {
  const cert = host.certificate;
  if (!cert) return host.certificateError ? '❌ no handshake' : '— (http)';
  const until = cert.validTo.slice(0, 10);
  const problems = [
    cert.state === 'expired' ? `expired ${until}` : cert.state === 'expiring' ? `expires ${until}` : cert.state === 'not-yet-valid' ? `not valid before ${cert.validFrom.slice(0, 10)}` : '',
    cert.matchesHost ? '' : `SAN ${cert.san.join(', ') || 'none'} does not cover ${host.hostname}`,
    !cert.trusted && cert.verifyError && !['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'].includes(cert.verifyError) ? `untrusted (${cert.verifyError})` : '',
  ].filter(Boolean);
  const mark = cert.state === 'expiring' && problems.length === 1 ? '⚠️' : problems.length ? '❌' : '✅';
  return `${mark} ${problems.length ? problems.join('; ') : `valid until ${until}`}, issuer ${cert.issuer}`;
}
