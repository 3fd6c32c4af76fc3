/**
 * Runbooks need no front matter: their title is their first `#` heading.
 *
 * Starlight prints the title as the page's `<h1>`, so the heading is cut out of the
 * body to avoid showing it twice (its text lives on as the title).
 */
import type { Nodes, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';

export interface TitledBody {
  title: string | undefined;
  body: string;
  /** The range of `markdown` cut out to make `body` (the title heading), when one was. */
  cut?: { start: number; end: number };
}

/**
 * `shared`, when given, is the GFM parse of exactly `markdown` (parseMarkdown, as the link
 * check uses it): it saves a second parse whenever it cannot differ from a plain CommonMark
 * parse at the title; otherwise the title comes from a CommonMark parse as always.
 */
export function extractTitle(markdown: string, shared?: Root): TitledBody {
  const heading = (shared && titleFromGfm(shared)) ?? firstH1(fromMarkdown(markdown));
  const start = heading?.position?.start.offset;
  const end = heading?.position?.end.offset;
  if (!heading || start === undefined || end === undefined) return { title: undefined, body: markdown };
  const title = plainText(heading).trim();
  if (!title) return { title: undefined, body: markdown };
  return { title, body: markdown.slice(0, start) + markdown.slice(end), cut: { start, end } };
}

function firstH1(tree: Root): RootContent | undefined {
  return tree.children.find((node) => node.type === 'heading' && node.depth === 1);
}

/**
 * The first `#` heading of a GFM tree, when CommonMark would find the same heading with the
 * same text; undefined to ask for a CommonMark parse: no heading, a table or footnote
 * definition before it (GFM-only blocks that can swallow a heading CommonMark sees), or
 * GFM-only inline syntax in it (strikethrough, footnote calls, bare-URL autolinks).
 */
function titleFromGfm(tree: Root): RootContent | undefined {
  for (const node of tree.children) {
    if (node.type === 'table' || node.type === 'footnoteDefinition') return undefined;
    if (node.type === 'heading' && node.depth === 1) return gfmOnly(node) ? undefined : node;
  }
  return undefined;
}

function gfmOnly(node: Nodes): boolean {
  if (node.type === 'delete' || node.type === 'footnoteReference') return true;
  // GFM autolink literals (a bare URL) are made without a position.
  if (node.type === 'link' && !node.position) return true;
  return 'children' in node && node.children.some(gfmOnly);
}

function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map(plainText).join('');
  return '';
}
