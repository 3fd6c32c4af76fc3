/**
 * The published runbooks as the dashboard reads them: the Markdown body, its mdast, and its
 * headings with the anchors the site really gave them (from the rendered page), so a link to
 * "the heading before a region" lands on that heading.
 */
import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { findRegionsInTree, type Region } from '../../rewrite/regions.ts';
import { parsedRunbook } from '../parsed.ts';
import { slugify } from '../slugs.ts';

export interface RenderedHeading {
  depth: number;
  slug: string;
  text: string;
}

/** One published runbook: what the content collection holds for it. */
export interface RunbookPage {
  /** Page id, which is also its URL path. */
  id: string;
  title: string;
  /** Absolute runbook file. */
  file: string;
  /** Markdown as rendered (front matter and title heading removed). */
  body: string;
  /** Headings of the rendered page, in order. */
  headings: RenderedHeading[];
}

export interface OutlineHeading extends RenderedHeading {
  /** Offset of the heading in the body. */
  offset: number;
}

export interface OutlinedPage extends RunbookPage {
  tree: Root;
  outline: OutlineHeading[];
}

export function outlinePage(page: RunbookPage): OutlinedPage {
  const tree = parsedRunbook(page.file, page.body);
  const found: Heading[] = [];
  visit(tree, 'heading', (node: Heading) => {
    found.push(node);
  });
  // Same headings in the same order as the rendered page: take its anchors. Otherwise (raw
  // HTML headings, say) fall back to github-slugger's rules, which is what the site uses.
  const aligned = found.length === page.headings.length && found.every((node, i) => node.depth === page.headings[i]!.depth);
  const seen = new Map<string, number>();
  const outline = found.map((node, i): OutlineHeading => {
    const text = toString(node);
    const base = slugify(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const slug = aligned ? page.headings[i]!.slug : count ? `${base}-${count}` : base;
    return { depth: node.depth, text, slug, offset: node.position!.start.offset! };
  });
  return { ...page, tree, outline };
}

/** The last heading that starts before `offset` (at most `maxDepth` deep). */
export function headingBefore(page: OutlinedPage, offset: number, maxDepth = 6): OutlineHeading | undefined {
  return page.outline.filter((h) => h.offset < offset && h.depth <= maxDepth).at(-1);
}

/** Site URL of a page (and heading). `base` ends with "/". */
export function pageHref(base: string, page: Pick<RunbookPage, 'id'>, heading?: Pick<RenderedHeading, 'slug'>): string {
  const path = page.id === 'index' ? base : `${base}${page.id}/`;
  return heading ? `${path}#${heading.slug}` : path;
}

const regionsByTree = new WeakMap<Root, Region[] | undefined>();

/**
 * The page's regions from its one parse (offsets as `findRegions(page.body, page.file)` gives
 * them); undefined when a marker is malformed, which is refresh-docs' error to report.
 */
export function pageRegions(page: OutlinedPage): Region[] | undefined {
  if (regionsByTree.has(page.tree)) return regionsByTree.get(page.tree);
  let regions: Region[] | undefined;
  try {
    // micromark drops a leading BOM and counts offsets without it; findRegions adds it back.
    const bom = page.body.startsWith('\uFEFF') ? 1 : 0;
    regions = findRegionsInTree(page.tree, page.file).map((region) => ({
      ...region,
      markerStart: region.markerStart + bom,
      contentStart: region.contentStart + bom,
      contentEnd: region.contentEnd + bom,
    }));
  } catch {
    regions = undefined;
  }
  regionsByTree.set(page.tree, regions);
  return regions;
}
