/** Status words, marks and severities shared by the dashboard's table, strips and topology. */
import type { ProbeStatus } from '../../probes/types.ts';

/** A probe's or a node's state on the dashboard: a probe status, or no evidence at all. */
export type Shown = ProbeStatus | 'none';

const SEVERITY: Record<Shown, number> = { none: -1, pass: 0, skip: 1, 'known-limitation': 1.5, warn: 2, fail: 3, error: 4 };

/** The worst of several states; `none` only when nothing is known. */
export function worst(states: Shown[]): Shown {
  return states.reduce<Shown>((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'none');
}

/** The word on a badge; its colour carries the rest (emoji fonts are not everywhere). */
export function label(state: Shown): string {
  return state === 'none' ? 'no evidence' : state;
}

/** `2026-11-20 10:00 UTC` */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
