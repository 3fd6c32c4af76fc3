/**
 * A probe's last runs as a strip of coloured cells (oldest left), drawn as inline SVG at
 * build time: no script, and it prints. Each cell links to that run's evidence.
 */
import { html, type Html } from './html.ts';
import type { RunCell } from './probes.ts';
import { formatClock } from './status.ts';

const CELL = 10;
const GAP = 2;
const HEIGHT = 18;

export function historyStrip(probe: string, cells: RunCell[], slots: number): Html {
  if (!cells.length) return html`<span class="pb-muted">no runs yet</span>`;
  const width = slots * (CELL + GAP) - GAP;
  const tally = new Map<string, number>();
  for (const cell of cells) tally.set(cell.status, (tally.get(cell.status) ?? 0) + 1);
  const counts = [...tally].map(([status, count]) => `${count} ${status}`);
  const rects = cells.map(
    (cell, i) =>
      // Width, height, corner radius and the colour of no status come from the `.pb-history rect`
      // CSS (SVG 2 geometry properties); the title names the link (in UTC, as the row's label says). 20 probes × 20 runs are 400
      // cells on the status page: each byte of a cell counts 400 times.
      html`<a href="${cell.href}"><title>${formatClock(cell.startedAt)}: ${cell.status}</title><rect class="pb-cell--${cell.status}"${i ? html` x="${i * (CELL + GAP)}"` : ''}/></a>`,
  );
  return html`<svg class="pb-history" viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" aria-label="${`Last ${cells.length} runs of ${probe}: ${counts.join(', ')}`}">${rects}</svg>`;
}
