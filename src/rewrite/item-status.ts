/**
 * The status of a bound plan item (from its probes' evidence, or from a decision in the
 * config). The short Markdown phrases that show it are status-phrases.ts's.
 */
import type { ProbeView } from '../evidence/history.ts';
import { worstBy } from '../model/status.ts';
import { NO_EVIDENCE_YET } from './status-phrases.ts';

export type ItemState = 'pass' | 'warn' | 'fail' | 'pending';

export interface ItemStatus {
  state: ItemState;
  /** YYYY-MM-DD the state began, when known. */
  date?: string;
  /** Why, in a few words (a probe summary or a decision note). */
  reason?: string;
  /** Evidence file relative to the evaluation folder. */
  evidence?: string;
  /** For decisions: who owns it. */
  owner?: string;
  kind: 'probe' | 'decision';
  /** A warn that is the documented, accepted limitation (`known-limitation` evidence). */
  limitation?: boolean;
}

export interface Decision {
  match: string;
  state: 'pending' | 'approved' | 'done' | 'rejected';
  owner?: string;
  date?: string;
  note?: string;
}

/** An item bound to several probes takes the worst status; no evidence at all is pending. */
export function statusFromProbes(probes: string[], views: Map<string, ProbeView>): ItemStatus {
  const found = probes.map((id) => views.get(id));
  if (found.some((v) => !v)) {
    const missing = probes.filter((id) => !views.get(id));
    return { state: 'pending', reason: `${NO_EVIDENCE_YET} ${missing.join(', ')}`, kind: 'probe' };
  }
  const list = found as ProbeView[];
  const worst = worstBy(list, (view) => view.status)!;
  // The combined state began when the most recent of its probes' states began.
  const since = list.map((v) => v.since).sort().at(-1)!;
  const state: ItemState =
    worst.status === 'pass' ? 'pass' : worst.status === 'warn' || worst.status === 'known-limitation' ? 'warn' : worst.status === 'skip' ? 'pending' : 'fail';
  const reason = worst.status === 'error' ? `probe error: ${worst.summary}` : worst.summary;
  return { state, date: since.slice(0, 10), reason, evidence: worst.evidence, kind: 'probe', ...(worst.status === 'known-limitation' ? { limitation: true } : {}) };
}

export function statusFromDecision(decision: Decision): ItemStatus {
  const state: ItemState = decision.state === 'rejected' ? 'fail' : decision.state === 'pending' ? 'pending' : 'pass';
  return { state, date: decision.date, reason: decision.note, owner: decision.owner, kind: 'decision' };
}
