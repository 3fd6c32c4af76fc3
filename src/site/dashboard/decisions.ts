/**
 * The open decisions: config `plan.decisions` still pending, each with a link to the plan item
 * it decides (the first list item containing its `match` text, as refresh-docs matches it).
 */
import type { Decision } from '../../rewrite/item-status.ts';
import { headingBefore, pageHref, type OutlinedPage } from './pages.ts';

export interface OpenDecision extends Decision {
  /** Where the item is, when a runbook has it. */
  href?: string;
  where?: string;
}

export function openDecisions(decisions: readonly Decision[], pages: OutlinedPage[], base: string): OpenDecision[] {
  return decisions
    .filter((decision) => decision.state === 'pending')
    .map((decision) => {
      const wanted = decision.match.toLowerCase();
      for (const page of pages) {
        const found = page.items.find((item) => item.text.includes(wanted));
        if (found) {
          const heading = headingBefore(page, found.offset);
          return { ...decision, href: pageHref(base, page, heading), where: heading ? `${page.title} › ${heading.text}` : page.title };
        }
      }
      return { ...decision };
    });
}
