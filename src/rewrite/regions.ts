/**
 * Finds generated regions in a Markdown document through its mdast:
 *
 *   <!-- proofbook:start ID [options] -->
 *   …generated…
 *   <!-- proofbook:end ID -->
 *
 * Markers are HTML nodes, so marker-like text inside code fences or inline code is ignored.
 * Positions are offsets into the original string (UTF-16 code units, like JS strings), so a
 * region's content can be spliced without re-serialising anything around it.
 */
import type { Html, Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { InputError } from '../formats/input-error.ts';
import { findFrontMatter } from '../markdown/front-matter.ts';
import { eachNode } from '../markdown/walk.ts';
import { nestingMessage, tooDeep } from '../markdown/nesting.ts';
import { restorePositions } from '../markdown/restore-positions.ts';

export interface Region {
  id: string;
  /** Words after the id in the start marker, e.g. `host=lan`. */
  options: Record<string, string>;
  /** Offset of the start marker. */
  markerStart: number;
  /** Offset just after the start marker. */
  contentStart: number;
  /** Offset of the end marker. */
  contentEnd: number;
  line: number;
  column: number;
}

/** A marker or document error: `file:line:col: message`; refresh-docs exits 2 on it (an InputError). */
export class RegionError extends InputError {
  constructor(file: string, line: number, column: number, message: string) {
    super(file, line, column, message);
    this.name = 'RegionError';
  }
}

const MARKER = /^<!--\s*proofbook:(start|end)\s+([A-Za-z0-9_.-]+)((?:\s+[^\s=]+=[^\s]+)*)\s*-->$/;

const parser = unified().use(remarkParse).use(remarkGfm);

export function parseMarkdown(text: string): Root {
  // Every parse of a runbook passes here: refuse what would overflow the parser's stack (the
  // preflight names the file; this is the net for every other path, e.g. init).
  const deep = tooDeep(text);
  if (deep) throw new InputError('(markdown)', deep.line, 1, nestingMessage(deep.depth));
  const masked = maskFrontMatter(text);
  return restorePositions(parser.parse(masked), masked);
}

/**
 * Blanks front matter (YAML or TOML, see ../markdown/front-matter.ts) while keeping every
 * offset: `---` would otherwise read as a thematic break or a setext heading underline. A
 * fence naming another language is left as Markdown here; planRewrite rejects it.
 */
export function maskFrontMatter(text: string): string {
  let block;
  try {
    block = findFrontMatter(text, '');
  } catch {
    return text;
  }
  if (!block) return text;
  return text.slice(0, block.start) + text.slice(block.start, block.end).replace(/[^\r\n]/g, ' ') + text.slice(block.end);
}

/** Regions of a whole document, with offsets into `text` (a leading BOM included). */
export function findRegions(text: string, file: string): Region[] {
  // micromark drops a leading BOM and counts offsets without it; add it back to splice the original.
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  return findRegionsInTree(parseMarkdown(text.slice(bom)), file).map((region) => ({
    ...region,
    markerStart: region.markerStart + bom,
    contentStart: region.contentStart + bom,
    contentEnd: region.contentEnd + bom,
  }));
}

/** Regions of a parsed tree, with the tree's own offsets. */
export function findRegionsInTree(tree: Root, file: string): Region[] {
  const markers: { kind: 'start' | 'end'; id: string; options: Record<string, string>; node: Html }[] = [];
  eachNode(tree, 'html', (node: Html) => {
    // One HTML node may hold a marker on each of several lines when nothing separates them.
    const match = MARKER.exec(node.value.trim());
    if (match) {
      const options = Object.fromEntries(
        match[3]!.trim().split(/\s+/).filter(Boolean).map((pair) => pair.split('=', 2) as [string, string]),
      );
      markers.push({ kind: match[1] as 'start' | 'end', id: match[2]!, options, node });
    } else if (/<!--\s*proofbook\s*:\s*(start|end)\b/i.test(node.value)) {
      const { line, column } = node.position!.start;
      throw new RegionError(
        file,
        line,
        column,
        'malformed proofbook marker; write `<!-- proofbook:start ID -->` and `<!-- proofbook:end ID -->` in lower case, each on a line of its own, with a blank line or text between them',
      );
    }
  });

  const regions: Region[] = [];
  const seen = new Map<string, number>();
  let open: (typeof markers)[number] | undefined;
  for (const marker of markers) {
    const { line, column, offset } = marker.node.position!.start;
    if (marker.kind === 'start') {
      if (open) {
        const openLine = open.node.position!.start.line;
        throw new RegionError(file, line, column, `region "${marker.id}" starts inside region "${open.id}" (opened at line ${openLine}); regions cannot nest — close "${open.id}" first`);
      }
      if (seen.has(marker.id)) {
        throw new RegionError(file, line, column, `duplicate region "${marker.id}" (first at line ${seen.get(marker.id)}); each region id may appear once per file`);
      }
      seen.set(marker.id, line);
      open = marker;
    } else {
      if (!open) throw new RegionError(file, line, column, `end marker for "${marker.id}" without a matching start marker`);
      if (open.id !== marker.id) {
        throw new RegionError(file, line, column, `end marker "${marker.id}" does not match the open region "${open.id}" (line ${open.node.position!.start.line})`);
      }
      regions.push({
        id: open.id,
        options: open.options,
        markerStart: open.node.position!.start.offset!,
        contentStart: open.node.position!.end.offset!,
        contentEnd: offset!,
        line: open.node.position!.start.line,
        column: open.node.position!.start.column,
      });
      open = undefined;
    }
  }
  if (open) {
    const { line, column } = open.node.position!.start;
    throw new RegionError(file, line, column, `region "${open.id}" is never closed; add \`<!-- proofbook:end ${open.id} -->\` after it`);
  }
  return regions;
}
