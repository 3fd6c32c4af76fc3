/**
 * The structure of a document, as far as rewriting is concerned: its generated regions, the
 * places where a plan item's status is written ("sites"), and its `Last Updated` dates — all
 * as plain offsets into the text, so the structure can be cached and a document whose text
 * is known can be rewritten without parsing it again.
 *
 * After a rewrite the structure of the new text is derived by shifting offsets (see
 * `mapStructure`), so a steady-state refresh never parses a document it wrote itself.
 */
import type { Heading as HeadingNode, Html, ListItem, Nodes, Paragraph, Root, Table, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { collectNodes, eachNode } from '../markdown/walk.ts';
import { parseFast, type ParseMarkdown } from './markdown-engine.ts';
import { findRegionsInTree, type Region } from './regions.ts';
import { isOurEmojiPhrase, isOurNote, STATUS_EMOJI_PATTERN } from './status-phrases.ts';

export type Range = [start: number, end: number];

export interface Site {
  /**
   * `lead`: an item that starts with its status mark (`- ✅ Read/write to the database only`):
   * the mark (and a status word such as DONE after it) is `mark`; the rest is the item's text,
   * and Proofbook's note is appended like a checkbox's.
   */
  kind: 'field' | 'checkbox' | 'emoji' | 'cell' | 'lead';
  /**
   * The item's own text as written, up to its status (or the row's first cell), for config
   * bindings by `match`. It never includes the status, so a rewrite leaves it as it was.
   */
  text: string;
  /** Probe ids from inline `<!-- proof: … -->` markers, and where the first marker is. */
  markerProbes?: string[];
  markerAt?: number;
  /** Where the item starts (for line numbers in reports and errors). */
  at: number;
  /** The status text's range; an empty range is an insertion point. */
  status: Range;
  /** Text to put before the status when inserting at an empty range (e.g. a space). */
  pad: string;
  /** checkbox: the `x` / ` ` inside `[ ]`. */
  box?: Range;
  /** lead: the leading status mark and its status word, e.g. `✅ DONE`. */
  mark?: Range;
}

export interface LastUpdated {
  /** The date's range (10 characters, YYYY-MM-DD). */
  date: Range;
}

export interface Heading {
  depth: number;
  text: string;
  at: number;
}

export interface DocStructure {
  /** 1 when the text starts with a BOM: offsets below include it. */
  bom: number;
  regions: Region[];
  sites: Site[];
  lastUpdated: LastUpdated[];
  /** Headings outside regions, for the plan summary's phases. */
  headings: Heading[];
}

export const PROOF_MARKER = /^<!--\s*proof:\s*([^>]*?)\s*-->$/;
/** `**Last Updated**: 2025-09-18` or `*Last Updated: 2025-09-18*`: group 2 is the date. */
const LAST_UPDATED = /(Last Updated(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)(\d{4}-\d{2}-\d{2})/i;

/**
 * `parse` is the fast engine when it loads (see markdown-engine.ts); tests pass remark's
 * parseMarkdown, the reference, to prove both give the same structure. `onParsed` sees the tree
 * (of the text without its BOM), so a caller can read more from the same parse.
 */
export function analyzeDocument(
  text: string,
  file: string,
  parse: ParseMarkdown = parseFast,
  onParsed?: (tree: Root, body: string) => void,
): DocStructure {
  // micromark drops a leading BOM and counts offsets without it: offsets are shifted back.
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(bom);
  const tree = parse(body);
  onParsed?.(tree, body);
  const regions = findRegionsInTree(tree, file);
  const skip = regions.map((r): Range => [r.markerStart, r.contentEnd]);
  const start = (node: Nodes) => node.position!.start.offset!;
  const end = (node: Nodes) => node.position!.end.offset!;
  const skipped = (node: Nodes) => skip.some(([a, b]) => start(node) >= a && end(node) <= b);
  const sites: Site[] = [];
  // One walk for the passes below; each pass still sees its nodes in document order.
  const nodes = collectNodes(tree, ['listItem', 'table', 'paragraph', 'heading'] as const);

  const markersIn = (container: Nodes) => {
    const markers: Html[] = [];
    eachNode(container, 'html', (node: Html) => {
      if (PROOF_MARKER.test(node.value.trim())) markers.push(node);
    });
    if (!markers.length) return {};
    return {
      markerProbes: markers.flatMap((m) => PROOF_MARKER.exec(m.value.trim())![1]!.split(/[,\s]+/).filter(Boolean)),
      markerAt: start(markers[0]!),
    };
  };

  nodes.listItem.forEach(({ node: item }) => {
    const paragraph = item.children[0];
    if (paragraph?.type !== 'paragraph' || skipped(item)) return;
    // `Last Updated` items are dates Proofbook keeps (below), never plan items.
    if (LAST_UPDATED.test(body.slice(start(paragraph), end(paragraph)))) return;
    const base = { ...markersIn(paragraph), at: start(item) };
    const ownText = (statusStart: number) => ({ text: body.slice(start(paragraph), statusStart).replace(/<!--[\s\S]*?-->/g, '').trim().slice(0, 300) });

    const field = statusField(paragraph);
    if (field) {
      const valueStart = start(field.after) + field.colonAt + 1;
      const valueEnd = trimBack(body, valueStart, statusSegmentEnd(paragraph, valueStart));
      const leading = /^[ \t]*/.exec(body.slice(valueStart, valueEnd))![0];
      sites.push({ ...base, ...ownText(valueStart), kind: 'field', status: [valueStart + leading.length, valueEnd], pad: leading ? '' : ' ' });
      return;
    }
    if (item.checked === true || item.checked === false) {
      const boxAt = checkboxAt(body, start(item), start(paragraph));
      const note = trailingNote(paragraph, body);
      const status: Range = note ? [start(note), end(note)] : [appendPoint(body, paragraph), appendPoint(body, paragraph)];
      // When the item's text starts with bold, code or a link, the paragraph's position starts at
      // the box (`[x] **Phase 1** …`): its own text starts after it.
      const textStart = boxAt !== undefined && boxAt > start(paragraph) ? boxAt + 2 : start(paragraph);
      const text = body.slice(textStart, status[0]).replace(/<!--[\s\S]*?-->/g, '').trim().slice(0, 300);
      sites.push({ ...base, text, kind: 'checkbox', status, pad: note ? '' : ' ', ...(boxAt !== undefined ? { box: [boxAt, boxAt + 1] as Range } : {}) });
      return;
    }
    const emoji = firstEmojiOutsideCode(paragraph, body);
    const mark = emoji === start(paragraph) ? leadingMark(body, emoji, end(paragraph)) : undefined;
    if (mark) {
      const note = trailingNote(paragraph, body);
      const status: Range = note ? [start(note), end(note)] : [appendPoint(body, paragraph), appendPoint(body, paragraph)];
      const text = body.slice(mark[1], status[0]).replace(/<!--[\s\S]*?-->/g, '').replace(/^[\s:–—-]+/, '').trim().slice(0, 300);
      sites.push({ ...base, text, kind: 'lead', mark, status, pad: note ? '' : ' ' });
      return;
    }
    if (emoji !== undefined) {
      sites.push({ ...base, ...ownText(emoji), kind: 'emoji', status: [emoji, trimBack(body, emoji, statusSegmentEnd(paragraph, emoji))], pad: '' });
    } else {
      const at = appendPoint(body, paragraph);
      sites.push({ ...base, ...ownText(at), kind: 'emoji', status: [at, at], pad: ' ' });
    }
  });

  nodes.table.forEach(({ node: table }) => {
    if (skipped(table)) return;
    const statusColumn = table.children[0]?.children.findIndex((cell) => /^\s*status\s*$/i.test(toString(cell)));
    if (statusColumn === undefined || statusColumn < 0) return;
    for (const row of table.children.slice(1)) {
      const cell = row.children[statusColumn];
      if (!cell || cell.children.length === 0) continue;
      const cellStart = start(cell.children[0]!);
      const contentEnd = Math.min(end(cell.children.at(-1)!), statusSegmentEnd(cell, cellStart));
      sites.push({
        kind: 'cell',
        // The row's other cells, never the Status cell itself (a Status-first table): the text a
        // binding matches must not change when Proofbook writes the status.
        text: row.children
          .filter((other, column) => column !== statusColumn && other.children.length > 0)
          .map((other) => body.slice(start(other.children[0]!), end(other.children.at(-1)!)).replace(/<!--[\s\S]*?-->/g, '').trim())
          .join(' | ')
          .slice(0, 300),
        ...markersIn(row),
        at: start(row),
        status: [cellStart, trimBack(body, cellStart, contentEnd)],
        pad: '',
      });
    }
  });

  // Status fields outside lists: `**Status**: ✅ RUNNING` on its own line, and footers
  // `*Status: ✅ Deployed*` (the value ends where the emphasis does).
  nodes.paragraph.forEach(({ node: paragraph, parent }) => {
    if (skipped(paragraph) || (parent?.type === 'listItem' && parent.children[0] === paragraph)) return;
    if (LAST_UPDATED.test(body.slice(start(paragraph), end(paragraph)))) return;
    const footer = statusFooter(paragraph);
    const field = statusField(paragraph) ?? footer;
    if (!field) return;
    const valueStart = start(field.after) + field.colonAt + 1;
    const limit = footer ? footer.end : statusSegmentEnd(paragraph, valueStart);
    const valueEnd = trimBack(body, valueStart, Math.min(limit, statusSegmentEnd(paragraph, valueStart)));
    const leading = /^[ \t]*/.exec(body.slice(valueStart, valueEnd))![0];
    const text = body.slice(start(paragraph), valueStart).replace(/<!--[\s\S]*?-->/g, '').trim().slice(0, 300);
    sites.push({ ...markersIn(paragraph), at: start(paragraph), text, kind: 'field', status: [valueStart + leading.length, valueEnd], pad: leading ? '' : ' ' });
  });

  // A heading that ends with its status: `### ArangoDB (7 tools) - ✅ DEPLOYED`. Its text, for
  // the plan summary and bindings, is what comes before the status, which Proofbook may write.
  const headings: Heading[] = [];
  nodes.heading.forEach(({ node: heading }) => {
    if (skipped(heading)) return;
    const emoji = heading.children.length ? firstEmojiOutsideCode(heading, body) : undefined;
    const own = emoji === undefined ? '' : body.slice(start(heading.children[0]!), emoji).replace(/<!--[\s\S]*?-->/g, '');
    if (emoji === undefined || !/\p{L}/u.test(own)) {
      headings.push({ depth: heading.depth, text: toString(heading).trim(), at: start(heading) + bom });
      return;
    }
    const text = own.replace(/[\s:–—-]+$/u, '').trim();
    const contentEnd = Math.min(end(heading.children.at(-1)!), statusSegmentEnd(heading, emoji));
    sites.push({ ...markersIn(heading), at: start(heading), text: text.slice(0, 300), kind: 'field', status: [emoji, trimBack(body, emoji, contentEnd)], pad: '' });
    headings.push({ depth: heading.depth, text: toString({ type: 'paragraph', children: [{ type: 'text', value: text }] }), at: start(heading) + bom });
  });

  const lastUpdated: LastUpdated[] = [];
  nodes.paragraph.forEach(({ node: paragraph }) => {
    if (skipped(paragraph)) return;
    const from = start(paragraph);
    const match = LAST_UPDATED.exec(body.slice(from, end(paragraph)));
    if (!match) return;
    const at = from + match.index + match[1]!.length;
    lastUpdated.push({ date: [at, at + 10] });
  });

  const shift = (range: Range): Range => [range[0] + bom, range[1] + bom];
  return {
    bom,
    regions: regions.map((r) => ({ ...r, markerStart: r.markerStart + bom, contentStart: r.contentStart + bom, contentEnd: r.contentEnd + bom })),
    sites: sites.map((s) => ({
      ...s,
      at: s.at + bom,
      status: shift(s.status),
      ...(s.box ? { box: shift(s.box) } : {}),
      ...(s.mark ? { mark: shift(s.mark) } : {}),
      ...(s.markerAt !== undefined ? { markerAt: s.markerAt + bom } : {}),
    })),
    lastUpdated: lastUpdated.map((l) => ({ date: shift(l.date) })),
    headings,
  };
}

/** 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const newlines = newlinesOf(text);
  // How many newlines come before the offset (binary search): that many lines above it.
  let low = 0;
  let high = newlines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (newlines[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  const lineStart = low === 0 ? 0 : newlines[low - 1]! + 1;
  return { line: low + 1, column: offset - lineStart + 1 - (lineStart === 0 && text.startsWith('\uFEFF') ? 1 : 0) };
}

/** The offsets of a text's newlines, for the text asked about last (reports ask about one document many times in a row). */
let lastNewlines: { text: string; offsets: number[] } | undefined;
function newlinesOf(text: string): number[] {
  if (lastNewlines?.text !== text) {
    const offsets: number[] = [];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) offsets.push(i);
    lastNewlines = { text, offsets };
  }
  return lastNewlines.offsets;
}

/**
 * A status field: `**Status**: value`, or any `**Label**: <emoji> value` — the text node after
 * the bold label, and where its colon is (-1 when the colon is inside the bold).
 */
function statusField(paragraph: Paragraph): { after: Nodes; colonAt: number } | undefined {
  const [label, after] = paragraph.children;
  if (label?.type !== 'strong' || after?.type !== 'text') return undefined;
  const labelText = toString(label).trim();
  const colonAt = labelText.endsWith(':') ? -1 : after.value.indexOf(':');
  if (colonAt < -1 || (colonAt > 0 && after.value.slice(0, colonAt).trim())) return undefined;
  const value = after.value.slice(colonAt + 1).trim();
  const named = /^(status|state)$/i.test(labelText.replace(/:$/, ''));
  if (!named && !STATUS_EMOJI_PATTERN.test(value.slice(0, 3))) return undefined;
  return { after, colonAt };
}

/** A status footer, `*Status: ✅ Deployed*`: the text node the value is in and where its colon is. */
function statusFooter(paragraph: Paragraph): { after: Text; colonAt: number; end: number } | undefined {
  const children = paragraph.children.filter(
    (child) => !(child.type === 'html' && PROOF_MARKER.test(child.value.trim())) && !(child.type === 'text' && !child.value.trim()),
  );
  const only = children.length === 1 ? children[0] : undefined;
  if (only?.type !== 'emphasis' || only.children[0]?.type !== 'text') return undefined;
  const after = only.children[0];
  const label = /^\s*(?:status|state)\s*:/i.exec(after.value);
  return label ? { after, colonAt: label[0].length - 1, end: only.children.at(-1)!.position!.end.offset! } : undefined;
}

/** End of a status segment: the container's end, or an inline proof marker that follows `from`. */
function statusSegmentEnd(container: Nodes, from: number): number {
  let end = container.position!.end.offset!;
  eachNode(container, 'html', (node: Html) => {
    const at = node.position!.start.offset!;
    if (PROOF_MARKER.test(node.value.trim()) && at > from) end = Math.min(end, at);
  });
  return from > end ? from : end;
}

/** Moves `end` back over whitespace, not before `start`. */
function trimBack(text: string, start: number, end: number): number {
  let at = end;
  while (at > start && /\s/.test(text[at - 1]!)) at--;
  return at;
}

/** Where appended status text goes: before a trailing inline proof marker, else at the paragraph's end. */
function appendPoint(text: string, paragraph: Paragraph): number {
  const meaningful = paragraph.children.filter((child) => !(child.type === 'text' && !child.value.trim()));
  const last = meaningful.at(-1);
  if (last?.type === 'html' && PROOF_MARKER.test(last.value.trim())) {
    return trimBack(text, paragraph.position!.start.offset!, last.position!.start.offset!);
  }
  return paragraph.position!.end.offset!;
}

/** The first status emoji in the paragraph's text nodes (never inside inline code or link URLs). */
function firstEmojiOutsideCode(paragraph: Paragraph | HeadingNode, text: string): number | undefined {
  let found: number | undefined;
  eachNode(paragraph, 'text', (node) => {
    if (found !== undefined) return;
    const from = node.position!.start.offset!;
    const match = STATUS_EMOJI_PATTERN.exec(text.slice(from, node.position!.end.offset!));
    if (match) found = from + match.index;
  });
  return found;
}

/**
 * Proofbook's own trailing note, `_( … )_` (ignoring an inline proof marker and whitespace after
 * it). A hand-written note of the same shape — `_(2025-09-18: list OK; see `codex.txt`)_` — is
 * the author's: it stays, and Proofbook's note goes beside it. Ours says where its evidence is
 * (`[evidence](…)`), that there is none yet, or a decision's state (isOurNote, status-phrases.ts).
 */
function trailingNote(paragraph: Paragraph, text: string): Nodes | undefined {
  const children = paragraph.children.filter(
    (child) => !(child.type === 'html' && PROOF_MARKER.test(child.value.trim())) && !(child.type === 'text' && !child.value.trim()),
  );
  const last = children.at(-1);
  if (last?.type !== 'emphasis' || !toString(last).trim().startsWith('(')) return undefined;
  const source = text.slice(last.position!.start.offset!, last.position!.end.offset!);
  return isOurNote(source) ? last : undefined;
}

/** Words that say a status right after a leading mark: `✅ DONE`, `✅ Working`, `❌ FAILED`. */
const STATUS_WORD = /^(?:COMPLETED?|Completed?|DONE|Done|WORKING|Working|DEPLOYED|Deployed|VERIFIED|Verified|FIXED|Fixed|PASS(?:ED|ING)?|Pass(?:ed|ing)?|FAIL(?:ED|ING)?|Fail(?:ed|ing)?|PENDING|Pending|BLOCKED|Blocked|RUNNING|Running|WARNING|Warning|OK|TODO|RESOLVED|Resolved|BROKEN|Broken)\b/u;

/** The leading mark `[at, end)`: the emoji (with its variation selector) and a status word after it. */
function leadingMark(text: string, at: number, paragraphEnd: number): Range | undefined {
  const emoji = STATUS_EMOJI_PATTERN.exec(text.slice(at, at + 3));
  if (!emoji || emoji.index !== 0) return undefined;
  let end = at + emoji[0].length;
  if (text[end] === '\uFE0F') end++;
  // An item Proofbook already wrote whole keeps the emoji shape, though its reason has words.
  if (isOurEmojiPhrase(text.slice(end, paragraphEnd).replace(/<!--[\s\S]*?-->/g, '').trim())) return undefined;
  const spaces = /^[ \t]*/.exec(text.slice(end, paragraphEnd))![0].length;
  const word = STATUS_WORD.exec(text.slice(end + spaces, paragraphEnd));
  if (word) end += spaces + word[0].length;
  // An item that is only a status (`- ✅ DONE`, `- ✅ Completed 2025-09-18`) has no words of its
  // own: the emoji shape covers it, and the whole status is Proofbook's to write.
  const words = text.slice(end, paragraphEnd).replace(/<!--[\s\S]*?-->/g, '').replace(/\[[^\]]*\]\([^)]*\)/g, '');
  return /\p{L}/u.test(words) ? [at, end] : undefined;
}

/** The offset of the `x` / ` ` inside a task item's `[ ]`: before its paragraph, or at its start (bold-first items). */
function checkboxAt(text: string, itemStart: number, paragraphStart: number): number | undefined {
  const box = /\[( |x|X)\]/.exec(text.slice(itemStart, paragraphStart));
  if (box) return itemStart + box.index + 1;
  return /^\[( |x|X)\](?=[ \t])/.test(text.slice(paragraphStart, paragraphStart + 4)) ? paragraphStart + 1 : undefined;
}
