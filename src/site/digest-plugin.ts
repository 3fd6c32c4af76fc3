/**
 * Digests each runbook from the tree Astro's Markdown processor (satteri) parses to render it,
 * so the site needs no Markdown parse of its own: on a large site a second, JavaScript remark
 * parse of every runbook cost more than rendering it.
 *
 * An mdast plugin that collects links, headings, list items and HTML (region markers) with their
 * positions and records the digest under the file; the loader picks it up after `renderMarkdown`.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Definition, Heading, Html, Image, Link, ListItem, Root } from 'mdast';
import { digestHeading, digestItem, digestItemText, digestLink, regionsOf, type DigestHeading, type DigestItem, type DigestLink, type RunbookDigest } from './runbook-digest.ts';
import { runbookId } from './slugs.ts';
import { markdownPluginIntegration } from './markdown-plugin.ts';

const STORE_KEY = Symbol.for('proofbook.site.renderedDigests');
const rendered = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new Map()) as Map<string, RunbookDigest>;

/** The digest recorded when `file` was last rendered, taken out of the store. */
export function takeRenderedDigest(file: string): RunbookDigest | undefined {
  const digest = rendered.get(file);
  rendered.delete(file);
  return digest;
}

/**
 * The satteri mdast plugin, as a factory: it only runs on files inside the runbook folders. It
 * subscribes to the node types a digest needs, so the native parser hands over only those.
 */
export function digestPlugin(runbookDirs: readonly string[]) {
  return ({ fileURL, source }: { fileURL: URL | undefined; source: string }) => {
    const file = fileURL && fileURLToPath(fileURL);
    if (!file || !runbookId(runbookDirs, file)) return undefined;
    const links: DigestLink[] = [];
    const headings: DigestHeading[] = [];
    const items: DigestItem[] = [];
    const html: Html[] = [];
    type Context = {
      parent(node: unknown): { position?: Html['position'] } | undefined;
      /** Text of a node's descendants, read natively without materialising them (satteri). */
      textContent?(node: unknown, options: { includeImageAlt: boolean; includeHtml: boolean }): string;
    };
    const onLink = (node: Readonly<Link | Definition | Image>, ctx: Context) => void links.push(digestLink(node as Link | Definition | Image, ctx.parent(node)));
    return {
      name: 'proofbook-digest',
      options: { position: true },
      link: onLink,
      definition: onLink,
      image: onLink,
      // A node without a source position was made by a plugin (Starlight's asides add their icon as
      // HTML): not the runbook's own heading, plan item or region marker.
      heading: (node: Readonly<Heading>) => void (fromSource(node) && headings.push(digestHeading(node as Heading))),
      listItem: (node: Readonly<ListItem>, ctx: Context) => void (fromSource(node) && items.push(quickItem(node as ListItem, ctx) ?? digestItem(node as ListItem))),
      html: (node: Readonly<Html>) => void (fromSource(node) && html.push(node as Html)),
      after() {
        const byOffset = (a: { offset: number }, b: { offset: number }) => a.offset - b.offset;
        const markers: Root = { type: 'root', children: [...html].sort((a, b) => a.position!.start.offset! - b.position!.start.offset!) };
        rendered.set(file, {
          links: links.sort((a, b) => a.line - b.line || a.column - b.column),
          headings: headings.sort(byOffset),
          items: items.sort(byOffset),
          regions: regionsOf(markers, file, source),
        });
      },
    };
  };
}

const fromSource = (node: { position?: { start: { offset?: number } } }) => node.position?.start.offset !== undefined;

/**
 * digestItem without materialising the item's inline nodes for JavaScript, where that can say
 * the same: its text read natively (satteri's textContent); undefined without it, or when the
 * text holds a status emoji (digestItemText).
 */
function quickItem(item: ListItem, ctx: { textContent?(node: unknown, options: { includeImageAlt: boolean; includeHtml: boolean }): string }): DigestItem | undefined {
  if (!ctx.textContent) return undefined;
  const first = item.children[0];
  return digestItemText(item, first ? ctx.textContent(first, { includeImageAlt: true, includeHtml: false }) : '');
}

/** Astro integration that adds the plugin to the configured Markdown processor. */
export function runbookDigests({ runbookDirs }: { runbookDirs: readonly string[] }): AstroIntegration {
  return markdownPluginIntegration({
    name: 'proofbook-runbook-digests',
    stage: 'mdastPlugins',
    plugin: () => digestPlugin(runbookDirs),
    // The loader then parses each runbook itself: same digests, slower builds.
    withoutIt: 'runbooks are parsed a second time for the dashboard',
  });
}
