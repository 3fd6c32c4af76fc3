/** Text edits by offset, applied in one pass; overlapping edits are a bug, not a merge. */

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** What made the edit, for error messages. */
  reason: string;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at offset ${edit.start} (${edit.reason})`);
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}
