/**
 * The top of the status page: every probe and the client matrix in one screen, like a status
 * page's component grid. Each probe is a tile (mark, id, status word; the whole tile links to its
 * latest evidence, or to its details when it has none); each matrix cell is a mark and a word
 * linking to the evidence that decided it. Status is never colour alone: the mark's shape and the
 * word say it too. The details (history, since, notes, regions) are further down the page.
 */
import { clientName, MATRIX_ASPECTS, type MatrixAspect, type MatrixRow } from '../../evidence/client-matrix.ts';
import { evidenceUrl } from '../evidence/build-block.ts';
import { html, type Html } from './html.ts';
import type { ProbeRow } from './probes.ts';
import { label, mark, shortLabel, type Shown } from './status.ts';

/** The id of a probe's details card (`#probe-mcp-catalog`). */
export function probeAnchor(id: string): string {
  return `probe-${id.replace(/[^a-z0-9-]/gi, '-')}`;
}

export function probeTiles(probes: readonly ProbeRow[]): Html {
  return html`<ul class="pb-tiles" aria-label="Probes">${probes.map((probe) => {
    // The link's text says it all (id, status word): no title, which would say it twice in every tile.
    const href = probe.latestHref ?? `#${probeAnchor(probe.id)}`;
    return html`<li class="pb-tile" data-tile="${probe.id}" data-status="${probe.status}" data-state="${probe.stale ? 'stale' : probe.status}" data-last-run="${probe.lastRun}"><a href="${href}"><span class="pb-mark" aria-hidden="true">${mark(probe.status)}</span><code>${probe.id}</code><span class="pb-tile__word">${shortLabel(probe.status)}<span data-stale-badge${probe.stale ? '' : html` hidden`}> · stale</span></span></a></li>`;
  })}</ul>`;
}

/**
 * Clients down, hosts across (each with its config, listing and invocation): half the height of a
 * row per client and host, so 5 clients on 2 hosts fit under 20 probes in one screen.
 */
export function matrixGrid(rows: readonly MatrixRow[], base: string): Html {
  if (!rows.length) return html``;
  const hosts = [...new Set(rows.map((row) => row.host))];
  const clients = [...new Set(rows.map((row) => row.client))];
  const aspects = MATRIX_ASPECTS.map((a) => a[0]!.toUpperCase() + a.slice(1));
  return html`<div class="pb-glance-scroll"><table class="pb-glance-matrix"><thead><tr><th scope="col" rowspan="2">Client</th>${hosts.map((host) => html`<th scope="colgroup" colspan="${MATRIX_ASPECTS.length}" class="pb-glance-host">${host}</th>`)}</tr><tr>${hosts.map(() => aspects.map((a) => html`<th scope="col">${a}</th>`))}</tr></thead><tbody>${clients.map(
    (client) => html`<tr data-glance-row="${client}"><th scope="row">${clientName(client)}</th>${hosts.map((host) => {
      const row = rows.find((r) => r.client === client && r.host === host);
      return MATRIX_ASPECTS.map((aspect, i) => matrixCell(row, host, aspect, i === 0, base));
    })}</tr>`,
  )}</tbody></table></div>`;
}

function matrixCell(row: MatrixRow | undefined, host: string, aspect: MatrixAspect, first: boolean, base: string): Html {
  const entry = row?.cells[aspect];
  const state: Shown = entry?.status ?? 'none';
  const word = entry ? shortLabel(state) : row ? 'not checked' : 'not set up';
  const content = html`<span class="pb-mark" aria-hidden="true">${mark(state)}</span>${word}`;
  const title = entry ? `${host} ${aspect}: ${label(state)} — ${entry.probe}${entry.notes.length ? `: ${entry.notes.join('; ')}` : ''}` : `${host} ${aspect}: ${word}`;
  return html`<td class="${`pb-cell-state pb-state--${state}${first ? ' pb-glance-first' : ''}`}" data-glance-cell="${aspect}" data-host="${host}" data-status="${state}" title="${title}">${
    entry ? html`<a href="${evidenceUrl(entry.evidence, base)}">${content}</a>` : content
  }</td>`;
}
