/**
 * `refresh-docs --check` / `--dry-run`: the unified diff of every document that would change (as
 * `git diff` shows it), then `--check`'s unproven claims and its verdict, or `--dry-run`'s count.
 */
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { RefreshReport } from '../../refresh/refresh.ts';
import { problemsText } from './proofs.ts';

export function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, '', '', { context: 3 }).trimEnd();
}

export function diffLines(report: RefreshReport): string[] {
  const rel = (file: string) => path.relative(report.rootDir, file);
  const changed = report.documents.filter((doc) => doc.changed);
  const lines = changed.map((doc) => unifiedDiff(rel(doc.file), doc.before, doc.text));
  const { proof } = report;
  if (report.mode !== 'check' || !proof) {
    lines.push(`refresh-docs --dry-run: ${changed.length} of ${report.documents.length} doc(s) would change; nothing written.`);
    return lines;
  }
  lines.push(...problemsText(proof.problems, report.rootDir));
  lines.push(
    changed.length
      ? `refresh-docs --check: ${changed.length} doc(s) would change: ${changed.map((d) => rel(d.file)).join(', ')}. Run \`npm run refresh-docs\` and commit the result.`
      : `refresh-docs --check: all ${report.documents.length} doc(s) match the evidence.`,
  );
  const checked = `${proof.claims} bound claim(s), ${proof.citations} evidence citation(s), ${proof.chain.entries} index entries`;
  lines.push(
    proof.problems.length
      ? `refresh-docs --check: ${proof.problems.length} unproven claim(s) or evidence problem(s) above (checked ${checked}).`
      : `refresh-docs --check: every claim is proven (checked ${checked}).`,
  );
  return lines;
}
