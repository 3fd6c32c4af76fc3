/**
 * The findings of `traefik.labels`: the kit's builder, plus which hosts a failure breaks the route
 * to (a host is `ok` in the facts only when it has routers and nothing breaks it), and the order
 * they are reported in (by line, so they read top to bottom like the file).
 */
import type { Finding } from '../../model/findings.ts';
import { Findings } from '../kit/findings.ts';

/** The hosts a failure breaks the route to: every one, or those named. */
export type BrokenHosts = 'all' | string[];

export class LabelFindings extends Findings {
  private readonly broken = new Map<Finding, BrokenHosts>();

  /** A failure that breaks the route to `hosts`. */
  breaks(hosts: BrokenHosts, code: string, message: string, line: number): Finding {
    const finding = this.fail(code, message, line);
    this.broken.set(finding, hosts);
    return finding;
  }

  /** Whether some failure breaks the route to `host`. */
  breaksRouteTo(host: string): boolean {
    return [...this.broken].some(([finding, hosts]) => finding.severity === 'fail' && (hosts === 'all' || hosts.includes(host)));
  }

  /** The findings by line; those on one line in the order they were found. */
  byLine(): Finding[] {
    return this.list
      .map((finding, index) => ({ finding, index }))
      .sort((a, b) => (a.finding.line ?? 0) - (b.finding.line ?? 0) || a.index - b.index)
      .map((entry) => entry.finding);
  }
}
