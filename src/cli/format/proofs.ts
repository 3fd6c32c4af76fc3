/**
 * How refresh-docs prints the proof checks: `--check` problems and the `--report` of success
 * claims, as text lines or as the JSON the README documents.
 */
import type { Claim } from '../../check/claims.ts';
import type { ClaimsReport } from '../../check/proof-check.ts';
import { formatProblem, relativeTo, reportedProblem, type CheckProblem, type ReportedProblem } from '../../check/problems.ts';

/** A claim in `--report --json`: the file relative to the workspace. */
export interface ReportedClaim {
  file: string;
  line: number;
  text: string;
  mark: string;
  kind: Claim['kind'];
  boundBy?: Claim['boundBy'];
  probes: string[];
}

/** `refresh-docs --report --json`. Stable: fields are only ever added. */
export interface ClaimsReportJson {
  /** Success claims no probe or decision backs: hand-made. */
  unbound: ReportedClaim[];
  /** Success claims bound to probes (by marker or config) or decided by a config decision. */
  bound: ReportedClaim[];
  exitCode: number;
}

export function claimsReportJson(report: ClaimsReport, rootDir: string, exitCode: number): ClaimsReportJson {
  const shown = (claim: Claim): ReportedClaim => ({
    file: relativeTo(rootDir, claim.file),
    line: claim.line,
    text: claim.text,
    mark: claim.mark,
    kind: claim.kind,
    ...(claim.boundBy ? { boundBy: claim.boundBy } : {}),
    probes: claim.probes,
  });
  return { unbound: report.unbound.map(shown), bound: report.claims.filter((c) => c.boundBy).map(shown), exitCode };
}

export function claimsReportText(report: ClaimsReport, rootDir: string): string[] {
  const lines = report.unbound.map((claim) => `${relativeTo(rootDir, claim.file)}:${claim.line}: ${claim.mark} unbound — ${claim.text}`);
  const bound = report.claims.length - report.unbound.length;
  lines.push(
    `refresh-docs --report: ${report.unbound.length} of ${report.claims.length} success claim(s) are hand-made (bound to no probe or decision); ${bound} bound.` +
      (report.unbound.length ? ' Bind one with `<!-- proof: <probe id> -->` in the item or a `plan.bindings` entry, or reword it.' : ''),
  );
  return lines;
}

export function problemsJson(problems: CheckProblem[], rootDir: string): ReportedProblem[] {
  return problems.map((p) => reportedProblem(p, rootDir));
}

export function problemsText(problems: CheckProblem[], rootDir: string): string[] {
  return problems.map((p) => formatProblem(p, rootDir));
}
