/**
 * Runbooks need no front matter: their title is their first `#` heading.
 *
 * Starlight prints the title as the page's `<h1>`, so the heading is cut out of the
 * body to avoid showing it twice (its text lives on as the title).
 */
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';

export interface TitledBody {
  title: string | undefined;
  body: string;
}

export function extractTitle(markdown: string): TitledBody {
  const tree = fromMarkdown(markdown);
  const heading = tree.children.find((node) => node.type === 'heading' && node.depth === 1);
  const start = heading?.position?.start.offset;
  const end = heading?.position?.end.offset;
  if (!heading || start === undefined || end === undefined) return { title: undefined, body: markdown };
  const title = plainText(heading).trim();
  if (!title) return { title: undefined, body: markdown };
  return { title, body: markdown.slice(0, start) + markdown.slice(end) };
}

function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map(plainText).join('');
  return '';
}
