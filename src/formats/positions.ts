/**
 * From an offset to `line:col`. Parsers know offsets; people and editors read lines and columns,
 * and every message Proofbook writes about a file (JSON, TOML, .env, YAML, Markdown) names them.
 * One conversion, so two messages about the same spot cannot disagree.
 */

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/**
 * The 1-based line and column of an offset into `text`. Columns count UTF-16 code units, as
 * editors such as VS Code do, so a character outside the BMP (an emoji) counts two. A line ends
 * at `\n`: in CRLF text the `\r` is the last column of its line. An offset outside the text is
 * clamped to it (past the end: just after the last character).
 */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** The offsets where the lines of `text` start (the first is 0): for many lookups in one text. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** The index of the last value of ascending `sorted` that is ≤ `value` (0 when none is): a binary search. */
export function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}
