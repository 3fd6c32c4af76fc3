/**
 * Plan progress per phase: for each `###` section of a runbook that uses status marks, how
 * many of its items are done. The rule is deliberately plain, so a reader can recount it:
 * - an item is *marked* when it has a checkbox or a status emoji (✅ ⚠️ ❌ …) in its own text;
 * - it is *done* when the box is ticked or its first status emoji is ✅/✔;
 * - an item without a mark counts as *unmarked*, except a group item that only holds a
 *   nested list (its children are counted instead);
 * - generated regions are not plan text and are skipped.
 */
import type { ItemMark } from '../runbook-digest.ts';
import { pageHref, pageRegions, type OutlinedPage } from './pages.ts';

export { itemMark } from '../runbook-digest.ts';

export interface PhaseProgress {
  heading: string;
  href: string;
  done: number;
  marked: number;
  unmarked: number;
}

export interface RunbookProgress {
  title: string;
  href: string;
  phases: PhaseProgress[];
}

type Mark = ItemMark;

export function planProgress(pages: OutlinedPage[], base: string): RunbookProgress[] {
  const result: RunbookProgress[] = [];
  for (const page of pages) {
    // malformed regions: refresh-docs reports them; count everything here
    const skip: [number, number][] = (pageRegions(page) ?? []).map((r) => [r.markerStart, r.contentEnd]);
    const items = page.items.filter(({ offset }) => !skip.some(([a, b]) => offset >= a && offset < b));
    if (!items.some((i) => i.mark === 'done' || i.mark === 'open')) continue;

    const phases: PhaseProgress[] = [];
    page.outline.forEach((heading, index) => {
      if (heading.depth !== 3) return;
      const next = page.outline.slice(index + 1).find((h) => h.depth <= 3);
      const end = next?.offset ?? Infinity;
      const inside = items.filter((i) => i.offset > heading.offset && i.offset < end);
      const count = (mark: Mark) => inside.filter((i) => i.mark === mark).length;
      const done = count('done');
      const marked = done + count('open');
      const unmarked = count('unmarked');
      if (marked + unmarked) phases.push({ heading: heading.text, href: pageHref(base, page, heading), done, marked, unmarked });
    });
    if (phases.length) result.push({ title: page.title, href: pageHref(base, page), phases });
  }
  return result;
}
