/**
 * The one line a client-matrix cell shows beside its mark: the finding that decided it, where it
 * is, or a message cut to fit the table.
 */
import type { Finding } from '../types.ts';

/** `file:line: message` (what is there of it). */
export function findingNote(finding: Finding): string {
  return `${finding.file ?? ''}${finding.line ? `:${finding.line}` : ''}${finding.file ? ': ' : ''}${finding.message}`;
}

/** `text` cut to `max` characters, an ellipsis marking the cut. */
export function shorten(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
