/**
 * Rewrites one document in place: generated regions, bound plan items and `Last Updated`
 * dates. Every change is an edit of a byte range found through the mdast; the rest of the
 * file is never re-serialised, so line endings, a BOM, tabs, emoji, compact tables, raw HTML
 * and front matter stay exactly as they were.
 */
import type { Paragraph, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { visit } from 'unist-util-visit';
import { sha256 } from '../evidence/history.ts';
import { applyEdits, type TextEdit } from './edits.ts';
import { planEdits, type PlanContext, type PlanResult } from './plan-items.ts';
import { findRegionsInTree, parseMarkdown, RegionError, type Region } from './regions.ts';

/** Renders a region's content; `undefined` means "no renderer for this id". */
export type RegionRenderer = (region: Region) => RootContent[] | undefined;

export interface RewriteOptions {
  /** Applied to each region's generated Markdown before it is spliced in (e.g. redaction). */
  sanitize?: (markdown: string) => string;
  /** Plan items, decisions and status fields; without it only regions are rewritten. */
  plan?: Omit<PlanContext, 'file'>;
  /** Overwrite regions that were edited by hand since they were generated. */
  force?: boolean;
  /** The date (YYYY-MM-DD) a region's status began, for the doc's `Last Updated`. */
  regionDate?: (region: Region) => string | undefined;
}

export interface DocumentRewrite {
  text: string;
  changed: boolean;
  regions: string[];
  items: PlanResult['items'];
}

/** Short hash of generated content, recorded in the start marker to notice hand edits. */
export function contentHash(content: string): string {
  return sha256(content.replace(/\r\n/g, '\n').trim()).slice(0, 12);
}

export function rewriteDocument(text: string, file: string, render: RegionRenderer, options: RewriteOptions = {}): DocumentRewrite {
  // micromark drops a leading BOM and counts offsets without it: work on the body, put it back.
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  const tree = parseMarkdown(body);
  const regions = findRegionsInTree(tree, file);
  const eol = /\r\n/.test(body) ? '\r\n' : '\n';
  const edits: TextEdit[] = [];

  for (const region of regions) {
    const nodes = render(region);
    if (!nodes) {
      throw new RegionError(file, region.line, region.column, `unknown region id "${region.id}"; use the id of a probe Proofbook knows`);
    }
    const current = body.slice(region.contentStart, region.contentEnd);
    if (region.options.hash && region.options.hash !== contentHash(current) && !options.force) {
      throw new RegionError(
        file,
        region.line,
        region.column,
        `region "${region.id}" was edited by hand since Proofbook generated it; move hand-written text outside the markers, or run with --force to overwrite it`,
      );
    }
    const generated = toMarkdown(
      { type: 'root', children: nodes },
      { extensions: [gfmToMarkdown({ tablePipeAlign: false })], bullet: '-', emphasis: '_' },
    );
    const markdown = (options.sanitize ? options.sanitize(generated) : generated).trimEnd().replace(/\n/g, eol);
    const content = `${eol}${markdown}${eol}`;
    const marker = startMarker(region, contentHash(content));
    edits.push({ start: region.markerStart, end: region.contentStart, text: marker, reason: `region ${region.id} marker` });
    edits.push({ start: region.contentStart, end: region.contentEnd, text: content, reason: `region ${region.id}` });
  }

  let items: PlanResult['items'] = [];
  const dates = regions.map((r) => options.regionDate?.(r)).filter((d): d is string => Boolean(d));
  const skip = regions.map((r): [number, number] => [r.markerStart, r.contentEnd]);
  if (options.plan) {
    const plan = planEdits(body, tree, skip, { ...options.plan, file });
    edits.push(...plan.edits);
    items = plan.items;
    dates.push(...plan.dates);
  }
  const latest = dates.sort().at(-1);
  if (latest) edits.push(...lastUpdatedEdits(body, tree, skip, latest));

  const out = bom + applyEdits(body, edits);
  return { text: out, changed: out !== text, regions: regions.map((r) => r.id), items };
}

function startMarker(region: Region, hash: string): string {
  const options = Object.entries({ ...region.options, hash })
    .map(([key, value]) => ` ${key}=${value}`)
    .join('');
  return `<!-- proofbook:start ${region.id}${options} -->`;
}

/** `**Last Updated**: 2025-09-18` and `*Last Updated: 2025-09-18*` get the doc's latest status date. */
function lastUpdatedEdits(body: string, tree: ReturnType<typeof parseMarkdown>, skip: [number, number][], date: string): TextEdit[] {
  const edits: TextEdit[] = [];
  visit(tree, 'paragraph', (paragraph: Paragraph) => {
    const from = paragraph.position!.start.offset!;
    const to = paragraph.position!.end.offset!;
    if (skip.some(([a, b]) => from >= a && to <= b)) return;
    const source = body.slice(from, to);
    const match = /(Last Updated(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)(\d{4}-\d{2}-\d{2})/i.exec(source);
    if (!match || match[2] === date) return;
    const at = from + match.index + match[1]!.length;
    edits.push({ start: at, end: at + 10, text: date, reason: 'Last Updated' });
  });
  return edits;
}
