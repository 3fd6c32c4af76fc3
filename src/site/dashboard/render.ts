/**
 * The status page's content as HTML: at the top, every probe and the client matrix at a glance
 * (./glance.ts); below, the newest upgrade preview (./upgrade.ts), each probe's details (status,
 * since, last verified, stale, history, links), the client checks with their notes, the topology, plan progress and open decisions. Plain data in, a string out, so it
 * is tested without Astro; the page (../pages/status.astro) only wraps it in Starlight.
 */
import { formatAge } from './age.ts';
import { clientName, FIRST_CLIENT_PROBES, MATRIX_ASPECTS, type MatrixRow } from '../../evidence/client-matrix.ts';
import type { UpgradePreview } from '../../upgrade/preview.ts';
import { evidenceUrl } from '../evidence/build-block.ts';
import type { OpenDecision } from './decisions.ts';
import { matrixGrid, probeAnchor, probeTiles } from './glance.ts';
import { historyStrip } from './history-strip.ts';
import { html, type Html } from './html.ts';
import type { RunbookProgress } from './plan-progress.ts';
import type { ProbeRow } from './probes.ts';
import { formatTime, label, type Shown } from './status.ts';
import { topologySvg, type Topology } from './topology.ts';
import { upgradeSection } from './upgrade.ts';

export interface DashboardModel {
  now: Date;
  maxAgeHours: number;
  historyRuns: number;
  probes: ProbeRow[];
  topology: Topology;
  progress: RunbookProgress[];
  decisions: OpenDecision[];
  /** Client × host rows merged from the client probes (empty when none has run). */
  clients: MatrixRow[];
  /** Site base, for links to evidence. */
  base: string;
  /** The newest stored upgrade preview, if any (absent: the section says how to make one). */
  preview?: UpgradePreview;
}

export interface DashboardHeading {
  depth: number;
  slug: string;
  text: string;
}

export const DASHBOARD_HEADINGS: DashboardHeading[] = [
  { depth: 2, slug: 'probes', text: 'Probes' },
  { depth: 2, slug: 'client-matrix', text: 'Client matrix' },
  { depth: 2, slug: 'upgrade-preview', text: 'Upgrade preview' },
  { depth: 2, slug: 'probe-details', text: 'Probe details' },
  { depth: 2, slug: 'client-details', text: 'Client checks' },
  { depth: 2, slug: 'topology', text: 'Topology' },
  { depth: 2, slug: 'plan-progress', text: 'Plan progress' },
  { depth: 2, slug: 'open-decisions', text: 'Open decisions' },
];

/** A probe shown in hundreds of runbooks would otherwise make the page heavy; the first few tell where. */
const MAX_REGION_LINKS = 5;

export function renderDashboard(model: DashboardModel): string {
  const runs = model.probes.reduce((sum, p) => sum + p.runs, 0);
  return html`<div class="pb-dashboard" data-pb-dashboard data-max-age-ms="${model.maxAgeHours * 3600_000}">
<section class="pb-glance not-content" aria-label="At a glance">
<p class="pb-glance__summary">${tally(model.probes)}<span class="pb-muted">built <time datetime="${model.now.toISOString()}">${formatTime(model.now.toISOString())}</time></span></p>
<h2 id="probes">Probes</h2>
${probeTiles(model.probes)}
<h2 id="client-matrix">Client matrix</h2>
${model.clients.length ? matrixGrid(model.clients, model.base) : noClients()}
</section>
<h2 id="upgrade-preview">Upgrade preview</h2>
${upgradeSection(model.preview, model.base)}
<h2 id="probe-details">Probe details</h2>
<p class="pb-dashboard__intro">Built <time datetime="${model.now.toISOString()}">${formatTime(model.now.toISOString())}</time> from ${runs} runs in <code>evaluation/index.jsonl</code>. A status whose last run is older than ${model.maxAgeHours} h is <span class="pb-badge pb-badge--stale">stale</span>.</p>
<div class="pb-probes">${model.probes.map((probe) => probeCard(probe, model))}</div>
<h2 id="client-details">Client checks</h2>
${clientTable(model)}
<h2 id="topology">Topology</h2>
<p>Clients reach the gateway through each host, its Traefik routers and LiteLLM, which relays the MCP servers. Colours are the latest evidence; dashed means stale.</p>
<figure class="pb-topology-figure">${topologySvg(model.topology)}</figure>
<h2 id="plan-progress">Plan progress</h2>
${progress(model.progress)}
<h2 id="open-decisions">Open decisions</h2>
${decisions(model.decisions)}
</div>`.value;
}

function tally(probes: ProbeRow[]): Html {
  const counts = new Map<string, number>();
  for (const probe of probes) counts.set(probe.status, (counts.get(probe.status) ?? 0) + 1);
  return html`<span class="pb-tally">${[...counts].map(([state, count]) => html`<span class="pb-badge pb-badge--${state}">${count} ${label(state as Shown)}</span> `)}</span>`;
}

function probeCard(probe: ProbeRow, model: DashboardModel): Html {
  const state = probe.stale ? 'stale' : probe.status;
  const ageMs = probe.lastRun ? model.now.getTime() - Date.parse(probe.lastRun) : undefined;
  return html`<article class="pb-probe" id="${probeAnchor(probe.id)}" data-probe="${probe.id}" data-status="${probe.status}" data-state="${state}" data-last-run="${probe.lastRun}">
<header class="pb-probe__head"><code>${probe.id}</code> <span class="pb-badge pb-badge--${probe.status}" data-status-badge>${label(probe.status)}</span> <span class="pb-badge pb-badge--stale" data-stale-badge${probe.stale ? '' : html` hidden`}>stale</span></header>
${probe.summary ? html`<p class="pb-probe__summary">${probe.summary}</p>` : html`<p class="pb-probe__summary pb-muted">No evidence yet: run <code>npm run refresh-docs</code>.</p>`}
<dl class="pb-probe__facts">
${probe.since ? html`<dt>Status since</dt><dd><time datetime="${probe.since}">${formatTime(probe.since)}</time></dd>` : ''}
${probe.lastRun ? html`<dt>Last verified</dt><dd><time datetime="${probe.lastRun}">${formatTime(probe.lastRun)}</time> <span class="pb-muted" data-age>(${formatAge(ageMs!)} before the build)</span></dd>` : ''}
<dt>History${probe.history.length ? ' (UTC)' : ''}</dt><dd>${historyStrip(probe.id, probe.history, model.historyRuns)} <span class="pb-muted">${probe.runs > probe.history.length ? `last ${probe.history.length} of ${probe.runs} runs` : `${probe.runs} run${probe.runs === 1 ? '' : 's'}`}</span></dd>
</dl>
<p class="pb-probe__links">${probe.latestHref ? html`<a href="${probe.latestHref}" data-evidence-link>Latest evidence</a>` : ''}${probe.regions.length ? html`${probe.latestHref ? ' · ' : ''}Shown in ${probe.regions.slice(0, MAX_REGION_LINKS).map((r, i) => html`${i ? ', ' : ''}<a href="${r.href}" data-region-link>${r.label}</a>`)}${probe.regions.length > MAX_REGION_LINKS ? html` and ${probe.regions.length - MAX_REGION_LINKS} more runbook regions` : ''}` : ''}</p>
</article>`;
}

function progress(runbooks: RunbookProgress[]): Html {
  if (!runbooks.length) return html`<p class="pb-muted">No runbook marks plan items with ✅/⚠️/❌ or checkboxes yet.</p>`;
  return html`${runbooks.map(
    (runbook) => html`<h3><a href="${runbook.href}">${runbook.title}</a></h3>
<table class="pb-progress"><thead><tr><th>Phase</th><th>Done</th><th>Progress</th></tr></thead><tbody>
${runbook.phases.map(
  (phase) => html`<tr data-phase="${phase.heading}" data-done="${phase.done}" data-total="${phase.marked}"><td><a href="${phase.href}">${phase.heading}</a></td><td>${phase.done} of ${phase.marked}${phase.unmarked ? html` <span class="pb-muted">(+${phase.unmarked} without a status)</span>` : ''}</td><td><progress max="${Math.max(phase.marked, 1)}" value="${phase.done}">${phase.done} of ${phase.marked}</progress></td></tr>`,
)}
</tbody></table>`,
  )}`;
}

function noClients(): Html {
  return html`<p class="pb-muted">No client probe has run yet (${FIRST_CLIENT_PROBES.join(', ')}…).</p>`;
}

function clientTable(model: DashboardModel): Html {
  if (!model.clients.length) return noClients();
  return html`<table class="pb-clients"><thead><tr><th>Client</th><th>Host</th>${MATRIX_ASPECTS.map((a) => html`<th>${a[0]!.toUpperCase() + a.slice(1)}</th>`)}</tr></thead><tbody>
${model.clients.map(
  (row) => html`<tr data-client="${row.client}" data-host="${row.host}"><td>${clientName(row.client)}</td><td>${row.host}</td>${MATRIX_ASPECTS.map((aspect) => {
    const entry = row.cells[aspect];
    if (!entry) return html`<td data-aspect="${aspect}" data-status="none"><span class="pb-muted">not checked</span></td>`;
    const word = entry.status === 'known-limitation' ? 'known limitation' : entry.status;
    return html`<td data-aspect="${aspect}" data-status="${entry.status}"><a class="pb-badge pb-badge--${entry.status}" href="${evidenceUrl(entry.evidence, model.base)}" title="${entry.probe}">${word}</a>${entry.notes.length ? html` <span class="pb-muted">${entry.notes.join('; ')}</span>` : ''}</td>`;
  })}</tr>`,
)}
</tbody></table>`;
}

function decisions(list: OpenDecision[]): Html {
  if (!list.length) return html`<p class="pb-muted">No decision is pending.</p>`;
  return html`<ul class="pb-decisions">${list.map(
    (d) => html`<li data-decision="${d.match}"><strong>${d.href ? html`<a href="${d.href}">${d.match}</a>` : d.match}</strong> <span class="pb-badge pb-badge--warn">pending${d.date ? ` since ${d.date}` : ''}</span>${d.owner ? html` — owner: ${d.owner}` : ''}${d.note ? html`. ${d.note}` : ''}${d.where ? html` <span class="pb-muted">(${d.where})</span>` : ''}</li>`,
  )}</ul>`;
}
