/**
 * The one line a client-matrix cell shows beside its mark: the finding that decided it, where it
 * is, or a message cut to fit the table.
 */
import type { ClientMatrixCell, Finding } from '../types.ts';

/** `file:line: message` (what is there of it). */
export function findingNote(finding: Finding): string {
  return `${finding.file ?? ''}${finding.line ? `:${finding.line}` : ''}${finding.file ? ': ' : ''}${finding.message}`;
}

/** `text` cut to `max` characters, an ellipsis marking the cut. */
export function shorten(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `skip` cells, with the reason, for every configured host but `checked`: a client set up against
 * one gateway host says so in the other hosts' cells instead of leaving them empty.
 */
export function otherHostCells(
  hosts: readonly { name: string }[],
  cell: { client: string; checked: string; aspects: ClientMatrixCell['aspect'][]; why: (other: string) => string },
): ClientMatrixCell[] {
  return hosts
    .filter((host) => host.name !== cell.checked)
    .flatMap((host) => cell.aspects.map((aspect) => ({ client: cell.client, host: host.name, aspect, status: 'skip' as const, note: shorten(cell.why(host.name)) })));
}
