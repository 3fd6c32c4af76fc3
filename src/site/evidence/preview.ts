/**
 * The part of an evidence file that is inlined in a page: at most `maxLines` lines and
 * `maxBytes` bytes, cut at a line end so no line (or UTF-8 character) is shown half.
 */
import type { EvidenceLimits } from '../settings.ts';
import type { FileFacts } from './file-facts.ts';

export interface Preview {
  text: string;
  /** Lines shown. */
  lines: number;
  /** Whether anything of the file is left out. */
  truncated: boolean;
}

export function preview(facts: Pick<FileFacts, 'head' | 'size' | 'lines'>, limits: EvidenceLimits): Preview {
  const head = facts.head.subarray(0, limits.maxBytes);
  const complete = head.length === facts.size;
  let lines = head.toString('utf8').split('\n');
  // The last piece of an incomplete head may be half a line (or half a character): drop it,
  // unless it is all there is.
  if (!complete && lines.length > 1) lines.pop();
  if (complete && lines.at(-1) === '') lines.pop();
  const cut = lines.length > limits.maxLines;
  if (cut) lines = lines.slice(0, limits.maxLines);
  const text = lines.join('\n');
  return { text, lines: lines.length, truncated: !complete || cut };
}

/** `1.5 KB`, `20.0 MB`: sizes for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
