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

/**
 * `extractTitle` without parsing the whole file: parses only the text up to each line that
 * could be a `#` heading (or a setext `===` underline) until one is. Block structure before a
 * line never depends on what follows it, so the prefix parse sees that line as the full parse
 * would — while a long runbook is mostly text after its title.
 */
export function extractTitleFast(markdown: string): TitledBody {
  const candidate = /^ {0,3}(?:#(?:[ \t]|$)|=+[ \t]*$)/gm;
  let tries = 0;
  for (const match of markdown.matchAll(candidate)) {
    // Many `#` lines that are not headings (comments in code, say): one full parse is cheaper.
    if (++tries > 8) return extractTitle(markdown);
    const lineEnd = markdown.indexOf('\n', match.index);
    const prefix = markdown.slice(0, lineEnd === -1 ? markdown.length : lineEnd);
    const titled = extractTitle(prefix);
    if (titled.cut) return { ...titled, body: markdown.slice(0, titled.cut.start) + markdown.slice(titled.cut.end) };
  }
  return { title: undefined, body: markdown };
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
