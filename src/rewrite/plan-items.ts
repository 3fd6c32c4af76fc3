/**
 * Plan items and status fields bound to probes (or decisions), rewritten in the style the
 * file already uses. Only the status part of an item changes; the item's own text never does.
 *
 * Shapes handled:
 * - emoji items:     `1. Inspect Traefik labels… ✅ Completed 2025-09-18.`
 * - GFM checkboxes:  `- [x] Ensure config… _(2025-09-18: …; see [evidence](…))_`
 * - status fields:   `- **Status**: ✅ RUNNING`
 * - table rows whose Status cell starts with an emoji
 * - `Last Updated` fields and italic footers get the date the doc's status last changed.
 *
 * A binding is an inline marker `<!-- proof: id[, id…] -->` in the item, or a config entry
 * whose `match` text the item contains.
 */
import type { Html, ListItem, Nodes, Paragraph, Root, Table, TableCell } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { ProbeView } from '../evidence/history.ts';
import type { RenderContext } from '../render/status.ts';
import type { TextEdit } from './edits.ts';
import {
  emojiPhrase,
  fieldPhrase,
  notePhrase,
  statusFromDecision,
  statusFromProbes,
  STATUS_EMOJI_PATTERN,
  type Decision,
  type ItemStatus,
} from './item-status.ts';
import { RegionError } from './regions.ts';

export interface Binding {
  match: string;
  probes: string[];
  /** Limit the binding to files whose path ends with this. */
  file?: string;
}

export interface PlanContext {
  file: string;
  views: Map<string, ProbeView>;
  bindings: Binding[];
  decisions: Decision[];
  knownProbes: string[];
  render: RenderContext;
}

export interface PlanResult {
  edits: TextEdit[];
  /** Latest status date among bound items, for `Last Updated`. */
  dates: string[];
  items: { line: number; text: string; probes: string[]; state: string }[];
}

const PROOF_MARKER = /^<!--\s*proof:\s*([^>]*?)\s*-->$/;

/**
 * @param text the text `tree` was parsed from (offsets are into it)
 * @param skip offset ranges (generated regions) whose content is not plan text
 */
export function planEdits(text: string, tree: Root, skip: [number, number][], context: PlanContext): PlanResult {
  const result: PlanResult = { edits: [], dates: [], items: [] };
  const start = (node: Nodes) => node.position!.start.offset!;
  const end = (node: Nodes) => node.position!.end.offset!;
  const skipped = (node: Nodes) => skip.some(([a, b]) => start(node) >= a && end(node) <= b);

  const bindingFor = (container: Nodes, plainText: string): { probes?: string[]; decision?: Decision } => {
    const markers: Html[] = [];
    visit(container, 'html', (node: Html) => {
      if (PROOF_MARKER.test(node.value.trim())) markers.push(node);
    });
    if (markers.length) {
      const probes = markers.flatMap((m) => PROOF_MARKER.exec(m.value.trim())![1]!.split(/[,\s]+/).filter(Boolean));
      for (const id of probes) {
        if (!context.knownProbes.includes(id)) {
          const { line, column } = markers[0]!.position!.start;
          throw new RegionError(context.file, line, column, `item is bound to unknown probe "${id}"; known probes: ${context.knownProbes.join(', ')}`);
        }
      }
      return { probes };
    }
    const lower = plainText.toLowerCase();
    const applies = (entry: { match: string; file?: string }) =>
      lower.includes(entry.match.toLowerCase()) && (!entry.file || context.file.endsWith(entry.file));
    const decision = context.decisions.find(applies);
    if (decision) return { decision };
    const binding = context.bindings.find(applies);
    return binding ? { probes: binding.probes } : {};
  };

  const statusOf = (binding: { probes?: string[]; decision?: Decision }): ItemStatus =>
    binding.decision ? statusFromDecision(binding.decision) : statusFromProbes(binding.probes!, context.views);

  const record = (node: Nodes, plainText: string, status: ItemStatus, probes: string[]) => {
    if (status.date) result.dates.push(status.date);
    result.items.push({ line: node.position!.start.line, text: plainText.slice(0, 80), probes, state: status.state });
  };

  visit(tree, 'listItem', (item: ListItem) => {
    const paragraph = item.children[0];
    if (paragraph?.type !== 'paragraph' || skipped(item)) return;
    const plainText = toString(paragraph, { includeHtml: false });
    const binding = bindingFor(paragraph, plainText);
    if (!binding.probes && !binding.decision) return;
    const status = statusOf(binding);
    record(item, plainText, status, binding.probes ?? []);

    const field = statusField(paragraph);
    if (field) {
      const valueStart = start(field.after) + field.colonAt + 1;
      const valueEnd = trimBack(text, valueStart, statusSegmentEnd(paragraph, valueStart));
      const previous = text.slice(valueStart, valueEnd);
      const leading = /^\s*/.exec(previous)![0] || ' ';
      result.edits.push({ start: valueStart, end: valueEnd, text: leading + fieldPhrase(status, previous, context.render), reason: 'status field' });
      return;
    }

    if (item.checked === true || item.checked === false) {
      // Toggle the box itself, then rewrite (or add) the trailing italic evidence note.
      const head = text.slice(start(item), start(paragraph));
      const box = /\[( |x|X)\]/.exec(head);
      const wanted = status.state === 'pass' ? 'x' : ' ';
      if (box && box[1]!.toLowerCase() !== wanted) {
        const at = start(item) + box.index + 1;
        result.edits.push({ start: at, end: at + 1, text: wanted, reason: 'checkbox' });
      }
      const note = trailingNote(paragraph);
      const phrase = notePhrase(status, context.render);
      if (note) result.edits.push({ start: start(note), end: end(note), text: phrase, reason: 'evidence note' });
      else {
        const at = appendPoint(text, paragraph);
        result.edits.push({ start: at, end: at, text: ` ${phrase}`, reason: 'evidence note' });
      }
      return;
    }

    // Emoji style: the status runs from the first status emoji to the end of the paragraph
    // (or to an inline marker after it); without one, it is appended.
    const from = start(paragraph);
    const source = text.slice(from, end(paragraph));
    const emoji = firstEmojiOutsideCode(paragraph, source, from);
    const phrase = emojiPhrase(status, context.render);
    if (emoji !== undefined) {
      const segmentEnd = trimBack(text, emoji, statusSegmentEnd(paragraph, emoji));
      const old = text.slice(emoji, segmentEnd);
      const punctuation = /\.\s*$/.test(old) && !phrase.endsWith('.') ? '.' : '';
      result.edits.push({ start: emoji, end: segmentEnd, text: phrase + punctuation, reason: 'plan item' });
    } else {
      const at = appendPoint(text, paragraph);
      result.edits.push({ start: at, end: at, text: ` ${phrase}`, reason: 'plan item' });
    }
  });

  visit(tree, 'table', (table: Table) => {
    if (skipped(table)) return;
    const header = table.children[0];
    const statusColumn = header?.children.findIndex((cell) => /^\s*status\s*$/i.test(toString(cell)));
    if (statusColumn === undefined || statusColumn < 0) return;
    for (const row of table.children.slice(1)) {
      const plainText = toString(row.children[0] ?? { type: 'text', value: '' });
      const binding = bindingFor(row, plainText);
      if (!binding.probes && !binding.decision) continue;
      const cell: TableCell | undefined = row.children[statusColumn];
      if (!cell || cell.children.length === 0) continue;
      const status = statusOf(binding);
      record(row, plainText, status, binding.probes ?? []);
      const cellStart = start(cell.children[0]!);
      const contentEnd = Math.min(end(cell.children.at(-1)!), statusSegmentEnd(cell, cellStart));
      const cellEnd = trimBack(text, cellStart, contentEnd);
      const phrase = fieldPhrase(status, text.slice(cellStart, cellEnd), context.render).replaceAll('|', '\\|');
      result.edits.push({ start: cellStart, end: cellEnd, text: phrase, reason: 'table status cell' });
    }
  });

  return result;
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

/** End of a status segment: before an inline proof marker that follows `from`, trimmed. */
function statusSegmentEnd(container: Nodes, from: number): number {
  let end = container.position!.end.offset!;
  visit(container, 'html', (node: Html) => {
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

/** Finds the first status emoji in text nodes (never inside inline code or links). */
function firstEmojiOutsideCode(paragraph: Paragraph, source: string, from: number): number | undefined {
  let found: number | undefined;
  visit(paragraph, 'text', (node) => {
    if (found !== undefined) return;
    const nodeStart = node.position!.start.offset! - paragraph.position!.start.offset!;
    const nodeEnd = node.position!.end.offset! - paragraph.position!.start.offset!;
    const match = STATUS_EMOJI_PATTERN.exec(source.slice(nodeStart, nodeEnd));
    if (match) found = from + nodeStart + match.index;
  });
  return found;
}

/** A trailing `_( … )_` emphasis (ignoring an inline proof marker and whitespace after it). */
function trailingNote(paragraph: Paragraph): Nodes | undefined {
  const children = paragraph.children.filter(
    (child) => !(child.type === 'html' && PROOF_MARKER.test(child.value.trim())) && !(child.type === 'text' && !child.value.trim()),
  );
  const last = children.at(-1);
  if (last?.type === 'emphasis' && toString(last).trim().startsWith('(')) return last;
  return undefined;
}
