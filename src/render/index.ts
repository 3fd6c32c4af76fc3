/** Region id → renderer. A region whose probe has no evidence yet says how to get some. */
import type { RootContent } from 'mdast';
import type { CatalogFacts } from '../probes/mcp-catalog.ts';
import type { ProbeResult } from '../probes/types.ts';
import { renderCatalog } from './mcp-catalog.ts';
import type { RenderContext } from './status.ts';

type Renderer = (result: ProbeResult<never>, context: RenderContext) => RootContent[];

const RENDERERS: Record<string, Renderer> = {
  'mcp.catalog': (result, context) => renderCatalog(result as ProbeResult<CatalogFacts>, context),
};

export const REGION_IDS = Object.keys(RENDERERS);

export function renderRegion(
  id: string,
  results: Map<string, ProbeResult>,
  context: RenderContext,
): RootContent[] | undefined {
  const renderer = RENDERERS[id];
  if (!renderer) return undefined;
  const result = results.get(id);
  if (!result) {
    const children = [
      { type: 'text' as const, value: `No evidence for ${id} yet: run ` },
      { type: 'inlineCode' as const, value: 'npm run refresh-docs' },
      { type: 'text' as const, value: '.' },
    ];
    return [{ type: 'paragraph', children: [{ type: 'emphasis', children }] }];
  }
  return renderer(result as ProbeResult<never>, context);
}
