/**
 * `refresh-docs` on the console after a run (or `--offline`): a table of the probe results, one
 * line of counts, the probes that failed and the runbooks rewritten.
 */
import path from 'node:path';
// A summary quotes what servers answer: an escape sequence in it must not drive the terminal.
import { visibleControls } from '../../markdown/harden.ts';
import type { ProbeResult } from '../../probes/types.ts';
import type { RefreshReport } from '../../refresh/refresh.ts';

export function tableLines(report: RefreshReport): string[] {
  const { results } = report;
  const changed = report.documents.filter((doc) => doc.changed);
  const failed = results.filter((r) => r.status === 'fail' || r.status === 'error');
  return [
    ...(results.length ? [summaryTable(results)] : []),
    `${results.length} probe(s): ${countByStatus(results)}; ${report.written.length} of ${report.documents.length} runbook(s) changed`,
    ...(failed.length ? [`failed: ${failed.map((r) => r.id).sort().join(', ')}`] : []),
    ...changed.map((doc) => `  rewrote ${path.relative(report.rootDir, doc.file)} (${[...doc.regions, ...(doc.items.length ? [`${doc.items.length} item(s)`] : [])].join(', ')})`),
  ];
}

/** One row per probe, by id: one string of several lines, blank lines around it. */
export function summaryTable(results: ProbeResult[]): string {
  const rows = [...results].sort((a, b) => a.id.localeCompare(b.id));
  const width = Math.max(5, ...rows.map((r) => r.id.length));
  const statusWidth = Math.max(6, ...rows.map((r) => r.status.length));
  const line = (id: string, status: string, ms: string, summary: string) => `${id.padEnd(width)}  ${status.padEnd(statusWidth)}  ${ms.padStart(7)}  ${summary}`;
  return [
    '',
    line('probe', 'status', 'ms', 'summary'),
    line('-'.repeat(width), '-'.repeat(statusWidth), '-------', '-------'),
    ...rows.map((r) => line(r.id, r.status, String(r.durationMs), visibleControls(r.summary.length > 100 ? `${r.summary.slice(0, 99)}…` : r.summary))),
    '',
  ].join('\n');
}

/** `2 pass, 1 fail`, in the order the statuses first finished; `none run` for no result. */
function countByStatus(results: ProbeResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none run';
}
