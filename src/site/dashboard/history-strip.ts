/**
 * A probe's last runs as a strip of coloured cells (oldest left), drawn as inline SVG at
 * build time: no script, and it prints. Each cell links to that run's evidence.
 */
import { html, type Html } from './html.ts';
import type { RunCell } from './probes.ts';
import { formatTime } from './status.ts';

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
      // Width, height and corner radius come from the .pb-cell CSS (SVG 2 geometry properties).
      html`<a href="${cell.href}"><rect class="pb-cell pb-cell--${cell.status}" x="${i * (CELL + GAP)}"><title>${formatTime(cell.startedAt)}: ${cell.status}</title></rect></a>`,
  );
  return html`<svg class="pb-history" data-runs="${cells.length}" viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" role="img" aria-label="${`Last ${cells.length} runs of ${probe}: ${counts.join(', ')}`}">${rects}</svg>`;
}
