/** Status words, marks and severities shared by the dashboard's table, strips and topology. */
import { worst as worstStatus, type ProbeStatus } from '../../model/status.ts';

/** A probe's or a node's state on the dashboard: a probe status, or no evidence at all. */
export type Shown = ProbeStatus | 'none';

/** The worst of several states; `none` only when nothing is known. */
export function worst(states: Shown[]): Shown {
  return worstStatus(states.filter((state): state is ProbeStatus => state !== 'none')) ?? 'none';
}

/** The word on a badge; its colour carries the rest (emoji fonts are not everywhere). */
export function label(state: Shown): string {
  return state === 'none' ? 'no evidence' : state;
}

/** `2026-11-20 10:00 UTC` */
export function formatTime(iso: string): string {
  return `${formatClock(iso)} UTC`;
}

/** `2026-11-20 10:00`, where the zone is said once nearby (the history strip's row says UTC). */
export function formatClock(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/**
 * A mark that differs by shape, not only colour, for the compact grid (text glyphs of common
 * fonts, never emoji, so it looks the same with or without an emoji font).
 */
export function mark(state: Shown): string {
  return { pass: '✓', warn: '!', 'known-limitation': '~', fail: '✗', error: '✗', skip: '–', none: '·' }[state];
}

/** The short word beside the mark in the compact grid. */
export function shortLabel(state: Shown): string {
  return state === 'none' ? 'no runs' : state === 'known-limitation' ? 'limited' : state;
}
