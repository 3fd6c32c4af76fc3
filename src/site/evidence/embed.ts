/**
 * Embeds evidence where runbooks refer to it: after the paragraph (or list item, or table)
 * holding a link into the evaluation folder or an inline-code path of one of its files,
 * an evidence block (./block.ts). Inline-code paths also become links to the file.
 *
 * A hast plugin of Astro's Markdown processor (Sätteri), like ../runbook-links.ts; it must
 * run before that one, which rewrites the relative hrefs it recognises files by. During
 * `astro build` it inserts a placeholder for each block and a worker thread builds the blocks
 * (./deferred.ts); otherwise it builds them itself (./build-block.ts).
 */
import { fileURLToPath } from 'node:url';
import type { Element, ElementContent, Parents } from 'hast';
import { h } from '../hast.ts';
import type { EvidenceLimits } from '../settings.ts';
import { runbookId } from '../slugs.ts';
import { Ancestry } from './ancestry.ts';
import { evidenceUrl, pageBlock } from './build-block.ts';
import { deferBlock, deferringBlocks } from './deferred.ts';
import type { RunMeta } from './meta.ts';
import { evidenceFromCode, evidenceFromHref } from './refs.ts';

export interface EmbedOptions {
  runbookDirs: readonly string[];
  evidenceDir: string;
  limits: EvidenceLimits;
  /** Astro's `base`. */
  base: string;
  /**
   * How a reference's enclosing elements are found: from the source positions of the elements
   * visited (./ancestry.ts, the default), or by walking the tree up from it, which the tests keep
   * as the reference; an element without a position is always placed by the walk.
   */
  ancestors?: 'positions' | 'tree';
}


interface Ctx {
  parent(node: unknown): Parents | undefined;
  insertAfter(node: unknown, content: ElementContent): void;
  appendChild(node: unknown, content: ElementContent): void;
  replaceNode(node: unknown, content: Element): void;
  /** The text of a node's descendants, read without materialising them (satteri). */
  textContent?(node: unknown): string;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** What a block is placed after (or, for `li`, at the end of). */
const CONTAINERS = new Set(['p', 'li', 'table', ...HEADINGS]);
/** Inline code in these is not a reference of its own. */
const NOT_INLINE_CODE = new Set(['pre', 'a']);

/** The elements the plugin visits: the references, and the ancestors it places blocks by. */
export const EVIDENCE_ELEMENTS: readonly string[] = [...new Set(['a', 'code', ...CONTAINERS, ...NOT_INLINE_CODE])];

export function evidencePlugin(options: EmbedOptions) {
  return ({ fileURL }: { fileURL: URL | undefined }) => {
    const fromFile = fileURL && fileURLToPath(fileURL);
    if (!fromFile || !runbookId(options.runbookDirs, fromFile)) return undefined;
    // Per page: which files already have a block (the first one shows the facts and inlines the
    // content; later ones reuse its run and point back), and which container already got a block
    // for a file (two links in one line, one block).
    const firstBlock = new Map<string, string>();
    // Each file's run, from its first block on the page (./build-block.ts).
    const runs = new Map<string, Promise<RunMeta>>();
    // Decided once per page: a build defers every block of it (./deferred.ts).
    const deferring = deferringBlocks();
    const source = { evidenceDir: options.evidenceDir, limits: options.limits, base: options.base };
    const placed = new Map<unknown, Set<string>>();
    // The file each href names, checked once a page: a runbook cites the same file many times.
    const byHref = new Map<string, string | undefined>();
    let blocks = 0;
    let insertions: Promise<unknown> = Promise.resolve();
    const ancestry = options.ancestors === 'tree' ? undefined : new Ancestry([...CONTAINERS, ...NOT_INLINE_CODE]);

    return {
      name: 'proofbook-evidence-blocks',
      element: {
        filter: [...EVIDENCE_ELEMENTS],
        async visit(node: Element, ctx: Ctx) {
          const known = ancestry?.visit(node) ? ancestry : undefined;
          if (node.tagName !== 'a' && node.tagName !== 'code') return;
          const relative = referencedFile(node, fromFile, options, ctx, byHref, known);
          if (!relative) return;
          const { target, place } = (known && placementByPosition(known)) || placement(node, ctx);
          const here = placed.get(target) ?? new Set<string>();
          placed.set(target, here);
          if (here.has(relative)) return linkCode(node, relative, options, ctx);
          here.add(relative);
          // Decided before any await, so "first on the page" follows document order.
          const id = `evidence-${++blocks}`;
          const shown = firstBlock.get(relative);
          if (!shown) firstBlock.set(relative, id);
          const request = { relative, id, ...(shown ? { shownAt: shown } : {}) };
          const block: Promise<ElementContent> = deferring
            ? Promise.resolve({ type: 'raw', value: deferBlock(request, source, fromFile) })
            : pageBlock(request, source, runs);
          // Inserted in document order, whichever file is read first: blocks after the same
          // container (a table citing two files) come out in the same order on every build.
          const inserted = insertions.then(async () => {
            const element = await block;
            linkCode(node, relative, options, ctx);
            if (place === 'append') ctx.appendChild(target, element);
            else ctx.insertAfter(target, element);
          });
          insertions = inserted.catch(() => undefined);
          await inserted;
        },
      },
    };
  };
}

function referencedFile(
  node: Element,
  fromFile: string,
  options: EmbedOptions,
  ctx: Ctx,
  byHref: Map<string, string | undefined>,
  known: Ancestry | undefined,
): string | undefined {
  if (node.tagName === 'a') {
    const href = node.properties?.href;
    if (typeof href !== 'string') return undefined;
    if (!byHref.has(href)) byHref.set(href, evidenceFromHref(href, fromFile, options.evidenceDir));
    return byHref.get(href);
  }
  // Inline code holds text nodes only; reading them in place spares materialising every code's children.
  const text = ctx.textContent ? ctx.textContent(node) : node.children.map((child) => (child.type === 'text' ? child.value : '')).join('');
  // The path first: most code names no evidence, and walking up the tree costs more.
  const found = evidenceFromCode(text, options.evidenceDir);
  if (!found) return undefined;
  // Inline code only: not a code block, and not code that is already a link's text.
  if (known) return known.nearest(NOT_INLINE_CODE) ? undefined : found; // `code` itself is never open
  for (let parent = ctx.parent(node); parent; parent = ctx.parent(parent)) {
    if (parent.type === 'element' && (parent.tagName === 'pre' || parent.tagName === 'a')) return undefined;
  }
  return found;
}

/** Where the block goes: after the paragraph or heading, at the end of a tight list item, after a table. */
function placement(node: Element, ctx: Ctx): { target: unknown; place: 'after' | 'append' } {
  let child: unknown = node;
  for (let parent = ctx.parent(node); parent; child = parent, parent = ctx.parent(parent)) {
    if (parent.type !== 'element') break;
    if (parent.tagName === 'p' || HEADINGS.has(parent.tagName)) return { target: parent, place: 'after' };
    if (parent.tagName === 'li') return { target: parent, place: 'append' };
    if (parent.tagName === 'table') return { target: parent, place: 'after' };
  }
  return { target: child, place: 'after' };
}

/** placement, from the ancestors' positions; undefined when none of them is a container (then the tree says). */
function placementByPosition(known: Ancestry): { target: unknown; place: 'after' | 'append' } | undefined {
  const target = known.nearest(CONTAINERS); // an `a` is open too, but no container
  return target && { target, place: target.tagName === 'li' ? 'append' : 'after' };
}

/** Inline code naming an evidence file becomes a link to it, like the Markdown links. */
function linkCode(node: Element, relative: string, options: EmbedOptions, ctx: Ctx): void {
  if (node.tagName !== 'code') return;
  ctx.replaceNode(node, h('a', { href: evidenceUrl(relative, options.base) }, { ...node }));
}
