/**
 * Renders the `upgrade.preview` region: what moving LiteLLM to another version would change,
 * from the stored preview (../upgrade/preview.ts) — the newest, or the one its marker names
 * (`<!-- proofbook:start upgrade.preview to=1.110.2 -->`). No heading (the runbook has its own):
 * one line of what was compared, the probes that changed with links to both runs, the client
 * cells that changed, the config keys the target no longer reads, and the unchanged probes in one
 * sentence. Summaries and finding messages come from gateway responses: they are text nodes only,
 * hardened like every region (../markdown/harden.ts).
 *
 * Pure: the previews are read and checked before rendering (../upgrade/read-preview.ts).
 */
import type { PhrasingContent, RootContent } from 'mdast';
import { clientName } from '../evidence/client-matrix.ts';
import type { Finding } from '../model/findings.ts';
import type { ProbeStatus } from '../model/status.ts';
import { evidenceHref, STATUS_MARK, type RegionOptions, type RenderContext } from '../probes/kit/render/status.ts';
import { findingsList, table, type Cell } from '../probes/kit/render/table.ts';
import type { CellChange, ProbeChange, ProbeSide } from '../upgrade/preview.ts';
import { pickPreview, type UpgradePreviews } from '../upgrade/read-preview.ts';

export const UPGRADE_PREVIEW_REGION = 'upgrade.preview';

/** The command that makes a preview, as the region and the dashboard tell it. */
export function previewCommand(version = '<version>'): string {
  return `npm run proofbook -- upgrade-preview --to ${version}`;
}

export function renderUpgradePreview(previews: UpgradePreviews | undefined, context: RenderContext, region: RegionOptions): RootContent[] {
  const version = region.options.to;
  const preview = pickPreview(previews, version);
  if (!preview) return noPreview(version);
  const changed = preview.probes.filter((probe) => probe.change === 'changed');
  const same = preview.probes.filter((probe) => probe.change === 'same');
  const cells = changedCells(preview.cells);
  const nodes: RootContent[] = [
    {
      type: 'paragraph',
      children: [
        {
          type: 'text',
          value: `LiteLLM ${preview.from} → ${preview.to}, previewed ${preview.ranAt.slice(0, 10)} on a second lab (${preview.probes.length} probe${preview.probes.length === 1 ? '' : 's'}, ${changed.length} changed).`,
        },
      ],
    },
  ];
  if (changed.length) {
    nodes.push(
      table(
        ['Probe', 'Before', 'After', 'What clears / what is new', 'Evidence'],
        changed.map((probe): Cell[] => [[{ type: 'inlineCode', value: probe.id }], sideCell(probe.before, 'no run'), sideCell(probe.after, 'did not run'), whatChanged(probe), evidenceCell(probe, context)]),
      ),
    );
  }
  if (cells.length) {
    nodes.push({ type: 'paragraph', children: [{ type: 'text', value: 'Client matrix cells that change:' }] });
    nodes.push(
      table(
        ['Client', 'Host', 'Check', 'Before', 'After'],
        cells.map((cell): Cell[] => [clientName(cell.client), cell.host, cell.aspect, linkedStatus(cell.before, cell.evidenceBefore, 'not checked', context), linkedStatus(cell.after, cell.evidence, 'not checked', context)]),
      ),
    );
  }
  if (preview.configCompatibility.length) {
    nodes.push({ type: 'paragraph', children: [{ type: 'text', value: `What to change in the LiteLLM config for ${preview.to}:` }] });
    nodes.push(...findingsList(preview.configCompatibility));
  }
  nodes.push({ type: 'paragraph', children: [{ type: 'text', value: unchangedSentence(same, changed.length, cells.length) }] });
  return nodes;
}

function noPreview(version: string | undefined): RootContent[] {
  return [
    {
      type: 'paragraph',
      children: [
        {
          type: 'emphasis',
          children: [
            { type: 'text', value: version ? `No upgrade preview of LiteLLM ${version} yet: run ` : 'No upgrade preview yet: run ' },
            { type: 'inlineCode', value: previewCommand(version) },
            { type: 'text', value: ' to run every probe against that version on a second lab.' },
          ],
        },
      ],
    },
  ];
}

/** Cells whose status differs; a cell neither run saw is not a change. */
export function changedCells(cells: CellChange[]): CellChange[] {
  return cells.filter((cell) => cell.before !== cell.after);
}

function statusCell(status: ProbeStatus | undefined, none: string): PhrasingContent[] {
  if (!status) return [{ type: 'text', value: `— ${none}` }];
  return [{ type: 'text', value: `${STATUS_MARK[status]} ${status === 'known-limitation' ? 'known limitation' : status}` }];
}

function sideCell(side: ProbeSide | undefined, none: string): PhrasingContent[] {
  return statusCell(side?.status, none);
}

/** A cell's status on one side, linked to the run it was read from (the current one, or the preview's). */
function linkedStatus(status: ProbeStatus | undefined, evidence: string | undefined, none: string, context: RenderContext): PhrasingContent[] {
  const shown = statusCell(status, none);
  if (!status || !evidence) return shown;
  return [{ type: 'link', url: evidenceHref(context, evidence), children: shown }];
}

/** The findings that clear and the new ones; the summaries when only the status moved. */
function whatChanged(probe: ProbeChange): PhrasingContent[] {
  const parts: PhrasingContent[][] = [];
  if (probe.cleared.length) parts.push([{ type: 'text', value: 'clears: ' }, ...findingsText(probe.cleared)]);
  if (probe.added.length) parts.push([{ type: 'text', value: 'new: ' }, ...findingsText(probe.added)]);
  if (!parts.length) {
    if (probe.before) parts.push([{ type: 'text', value: `was: ${probe.before.summary}` }]);
    if (probe.after) parts.push([{ type: 'text', value: `now: ${probe.after.summary}` }]);
  }
  return parts.flatMap((part, i) => [...(i ? [{ type: 'text' as const, value: '; ' }] : []), ...part]);
}

function findingsText(findings: Finding[]): PhrasingContent[] {
  return findings.flatMap((finding, i): PhrasingContent[] => [
    ...(i ? [{ type: 'text' as const, value: '; ' }] : []),
    ...(finding.file ? [{ type: 'inlineCode' as const, value: `${finding.file}${finding.line ? `:${finding.line}` : ''}` }, { type: 'text' as const, value: ' ' }] : []),
    { type: 'text', value: finding.message },
  ]);
}

function evidenceCell(probe: ProbeChange, context: RenderContext): PhrasingContent[] {
  const links: PhrasingContent[] = [];
  if (probe.before) links.push({ type: 'link', url: evidenceHref(context, probe.before.evidence), children: [{ type: 'text', value: 'before' }] });
  if (probe.after) links.push(...(links.length ? [{ type: 'text' as const, value: ' · ' }] : []), { type: 'link', url: evidenceHref(context, probe.after.evidence), children: [{ type: 'text', value: 'after' }] });
  return links.length ? links : [{ type: 'text', value: '—' }];
}

/** The probes that did not change, in one sentence (the region's last line, the dashboard's too). */
export function unchangedSentence(same: ProbeChange[], changedProbes: number, changedCells: number): string {
  if (!same.length) return changedProbes ? 'Every probe changes.' : 'No probe ran on both labs.';
  const ids = same.map((probe) => probe.id).join(', ');
  const cells = changedCells ? '' : ' and every client-matrix cell';
  if (same.length === 1) return `No change in ${ids}${cells}.`;
  return `No change in ${changedProbes ? 'the other' : 'any of the'} ${same.length} probes${cells}: ${ids}.`;
}

/** The preview's date for the document's `Last Updated` (what the region shows is as old as the preview). */
export function previewDate(previews: UpgradePreviews | undefined, region: RegionOptions): string | undefined {
  return pickPreview(previews, region.options.to)?.ranAt.slice(0, 10);
}
