/**
 * One findings builder for every probe, instead of an `add(severity, code, …)` closure in each:
 * `findings.fail(code, message, at)`, then `findings.status()`. Every finding it builds has the
 * same shape and field order (severity, code, file, line, column, message), so evidence stays
 * stable whichever probe wrote it.
 */
import { statusOf, type Finding, type FindingSeverity } from '../../model/findings.ts';
import type { ProbeStatus } from '../../model/status.ts';
import { summarizeFindings } from './checks.ts';

/** Where a finding points: a line number, or a position (and a file other than the builder's). */
export type FindingAt = number | { file?: string; line?: number; column?: number };

export class Findings {
  /** The findings so far, in the order they were found (this array, not a copy). */
  readonly list: Finding[] = [];

  /** The file every finding points into, unless one says otherwise. */
  private readonly file: string | undefined;

  constructor(file?: string) {
    this.file = file;
  }

  add(severity: FindingSeverity, code: string, message: string, at?: FindingAt): Finding {
    const { file = this.file, line, column } = typeof at === 'number' ? { line: at } : (at ?? {});
    const finding: Finding = {
      severity,
      code,
      ...(file !== undefined ? { file } : {}),
      ...(line ? { line } : {}),
      ...(column ? { column } : {}),
      message,
    };
    this.list.push(finding);
    return finding;
  }

  fail(code: string, message: string, at?: FindingAt): Finding {
    return this.add('fail', code, message, at);
  }

  warn(code: string, message: string, at?: FindingAt): Finding {
    return this.add('warn', code, message, at);
  }

  info(code: string, message: string, at?: FindingAt): Finding {
    return this.add('info', code, message, at);
  }

  /** Adds findings made elsewhere (e.g. one host's, once they are judged). */
  push(...findings: Finding[]): void {
    this.list.push(...findings);
  }

  status(): ProbeStatus {
    return statusOf(this.list);
  }

  /** One summary line: `passSummary` when nothing failed or warned, else the counts and the first findings. */
  summary(passSummary: string, limit?: number): string {
    return summarizeFindings(this.list, passSummary, limit);
  }
}
