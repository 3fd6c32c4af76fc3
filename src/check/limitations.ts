/**
 * Documented limitations that the evidence no longer shows. A team writes "catalog only: Open WebUI
 * lists the tools but cannot call them" in a runbook; a probe that observes the limitation
 * (`openwebui.invoke` with its `limitation` option) records `facts.limitation.observed`. When the
 * latest evidence says `observed: false` — the call went through — every sentence that states the
 * limitation (`plan.limitations[].match`) is a failing claim: the runbook tells readers something
 * the system no longer does.
 *
 * Generated regions are Proofbook's own text and never judged here.
 */
import path from 'node:path';
import type { ProbeView } from '../evidence/history.ts';
import { limitationFact } from '../evidence/limitation.ts';
import { positionAt } from '../formats/positions.ts';
import { findRegions } from '../rewrite/regions.ts';
import { relativeTo, type CheckProblem } from './problems.ts';

export interface Limitation {
  match: string;
  probes: string[];
  file?: string;
}

export interface LimitationOptions {
  views: Map<string, ProbeView>;
  evaluationDir: string;
  rootDir: string;
}

/** One problem per sentence of `text` that states a limitation a bound probe no longer observes. */
export function judgeLimitations(text: string, file: string, limitations: Limitation[], options: LimitationOptions): CheckProblem[] {
  const applicable = limitations.filter((l) => !l.file || file.split(path.sep).join('/').endsWith(l.file));
  if (!applicable.length) return [];
  const lower = text.toLowerCase();
  const problems: CheckProblem[] = [];
  let regions: { start: number; end: number }[] | undefined;
  for (const limitation of applicable) {
    const contradicted = limitation.probes.flatMap((id) => {
      const view = options.views.get(id);
      const fact = limitationFact(view);
      return view && fact && !fact.observed ? [{ id, view, fact }] : [];
    });
    if (!contradicted.length) continue;
    const needle = limitation.match.toLowerCase();
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
      regions ??= text.includes('proofbook:start') ? findRegions(text, file).map((r) => ({ start: r.markerStart, end: r.contentEnd })) : [];
      if (regions.some((r) => at >= r.start && at < r.end)) continue;
      const { line } = positionAt(text, at);
      for (const { id, view, fact } of contradicted) {
        const evidence = relativeTo(options.rootDir, path.join(options.evaluationDir, view.evidence));
        problems.push({
          code: 'limitation.contradicted',
          file,
          line,
          probes: [id],
          evidence: view.evidence,
          problem: `states the limitation "${limitation.match}", but the latest ${id} evidence no longer observes it (documented: ${fact.documented}; ${evidence})`,
          fix: `reword or remove the limitation in the runbook, and drop it from probes."${id}".limitation; or, if it should still hold, find out why ${id} now succeeds`,
        });
      }
    }
  }
  return problems;
}
