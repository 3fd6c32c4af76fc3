/**
 * Gives back the source positions that remark-gfm's autolink-literal pass drops. When a bare URL
 * follows a `[` or `_` that did not open a link or emphasis (`- ✅ see [http://a.b/c_d_ e`), the
 * pass rebuilds the paragraph's inline nodes without positions; every structure pass reads
 * offsets, and a runbook line like that crashed the remark path (the fallback and the tests'
 * reference). Every other node of that parse keeps its positions, so the lost ones are found again
 * in order, between the known neighbours, by their text in the source.
 */
import type { Nodes, Parent, Root } from 'mdast';
import type { Position } from 'unist';
import { lastAtOrBefore, lineStarts } from '../formats/positions.ts';

export function restorePositions(tree: Root, text: string): Root {
  let starts: number[] | undefined; // computed once, and only for a tree that lost positions
  const visit = (node: Nodes): void => {
    if (!('children' in node) || !node.position) return;
    const parent = node as Parent;
    if (parent.children.some((child) => !child.position)) placeChildren(parent, text, (starts ??= lineStarts(text)));
    for (const child of parent.children) visit(child as Nodes);
  };
  visit(tree);
  return tree;
}

/** Positions for the children of `parent` that lack one, searched in order within the parent's span. */
function placeChildren(parent: Parent, text: string, starts: number[]): void {
  const children = parent.children;
  let cursor = parent.position!.start.offset!;
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!;
    if (child.position) {
      cursor = child.position.end.offset!;
      continue;
    }
    const nextKnown = children.slice(index + 1).find((c) => c.position)?.position!.start.offset ?? parent.position!.end.offset!;
    const wanted = sourceText(child as Nodes);
    const found = wanted ? text.indexOf(wanted, cursor) : -1;
    // The node's text where the source has it; else the gap up to the next known node (escapes, entities).
    const start = found >= 0 && found + wanted.length <= nextKnown ? found : cursor;
    const end = found >= 0 && found + wanted.length <= nextKnown ? found + wanted.length : nextKnown;
    child.position = positionOf(start, end, starts);
    if ('children' in child) placeChildren(child as Parent, text, starts);
    cursor = end;
  }
}

/** The source text a positionless inline node stands for (its literal value; a link's text). */
function sourceText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return node.children.map((child) => sourceText(child as Nodes)).join('');
  return '';
}

function pointAt(offset: number, starts: number[]): Position['start'] {
  const line = lastAtOrBefore(starts, offset);
  return { line: line + 1, column: offset - starts[line]! + 1, offset };
}

function positionOf(start: number, end: number, starts: number[]): Position {
  return { start: pointAt(start, starts), end: pointAt(end, starts) };
}
