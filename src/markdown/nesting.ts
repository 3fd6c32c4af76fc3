/**
 * How deeply a document nests block quotes and lists, found by a scan of line prefixes before
 * any Markdown parser sees it. The parsers recurse per level: 8,000 nested `>` in an 8 KB file
 * overflow the stack, and a deeply nested 1 MB list takes a minute and most of a gigabyte. Real
 * runbooks nest a handful of levels; anything past MAX_NESTING is refused with its line.
 */

export const MAX_NESTING = 50;

const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/;

/** The container depth one line opens: each `>` and list marker in its prefix, and list indentation (2 columns a level). */
export function lineNesting(line: string): number {
  let depth = 0;
  let i = 0;
  let indent = 0;
  for (;;) {
    const start = i;
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (depth === 0) indent = i - start;
    if (line[i] === '>') {
      depth++;
      i++;
      continue;
    }
    const marker = LIST_MARKER.exec(line.slice(i, i + 11));
    if (marker) {
      depth++;
      i += marker[0].length;
      continue;
    }
    break;
  }
  // An indented list item sits inside the items above it.
  const indentedItem = depth > 0 && LIST_MARKER.test(line.slice(indent).replace(/^>+/, ''));
  return depth + (indentedItem ? Math.floor(indent / 2) : 0);
}

/** The first line (1-based) nesting deeper than `max`, or undefined. */
export function tooDeep(text: string, max = MAX_NESTING): { line: number; depth: number } | undefined {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const depth = lineNesting(text.slice(start, end < 0 ? text.length : end));
    if (depth > max) return { line, depth };
    if (end < 0) return undefined;
    start = end + 1;
    line++;
  }
}

export function nestingMessage(depth: number, max = MAX_NESTING): string {
  return `block quotes or lists nested ${depth} levels deep (Proofbook reads at most ${max}) — flatten the nesting`;
}
