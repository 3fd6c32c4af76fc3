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
  const problems = preview.configCompatibility.filter((f) => f.severity !== 'info').length;
  lines.push(
    problems
      ? `config.yaml: ${problems} thing${problems === 1 ? '' : 's'} to change for LiteLLM ${preview.to}:`
      : `config.yaml: nothing to change for LiteLLM ${preview.to} (every key ${preview.from} reads is still named)`,
  );
  for (const finding of preview.configCompatibility) lines.push(`  ${finding.severity === 'info' ? 'note' : finding.severity}: ${formatFinding(finding)}`);
  lines.push(`evidence: ${evidenceFolder}/ (preview.json; the current evidence and plan items are untouched)`);
  return lines;
}
