/**
 * The site's one hast plugin over runbook elements: evidence blocks (./evidence/embed.ts), then
 * link rewriting (./runbook-links.ts), in a single visit of each `a` and `code` element (and of
 * the containers the evidence step places blocks by) instead of a pass each. The evidence step
 * must see an `a` first: it finds evidence by the relative hrefs that the link step rewrites.
 */
import type { AstroIntegration } from 'astro';
import type { Element } from 'hast';
import { EVIDENCE_ELEMENTS, evidencePlugin, type EmbedOptions } from './evidence/embed.ts';
import { runbookLinksPlugin, type LinkTargets } from './runbook-links.ts';
import { markdownPluginIntegration } from './markdown-plugin.ts';

type Visit = (node: Element, ctx: never) => unknown;
type ElementPlugin = { name: string; element: { filter: string[]; visit: Visit } };

export function runbookElementsPlugin(evidence: EmbedOptions, links: LinkTargets) {
  const embed = evidencePlugin(evidence);
  const rewrite = runbookLinksPlugin(links);
  return (file: { fileURL: URL | undefined }) => {
    const blocks = embed(file) as ElementPlugin | undefined;
    const hrefs = rewrite(file) as ElementPlugin | undefined;
    if (!blocks || !hrefs) return blocks ?? hrefs;
    return {
      name: 'proofbook-runbook-elements',
      element: {
        filter: [...EVIDENCE_ELEMENTS],
        async visit(node: Element, ctx: never) {
          await blocks.element.visit(node, ctx);
          if (node.tagName === 'a') hrefs.element.visit(node, ctx);
        },
      },
    };
  };
}

/** Astro integration that adds the plugin to the configured Markdown processor. */
export function runbookElements(options: Omit<EmbedOptions, 'base'>): AstroIntegration {
  return markdownPluginIntegration({
    name: 'proofbook-runbook-elements',
    stage: 'hastPlugins',
    plugin: (config) => runbookElementsPlugin({ ...options, base: config.base }, { ...options, base: config.base }),
    withoutIt: 'evidence is linked, not embedded, and links between runbooks point at .md files',
  });
}
