/**
 * The published runbooks as the dashboard reads them: the Markdown body, its mdast, and its
 * headings with the anchors the site really gave them (from the rendered page), so a link to
 * "the heading before a region" lands on that heading.
 */
import type { Region } from '../../rewrite/regions.ts';
import { bodyDigest } from '../digests.ts';
import type { DigestItem } from '../runbook-digest.ts';
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
  outline: OutlineHeading[];
  /** List items with their status marks, in order (offsets as the outline's). */
  items: DigestItem[];
  /** Generated regions; undefined when a marker is malformed (refresh-docs reports that). */
  regions: Region[] | undefined;
}

export function outlinePage(page: RunbookPage): OutlinedPage {
  const digest = bodyDigest(page.file, page.body);
  const found = digest.headings;
  // Same headings in the same order as the rendered page: take its anchors. Otherwise (raw
  // HTML headings, say) fall back to github-slugger's rules, which is what the site uses.
  const aligned = found.length === page.headings.length && found.every((heading, i) => heading.depth === page.headings[i]!.depth);
  const seen = new Map<string, number>();
  const outline = found.map((heading, i): OutlineHeading => {
    const base = slugify(heading.text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const slug = aligned ? page.headings[i]!.slug : count ? `${base}-${count}` : base;
    return { depth: heading.depth, text: heading.text, slug, offset: heading.offset };
  });
  return { ...page, outline, items: digest.items, regions: digest.regions };
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

/** The page's generated regions; undefined when a marker is malformed. */
export function pageRegions(page: OutlinedPage): Region[] | undefined {
  return page.regions;
}
