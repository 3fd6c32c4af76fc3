/** Renders a probe outcome through a region renderer, as refresh-docs would, for assertions. */
import type { RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { ProbeView } from '../../src/evidence/history.ts';
import type { ProbeOutcome } from '../../src/probes/types.ts';
import type { RenderContext } from '../../src/probes/kit/render/status.ts';

/** The region as Markdown (runs of spaces collapsed, so table padding does not matter). */
export function regionMarkdown(outcome: ProbeOutcome, id: string, render: (view: ProbeView, context: RenderContext) => RootContent[]): string {
  const view: ProbeView = {
    id,
    status: outcome.status,
    summary: outcome.summary,
    facts: outcome.facts as Record<string, unknown>,
    since: '2026-01-01T00:00:00.000Z',
    evidence: `${id}/2026-01-01T00-00-00-000Z.json`,
    lastRun: '2026-01-01T00:00:00.000Z',
  };
  const nodes = render(view, { docFile: '/workspace/content/litellm/doc.md', evaluationDir: '/workspace/evaluation' });
  return toMarkdown({ type: 'root', children: nodes }, { extensions: [gfmToMarkdown()] }).replace(/ +/g, ' ');
}
