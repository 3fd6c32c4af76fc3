/** Renders the `traefik.labels` region: hosts → entrypoints → routers → LiteLLM, and curl to reproduce. */
import type { RootContent } from 'mdast';
import type { TraefikLabelsFacts } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { statusLine, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { curlKeyOption } from '../kit/gateway-key.ts';
import { code, findingsList, reproduce, table } from '../kit/render/table.ts';

export const renderRouting: RegionRenderer = (view: ProbeView<TraefikLabelsFacts>, context: RenderContext): RootContent[] => {
  const facts = view.facts;
  const rows = (facts.hosts ?? []).flatMap((host) =>
    (host.routers.length ? host.routers : [undefined]).map((router) => [
      host.host,
      code(host.url),
      router ? router.entryPoints.join(', ') : '—',
      router ? code(router.name) : '— (no router)',
      router?.tls ? (router.certResolver ? `yes (${router.certResolver})` : 'yes') : 'no',
      router ? `${router.service ?? '?'} → ${router.servicePort ?? '?'}` : '—',
      host.ok ? '✅' : '❌',
    ]),
  );
  // The key header as clients send it: a router gated on it answers 404 without (never the value).
  const key = curlKeyOption(facts.keyEnvVar ?? 'LITELLM_MASTER_KEY');
  const curls = (facts.hosts ?? [])
    .map((host) => `curl -sS -o /dev/null -w '%{http_code} %{time_total}s\\n' ${key} ${new URL('/health/liveliness', host.url)}`)
    .join('\n');
  return [
    { type: 'paragraph', children: statusLine(view, context) },
    table(['Host', 'URL', 'Entrypoint', 'Router', 'TLS', 'Service → port', 'OK'], rows),
    ...findingsList(facts.findings),
    ...reproduce('From', facts.file, curls, 'reproduce the routes with:'),
  ];
};
