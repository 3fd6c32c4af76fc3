/**
 * Region id → renderer. A probe's region is named after the probe and drawn by the renderer on
 * its definition (src/probes/<id>/render.ts); regions drawn from several probes at once (the
 * client matrix, the upgrade preview) live here. A region whose probe has no evidence yet says
 * how to get some.
 */
import type { RootContent } from 'mdast';
import type { ProbeView } from '../evidence/history.ts';
import { statusLine, type RegionOptions, type RegionRenderer, type RenderContext } from '../probes/kit/render/status.ts';
import { PROBE_DEFINITIONS } from '../probes/registry.ts';
import type { UpgradePreviews } from '../upgrade/read-preview.ts';
import { renderClientMatrix } from './clients-matrix.ts';
import { renderUpgradePreview, UPGRADE_PREVIEW_REGION } from './upgrade-preview.ts';

export type { RegionOptions } from '../probes/kit/render/status.ts';

/**
 * What every renderer gets, plus what refresh read for the regions drawn from more than the
 * evidence index: the stored upgrade previews (read and checked before rendering, so renderers
 * read no file).
 */
export interface RegionContext extends RenderContext {
  previews?: UpgradePreviews;
}

/** Region id (= probe id) → the probe's renderer, for every probe that has one. */
const RENDERERS = new Map<string, RegionRenderer>(
  PROBE_DEFINITIONS.flatMap((definition): [string, RegionRenderer][] => (definition.render ? [[definition.id, definition.render]] : [])),
);

/** Regions drawn from several probes' evidence at once, not from one probe named like the region. */
const MULTI_PROBE_RENDERERS = new Map<string, (views: Map<string, ProbeView>, context: RegionContext, region: RegionOptions) => RootContent[]>([
  ['clients.matrix', renderClientMatrix],
  // The upgrade preview compares two labs' runs of every probe; it reads no view of this one's.
  [UPGRADE_PREVIEW_REGION, (_views, context, region) => renderUpgradePreview(context.previews, context, region)],
]);

export const REGION_IDS = [...RENDERERS.keys(), ...MULTI_PROBE_RENDERERS.keys()];

export function renderRegion(
  id: string,
  views: Map<string, ProbeView>,
  context: RegionContext,
  region: RegionOptions = { options: {} },
): RootContent[] | undefined {
  // Maps, not objects: a region id like `constructor` or `__proto__` finds nothing.
  const multi = MULTI_PROBE_RENDERERS.get(id);
  if (multi) return multi(views, context, region);
  const renderer = RENDERERS.get(id);
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
