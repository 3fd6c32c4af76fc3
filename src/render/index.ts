/** Region id → renderer. A region whose probe has no evidence yet says how to get some. */
import type { RootContent } from 'mdast';
import type { ProbeView } from '../evidence/history.ts';
import { renderAuth } from './auth.ts';
import { renderGatewayConfig } from './gateway-config.ts';
import { renderHealth } from './health.ts';
import { renderInvoke } from './invoke.ts';
import { renderCatalog } from './mcp-catalog.ts';
import { renderClientMatrix } from './clients-matrix.ts';
import { renderRoutes } from './routes.ts';
import { renderRouting } from './routing.ts';
import { renderSecretsSources } from './secrets-sources.ts';
import { statusLine, type RenderContext } from '../probes/kit/render/status.ts';

/** What a renderer reads of its region: the options on its start marker. */
export interface RegionOptions {
  options: Record<string, string>;
}

type Renderer = (view: ProbeView, context: RenderContext, region: RegionOptions) => RootContent[];

/** Region id → renderer; a region is named after the probe whose evidence it shows. */
const RENDERERS: Record<string, Renderer> = {
  'mcp.catalog': renderCatalog,
  'traefik.labels': renderRouting,
  'gateway.config': renderGatewayConfig,
  'secrets.audit': renderSecretsSources,
  'traefik.routes': renderRoutes,
  'gateway.health': renderHealth,
  'gateway.auth': renderAuth,
  'mcp.invoke': renderInvoke,
};

/** Regions drawn from several probes' evidence at once, not from one probe named like the region. */
const MULTI_PROBE_RENDERERS: Record<string, (views: Map<string, ProbeView>, context: RenderContext) => RootContent[]> = {
  'clients.matrix': renderClientMatrix,
};

export const REGION_IDS = [...Object.keys(RENDERERS), ...Object.keys(MULTI_PROBE_RENDERERS)];

export function renderRegion(
  id: string,
  views: Map<string, ProbeView>,
  context: RenderContext,
  region: RegionOptions = { options: {} },
): RootContent[] | undefined {
  // Own keys only: a region id like `constructor` or `__proto__` must not reach Object.prototype.
  const multi = Object.hasOwn(MULTI_PROBE_RENDERERS, id) ? MULTI_PROBE_RENDERERS[id] : undefined;
  if (multi) return multi(views, context);
  const renderer = Object.hasOwn(RENDERERS, id) ? RENDERERS[id] : undefined;
  if (!renderer) return undefined;
  const view = views.get(id);
  if (!view) {
    const children = [
      { type: 'text' as const, value: `No evidence for ${id} yet: run ` },
      { type: 'inlineCode' as const, value: 'npm run refresh-docs' },
      { type: 'text' as const, value: '.' },
    ];
    return [{ type: 'paragraph', children: [{ type: 'emphasis', children }] }];
  }
  // An errored probe has no facts to draw: its status line says what went wrong.
  if (view.status === 'error') return [{ type: 'paragraph', children: statusLine(view, context) }];
  return renderer(view, context, region);
}
