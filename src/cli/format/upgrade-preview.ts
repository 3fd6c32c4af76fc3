/**
 * The console view of an upgrade preview (src/upgrade/preview.ts): what changes per probe, per
 * client cell, and in `config.yaml`; unchanged probes on one line. `--json` prints the data itself.
 */
import { clientName } from '../../evidence/client-matrix.ts';
import { formatFinding } from '../../model/findings.ts';
import type { UpgradePreview } from '../../upgrade/preview.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function upgradePreviewLines(preview: UpgradePreview, evidenceFolder: string): string[] {
  const changed = preview.probes.filter((p) => p.change === 'changed');
  const same = preview.probes.filter((p) => p.change === 'same');
  const lines = [
    `upgrade preview: LiteLLM ${preview.from} → ${preview.to} (second lab up in ${seconds(preview.labUpMs)}, ${preview.probes.length} probes in ${seconds(preview.probesMs)}): ` +
      `${changed.length} probe${changed.length === 1 ? '' : 's'} change`,
  ];
  const width = Math.max(0, ...changed.map((p) => p.id.length));
  for (const probe of changed) {
    lines.push(`  ${probe.id.padEnd(width)}  ${probe.before?.status ?? '(none)'} → ${probe.after?.status ?? '(did not run)'}`);
    for (const finding of probe.cleared) lines.push(`      cleared: ${formatFinding(finding)}`);
    for (const finding of probe.added) lines.push(`      new:     ${formatFinding(finding)}`);
    if (!probe.cleared.length && !probe.added.length && probe.after) lines.push(`      now: ${probe.after.summary}`);
  }
  if (same.length) lines.push(`  unchanged: ${same.map((p) => p.id).join(', ')}`);
  const cells = preview.cells.filter((c) => c.before !== c.after);
  if (cells.length) {
    lines.push('client matrix cells that change:');
    for (const cell of cells) lines.push(`  ${clientName(cell.client)} × ${cell.host} × ${cell.aspect}: ${cell.before ?? '(none)'} → ${cell.after ?? '(none)'}`);
  }
  const dropped = preview.configCompatibility.filter((f) => f.severity !== 'info');
  lines.push(
    dropped.length
      ? `config.yaml: ${dropped.length} key${dropped.length === 1 ? '' : 's'} LiteLLM ${preview.from} reads that ${preview.to} never names:`
      : `config.yaml: every key LiteLLM ${preview.from} reads is still named by ${preview.to}`,
  );
  for (const finding of preview.configCompatibility) lines.push(`  ${finding.severity === 'info' ? 'note' : finding.severity}: ${formatFinding(finding)}`);
  lines.push(`evidence: ${evidenceFolder}/ (preview.json; the current evidence and plan items are untouched)`);
  return lines;
}
