/**
 * The open decisions: config `plan.decisions` still pending, each with a link to the plan item
 * it decides (the first list item containing its `match` text, as refresh-docs matches it).
 */
import type { ListItem } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
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
        let found: ListItem | undefined;
        visit(page.tree, 'listItem', (item: ListItem) => {
          const first = item.children[0];
          if (!found && first && toString(first, { includeHtml: false }).toLowerCase().includes(wanted)) found = item;
        });
        if (found) {
          const heading = headingBefore(page, found.position!.start.offset!);
          return { ...decision, href: pageHref(base, page, heading), where: heading ? `${page.title} › ${heading.text}` : page.title };
        }
      }
      return { ...decision };
    });
}
