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

/** The first `#` heading of a CommonMark parse (as Starlight's own title logic would see it). */
export function extractTitle(markdown: string): TitledBody {
  const heading = firstH1(fromMarkdown(markdown));
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

function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map(plainText).join('');
  return '';
}
