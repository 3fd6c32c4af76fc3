/**
 * Rewrites one document in place: generated regions, bound plan items and `Last Updated`
 * dates. Every change is an edit of a byte range from the document's structure; the rest of
 * the file is never re-serialised, so line endings, a BOM, tabs, emoji, compact tables, raw
 * HTML and front matter stay exactly as they were.
 *
 * The structure of the result is returned too (offsets shifted past the edits), so the next
 * refresh of the same text needs no parse.
 */
import type { Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { sha256 } from '../evidence/history.ts';
import { hardenTree } from '../markdown/harden.ts';
import { applyEdits, type TextEdit } from './edits.ts';
import { itemEdits, type ItemReport, type PlanContext } from './plan-items.ts';
import { PLAN_SUMMARY, renderPlanSummary } from './plan-summary.ts';
import { RegionError, type Region } from './regions.ts';
import { analyzeDocument, positionOf, type DocStructure, type Range } from './structure.ts';

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
  /** The structure of `text` from an earlier analysis (a cache); parsed when absent. */
  structure?: DocStructure;
  /** Called with the tree when `text` is parsed (no structure given): `--check` reads citations from it. */
  onParsed?: (tree: Root, body: string) => void;
}

export interface DocumentRewrite {
  text: string;
  changed: boolean;
  regions: string[];
  items: ItemReport[];
  /** The structure of `text` (the result). */
  structure: DocStructure;
}

/** Short hash of generated content, recorded in the start marker to notice hand edits. */
export function contentHash(content: string): string {
  return sha256(content.replace(/\r\n/g, '\n').trim()).slice(0, 12);
}

/** An edit plus what its replacement becomes in the new structure. */
interface TrackedEdit extends TextEdit {
  onApplied?: (newRange: Range) => void;
  pad?: string;
}

export function rewriteDocument(text: string, file: string, render: RegionRenderer, options: RewriteOptions = {}): DocumentRewrite {
  const structure = options.structure ?? analyzeDocument(text, file, undefined, options.onParsed);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const next: DocStructure = structuredClone(structure);
  const edits: TrackedEdit[] = [];

  // Plan items first: the plan summary region is drawn from them.
  let items: ItemReport[] = [];
  const itemDates: string[] = [];
  if (options.plan) {
    const plan = itemEdits(text, structure.sites, { ...options.plan, file });
    items = plan.items;
    itemDates.push(...plan.dates);
    for (const edit of plan.edits) {
      const site = next.sites[edit.site]!;
      edits.push({
        ...edit,
        onApplied: (range) => {
          site[edit.range] = range;
          if (edit.range === 'status') site.pad = ''; // the status now exists; next time it is replaced
        },
      });
    }
  }

  structure.regions.forEach((region, index) => {
    const nodes = region.id === PLAN_SUMMARY ? renderPlanSummary(items, structure.headings) : render(region);
    const where = () => (region.line > 0 ? { line: region.line, column: region.column } : positionOf(text, region.markerStart));
    if (!nodes) {
      const { line, column } = where();
      throw new RegionError(file, line, column, `unknown region id "${region.id}"; use the id of a probe Proofbook knows`);
    }
    const current = text.slice(region.contentStart, region.contentEnd);
    if (region.options.hash && region.options.hash !== contentHash(current) && !options.force) {
      const { line, column } = where();
      throw new RegionError(
        file,
        line,
        column,
        `region "${region.id}" was edited by hand since Proofbook generated it; move hand-written text outside the markers, or run with --force to overwrite it`,
      );
    }
    const generated = regionMarkdown(nodes);
    const markdown = boundedRegion((options.sanitize ? options.sanitize(generated) : generated).trimEnd(), region.id);
    const content = regionContent(markdown, containerPrefix(text, region.markerStart, region.contentEnd), eol);
    const hash = contentHash(content);
    const marker = startMarker(region, hash);
    const target = next.regions[index]!;
    target.options = { ...region.options, hash };
    edits.push({ start: region.markerStart, end: region.contentStart, text: marker, reason: `region ${region.id} marker`, onApplied: ([a]) => (target.markerStart = a) });
    edits.push({
      start: region.contentStart,
      end: region.contentEnd,
      text: content,
      reason: `region ${region.id}`,
      onApplied: ([a, b]) => {
        target.contentStart = a;
        target.contentEnd = b;
      },
    });
  });

  const dates = [...itemDates, ...structure.regions.map((r) => options.regionDate?.(r)).filter((d): d is string => Boolean(d))];
  const latest = dates.sort().at(-1);
  // `Last Updated` is the author's unless what Proofbook renders in this document changed, and
  // then it only moves forward: a later hand-written date (another edit) is kept.
  const statusChanged = edits.some((edit) => text.slice(edit.start, edit.end) !== edit.text);
  if (latest && statusChanged) {
    structure.lastUpdated.forEach((entry, index) => {
      if (text.slice(entry.date[0], entry.date[1]) >= latest) return;
      edits.push({ start: entry.date[0], end: entry.date[1], text: latest, reason: 'Last Updated', onApplied: (range) => (next.lastUpdated[index]!.date = range) });
    });
  }

  const out = applyEdits(text, edits);
  if (out === text) return { text, changed: false, regions: structure.regions.map((r) => r.id), items, structure };
  remap(next, edits);
  return { text: out, changed: true, regions: structure.regions.map((r) => r.id), items, structure: next };
}

/**
 * Regions already serialised, by their nodes: every runbook in a folder shows the same evidence
 * with the same relative links, and serialising is most of a rewrite's cost. Bounded.
 */
const serialised = new Map<string, string>();
const MAX_SERIALISED = 1000;

function regionMarkdown(nodes: RootContent[]): string {
  const key = memoKey(nodes);
  const known = key === undefined ? undefined : serialised.get(key);
  if (known !== undefined) return known;
  // Rendered from evidence, i.e. from text Proofbook does not control: hardened before serialising.
  const markdown = toMarkdown(
    { type: 'root', children: hardenTree(nodes) },
    { extensions: [gfmToMarkdown({ tablePipeAlign: false })], bullet: '-', emphasis: '_' },
  );
  if (key === undefined) return markdown;
  if (serialised.size >= MAX_SERIALISED) serialised.clear();
  serialised.set(key, markdown);
  return markdown;
}

/** The nodes as a key; none for what JSON cannot hold (then the region is simply serialised). */
function memoKey(nodes: RootContent[]): string | undefined {
  try {
    return JSON.stringify(nodes);
  } catch {
    return undefined;
  }
}

/** Largest generated region: far above any real one, far below the 4 MiB a runbook may have. */
export const MAX_REGION_CHARS = 256 * 1024;

/**
 * A region's Markdown, or a note in its place when it is over MAX_REGION_CHARS: untrusted facts
 * (thousands of tools, long names) must not grow a runbook past what the next refresh accepts.
 */
function boundedRegion(markdown: string, id: string): string {
  if (markdown.length <= MAX_REGION_CHARS) return markdown;
  const kb = Math.round(markdown.length / 1024);
  return `_The ${id} region would be ${kb} KB of Markdown, over Proofbook's ${MAX_REGION_CHARS / 1024} KB limit for a generated region: see the probe's evidence under the evaluation folder._`;
}

/**
 * What starts every line of the region's container: `> ` in a block quote, the indentation in a
 * list item — the text before both markers on their lines, when it is the same and only spaces,
 * tabs and `>`. Empty for a region at the top level, for markers inside a line of text, and for
 * markers indented differently (nothing in the document says what the container is).
 */
function containerPrefix(text: string, startMarker: number, endMarker: number): string {
  const before = (offset: number) => text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset).replace(/^\uFEFF/, '');
  const prefix = before(endMarker);
  return /^[ \t>]+$/.test(prefix) && before(startMarker) === prefix ? prefix : '';
}

/** The generated Markdown as region content: every line inside the container, as the author wrote the markers. */
function regionContent(markdown: string, prefix: string, eol: string): string {
  if (!prefix) return `${eol}${markdown.replace(/\n/g, eol)}${eol}`;
  // An empty line keeps the quote's `>` (without its trailing space); in a list item it stays empty.
  const empty = prefix.replace(/[ \t]+$/, '');
  const lines = markdown.split('\n').map((line) => (line ? `${prefix}${line}` : empty));
  return `${eol}${lines.join(eol)}${eol}${prefix}`;
}

function startMarker(region: Region, hash: string): string {
  const options = Object.entries({ ...region.options, hash })
    .map(([key, value]) => ` ${key}=${value}`)
    .join('');
  return `<!-- proofbook:start ${region.id}${options} -->`;
}

/**
 * Shifts every offset of `next` (a copy of the old structure) past the edits; edited ranges
 * get their replacement's range from `onApplied`. Lines of regions are recomputed by callers
 * that need them (errors re-analyse).
 */
function remap(next: DocStructure, edits: TrackedEdit[]): void {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const shifts: { end: number; delta: number }[] = [];
  let delta = 0;
  const mapPoint = (offset: number) => {
    let d = 0;
    for (const shift of shifts) if (shift.end <= offset) d = shift.delta;
    return offset + d;
  };
  // First the plain shifts (every offset moves by the edits that end at or before it)…
  for (const edit of sorted) {
    delta += edit.text.length - (edit.end - edit.start);
    shifts.push({ end: edit.end, delta });
  }
  const mapRange = (range: Range): Range => [mapPoint(range[0]), mapPoint(range[1])];
  for (const region of next.regions) {
    region.markerStart = mapPoint(region.markerStart);
    region.contentStart = mapPoint(region.contentStart);
    region.contentEnd = mapPoint(region.contentEnd);
  }
  for (const site of next.sites) {
    site.at = mapPoint(site.at);
    if (site.markerAt !== undefined) site.markerAt = mapPoint(site.markerAt);
    site.status = mapRange(site.status);
    if (site.box) site.box = mapRange(site.box);
    if (site.mark) site.mark = mapRange(site.mark);
  }
  for (const entry of next.lastUpdated) entry.date = mapRange(entry.date);
  for (const heading of next.headings) heading.at = mapPoint(heading.at);
  // …then each edited range becomes exactly its replacement (minus any padding before it).
  let before = 0;
  for (const edit of sorted) {
    const newStart = edit.start + before;
    const pad = edit.pad?.length ?? 0;
    edit.onApplied?.([newStart + pad, newStart + edit.text.length]);
    before += edit.text.length - (edit.end - edit.start);
  }
  // Regions' line numbers are only used in error messages; refresh them from the new text lazily.
  for (const region of next.regions) region.line = -1;
}
