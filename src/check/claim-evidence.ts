/**
 * Whether the evidence backs a success claim. A claim bound to probes needs, for every one of
 * them, latest evidence that is `pass` — `known-limitation` and `warn` support ⚠️, not ✅ — and
 * (with a maximum age) a latest run recent enough. Claims decided by a config decision, and
 * unbound claims, are not judged here (`--report` lists the unbound ones).
 */
import path from 'node:path';
import type { ProbeView } from '../evidence/history.ts';
import type { Claim } from './claims.ts';
import { relativeTo, type CheckProblem } from './problems.ts';

export interface ClaimEvidenceOptions {
  /** The evidence per probe id (from `probeViews`). */
  views: Map<string, ProbeView>;
  evaluationDir: string;
  /** Workspace root, for the paths in messages. */
  rootDir: string;
  now: Date;
  /** Evidence whose latest run is older than this many hours is stale; 0 or undefined: no age check. */
  maxAgeHours?: number;
}

const HOUR_MS = 3_600_000;

/** The problems of one claim: one per probe that does not back it. */
export function judgeClaim(claim: Claim, options: ClaimEvidenceOptions): CheckProblem[] {
  if (claim.boundBy !== 'marker' && claim.boundBy !== 'config') return [];
  const problems: CheckProblem[] = [];
  const says = `claims ${claim.mark}`;
  const refresh = (id: string) => `run \`npm run refresh-docs -- --only ${id}\` against the gateway and commit the new evidence`;
  for (const id of claim.probes) {
    const view = options.views.get(id);
    const base = { file: claim.file, line: claim.line, probes: [id] };
    if (!view) {
      problems.push({
        ...base,
        code: 'claim.unproven',
        problem: `${says} but there is no evidence for ${id}`,
        fix: `${refresh(id)}, or remove the claim`,
      });
      continue;
    }
    const evidence = relativeTo(options.rootDir, path.join(options.evaluationDir, view.evidence));
    if (view.status !== 'pass') {
      const why = view.status === 'known-limitation' ? 'a known limitation backs ⚠️, not ✅' : `${id} does not pass`;
      problems.push({
        ...base,
        evidence: view.evidence,
        code: 'claim.unproven',
        problem: `${says} but the latest ${id} evidence is ${view.status} since ${view.since.slice(0, 10)} (${oneLine(view.summary)}; ${evidence}): ${why}`,
        fix:
          view.status === 'known-limitation' || view.status === 'warn'
            ? 'run `npm run refresh-docs -- --offline` to write the status the evidence supports, and commit it'
            : `fix what ${id} reports and refresh, or run \`npm run refresh-docs -- --offline\` to write the item's real status, and commit it`,
      });
      continue;
    }
    const maxAge = options.maxAgeHours ?? 0;
    const ageMs = options.now.getTime() - Date.parse(view.lastRun);
    if (maxAge > 0 && ageMs > maxAge * HOUR_MS) {
      problems.push({
        ...base,
        evidence: view.evidence,
        code: 'claim.stale',
        problem: `${says} on ${id} evidence whose latest run is ${view.lastRun} (${Math.floor(ageMs / HOUR_MS)} h ago; check.maxAgeHours is ${maxAge}; ${evidence})`,
        fix: refresh(id),
      });
    }
  }
  return problems;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
