/** Region id → renderer. A region whose probe has no evidence yet says how to get some. */
import type { RootContent } from 'mdast';
import type { ProbeView } from '../evidence/history.ts';
import { renderCatalog } from './mcp-catalog.ts';
import type { RenderContext } from './status.ts';

type Renderer = (view: ProbeView, context: RenderContext) => RootContent[];

const RENDERERS: Record<string, Renderer> = {
  'mcp.catalog': renderCatalog,
};

export const REGION_IDS = Object.keys(RENDERERS);

export function renderRegion(
  id: string,
  views: Map<string, ProbeView>,
  context: RenderContext,
): RootContent[] | undefined {
  const renderer = RENDERERS[id];
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
  return renderer(view, context);
}
