/**
 * The `plan.summary` region: per phase (the nearest heading above each bound item), how many
 * items the evidence (or a decision) shows as done. Drawn from the same document's items, so
 * it always agrees with the marks next to them.
 */
import type { RootContent } from 'mdast';
import { table } from '../probes/kit/render/table.ts';
import type { ItemReport } from './plan-items.ts';
import type { Heading } from './structure.ts';

export const PLAN_SUMMARY = 'plan.summary';

const MARK: Record<string, string> = { pass: '✅', warn: '⚠️', fail: '❌', pending: '⚠️' };

export function renderPlanSummary(items: ItemReport[], headings: Heading[]): RootContent[] {
  if (!items.length) {
    return [{ type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: 'No plan items are bound to probes or decisions yet.' }] }] }];
  }
  const phases = new Map<string, ItemReport[]>();
  for (const item of items) {
    const heading = headings.filter((h) => h.at < item.at && h.depth > 1).at(-1);
    const name = heading?.text ?? '(before the first heading)';
    phases.set(name, [...(phases.get(name) ?? []), item]);
  }
  const worst = (list: ItemReport[]) =>
    list.some((i) => i.state === 'fail') ? 'fail' : list.some((i) => i.state === 'warn') ? 'warn' : list.some((i) => i.state === 'pending') ? 'pending' : 'pass';
  const rows = [...phases].map(([name, list]) => {
    const done = list.filter((i) => i.state === 'pass').length;
    return [name, `${done} / ${list.length}`, `${MARK[worst(list)]} ${worst(list)}`];
  });
  const done = items.filter((i) => i.state === 'pass').length;
  return [
    { type: 'paragraph', children: [{ type: 'text', value: `${done} of ${items.length} bound item(s) proven by evidence or decided.` }] },
    table(['Phase', 'Done', 'Worst'], rows, ['left', 'right', 'left']),
  ];
}
