/**
 * The status page's "Upgrade preview" section: the newest stored preview (../../upgrade/), in
 * compact form — each probe that changes as its id and a before → after pair of badges, each badge
 * linking to that run's evidence page; the client cells that change; the config keys the target
 * no longer reads; the unchanged probes in one line. Summaries and finding messages come from
 * gateway responses: they go through `html`, which escapes every interpolated value.
 */
import { clientName } from '../../evidence/client-matrix.ts';
import type { Finding } from '../../model/findings.ts';
import type { ProbeStatus } from '../../model/status.ts';
import { changedCells, previewCommand, unchangedSentence } from '../../render/upgrade-preview.ts';
import type { ProbeChange, ProbeSide, UpgradePreview } from '../../upgrade/preview.ts';
import { evidenceUrl } from '../evidence/build-block.ts';
import { html, type Html } from './html.ts';
import { formatTime, label, mark, type Shown } from './status.ts';

export function upgradeSection(preview: UpgradePreview | undefined, base: string): Html {
  if (!preview) {
    return html`<p class="pb-muted" data-upgrade-preview="none">No upgrade preview yet: <code>${previewCommand()}</code> runs every probe against another LiteLLM version on a second lab.</p>`;
  }
  const changed = preview.probes.filter((probe) => probe.change === 'changed');
  const same = preview.probes.filter((probe) => probe.change === 'same');
  const cells = changedCells(preview.cells);
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  return html`<div class="pb-upgrade" data-upgrade-preview="${preview.to}">
<p>LiteLLM ${preview.from} → <strong>${preview.to}</strong>, previewed <time datetime="${preview.ranAt}">${formatTime(preview.ranAt)}</time> on a second lab (${preview.probes.length} probe${preview.probes.length === 1 ? '' : 's'}, ${changed.length} changed) <span class="pb-muted">— lab up in ${seconds(preview.labUpMs)}, probes in ${seconds(preview.probesMs)}</span></p>
${changed.length ? html`<ul class="pb-upgrade__probes">${changed.map((probe) => probeLine(probe, base))}</ul>` : ''}
${cells.length
  ? html`<table class="pb-upgrade__cells"><thead><tr><th>Client</th><th>Host</th><th>Check</th><th>Before → after</th></tr></thead><tbody>${cells.map(
      (cell) => html`<tr data-upgrade-cell="${`${cell.client}/${cell.host}/${cell.aspect}`}"><td>${clientName(cell.client)}</td><td>${cell.host}</td><td>${cell.aspect}</td><td>${badge(cell.before, cell.evidenceBefore && evidenceUrl(cell.evidenceBefore, base))} → ${badge(cell.after, cell.evidence && evidenceUrl(cell.evidence, base))}</td></tr>`,
    )}</tbody></table>`
  : ''}
${preview.configCompatibility.length
  ? html`<p>What to change in the LiteLLM config for ${preview.to}:</p><ul class="pb-upgrade__compat">${preview.configCompatibility.map(
      (finding) => html`<li data-upgrade-compat><span class="pb-badge pb-badge--${finding.severity === 'info' ? 'pass' : finding.severity}">${finding.severity}</span> ${finding.file ? html`<code>${where(finding)}</code> ` : ''}${finding.message}</li>`,
    )}</ul>`
  : ''}
<p class="pb-muted">${unchangedSentence(same, changed.length, cells.length)}</p>
</div>`;
}

function probeLine(probe: ProbeChange, base: string): Html {
  const what = whatChanged(probe);
  return html`<li data-upgrade-probe="${probe.id}"><code>${probe.id}</code> ${side(probe.before, base, 'before')} → ${side(probe.after, base, 'after')}${what ? html` <span class="pb-muted">${what}</span>` : ''}</li>`;
}

/** A status badge; a link to the run's evidence page when there is one. Status in words, never colour alone. */
function badge(status: ProbeStatus | undefined, href?: string, which?: 'before' | 'after'): Html {
  const state: Shown = status ?? 'none';
  const word = status ? label(state) : 'no run';
  const inner = html`<span aria-hidden="true">${mark(state)}</span> ${word}`;
  const data = which ? html` data-side="${which}"` : '';
  return href ? html`<a class="pb-badge pb-badge--${state}" href="${href}"${data}>${inner}</a>` : html`<span class="pb-badge pb-badge--${state}"${data}>${inner}</span>`;
}

function side(run: ProbeSide | undefined, base: string, which: 'before' | 'after'): Html {
  return badge(run?.status, run && evidenceUrl(run.evidence, base), which);
}

function where(finding: Finding): string {
  return `${finding.file}${finding.line ? `:${finding.line}` : ''}`;
}

function whatChanged(probe: ProbeChange): string {
  const list = (findings: Finding[]) => findings.map((f) => (f.file ? `${where(f)} ${f.message}` : f.message)).join('; ');
  const parts: string[] = [];
  if (probe.cleared.length) parts.push(`clears: ${list(probe.cleared)}`);
  if (probe.added.length) parts.push(`new: ${list(probe.added)}`);
  if (!parts.length && probe.after) parts.push(probe.after.summary);
  return parts.join('; ');
}
