/**
 * What a check observed, pointing at the line that causes it, and how a list of them adds up to
 * a status. A finding's severity ranks by the status it stands for (./status.ts), so findings and
 * statuses share one order.
 */
import { STATUS_SEVERITY, worst, type ProbeStatus } from './status.ts';

export type FindingSeverity = 'fail' | 'warn' | 'info';

/** One observation of a static probe, pointing at the line that causes it. */
export interface Finding {
  severity: FindingSeverity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** Short machine-readable code, e.g. `router.missing-host`. */
  code?: string;
}

/** The status a finding of each severity stands for: a fail fails, a warning warns, information passes. */
export const SEVERITY_STATUS: Readonly<Record<FindingSeverity, ProbeStatus>> = { fail: 'fail', warn: 'warn', info: 'pass' };

/** How bad a severity is, in the order of the statuses. */
export function severityRank(severity: FindingSeverity): number {
  return STATUS_SEVERITY[SEVERITY_STATUS[severity]];
}

/** The status a list of findings adds up to: any fail → fail, else any warn → warn, else pass. */
export function statusOf(findings: Finding[]): ProbeStatus {
  return worst(findings.map((f) => SEVERITY_STATUS[f.severity])) ?? 'pass';
}

/** The fails, then the warnings, each in their order; information left out. */
export function failsThenWarnings(findings: Finding[]): Finding[] {
  return [...findings.filter((f) => f.severity === 'fail'), ...findings.filter((f) => f.severity === 'warn')];
}

/** `file:line: message` for summaries and console lines. */
export function formatFinding(finding: Finding): string {
  const position = finding.line ? `:${finding.line}${finding.column ? `:${finding.column}` : ''}` : '';
  const where = finding.file ? `${finding.file}${position}: ` : '';
  return `${where}${finding.message}`;
}
