/**
 * Which Markdown parser reads a runbook's structure on the cold path (no structure cache: a CI
 * clone, a first refresh). remark (micromark + GFM) is the reference; satteri, Astro's Rust
 * Markdown engine, builds the same mdast many times faster. Where the two trees differ in a way
 * the structure reads, the fast tree is normalised to remark's shape here, or the document is
 * left to remark; differential tests (tests/unit/rewrite/differential*.test.ts) prove the
 * structures equal.
 *
 * satteri is a native module: when it cannot be loaded (an unsupported platform, a broken
 * install) every parse falls back to remark, with the same results, only slower.
 */
import { createRequire } from 'node:module';
import type { ListItem, Nodes, Root } from 'mdast';
import { InputError } from '../formats/input-error.ts';
import { nestingMessage, tooDeep } from '../markdown/nesting.ts';
import { maskFrontMatter, parseMarkdown } from './regions.ts';

/** Parses a document's text (without a BOM) into mdast with UTF-16 offsets, as micromark does. */
export type ParseMarkdown = (text: string) => Root;

/** What the fast engine needs from satteri. */
export interface SatteriModule {
  markdownToMdast(source: string, options?: { features?: Record<string, unknown>; position?: boolean }): unknown;
}

export type EngineName = 'remark' | 'satteri';

/** satteri with what remark-gfm reads and nothing more: front matter is masked as for remark. */
const SATTERI_FEATURES = { gfm: { footnotes: true }, frontmatter: false, math: false, smartPunctuation: false };

const requireFromHere = createRequire(import.meta.url);
const loadSatteri = (): SatteriModule => requireFromHere('satteri') as SatteriModule;

/** A parser over satteri, or undefined when it cannot be loaded (or does not work). */
export function satteriParser(load: () => SatteriModule = loadSatteri): ParseMarkdown | undefined {
  let satteri: SatteriModule;
  try {
    satteri = load();
    // A module that loads but whose native part does not run is as good as missing.
    satteri.markdownToMdast('- [x] a\n', { features: SATTERI_FEATURES });
  } catch {
    return undefined;
  }
  return (text) => {
    if (remarkNeeded(text)) return parseMarkdown(text);
    const deep = tooDeep(text);
    if (deep) throw new InputError('(markdown)', deep.line, 1, nestingMessage(deep.depth));
    const tree = satteri.markdownToMdast(maskFrontMatter(text), { features: SATTERI_FEATURES, position: true }) as Root;
    return normaliseSatteriTree(tree, text);
  };
}

/** A line ending as CommonMark reads it (CR, LF or CRLF), and a line's end. */
const EOL = String.raw`(?:\r\n?|\n)`;
const END = String.raw`(?=[\r\n]|$)`;
const matches = (source: string, flags = '') => {
  const pattern = new RegExp(source, flags);
  return (text: string) => pattern.test(text);
};
const hasTaskCheck = matches(String.raw`\[[ xX]\]`);

/**
 * Text where satteri and remark are known to build different trees (each found by the
 * differential test): such a document is read by remark, the reference. Each test is
 * deliberately wider than the difference it covers; real runbooks rarely meet any of them.
 */
const SATTERI_DIVERGES: { test: (text: string) => boolean; why: string }[] = [
  // satteri's autolink literal swallows a `|` right after it, so a table row splits elsewhere.
  { test: matches(String.raw`(?:https?:\/\/|www\.|@)[^\s|]*\|`, 'i'), why: 'a bare URL or e-mail address directly followed by a pipe' },
  // Beside `*`, `_` and `~`, satteri reads punctuation and symbols outside the BMP (🚀, 👩) as
  // punctuation, as CommonMark says; micromark reads their surrogates, so as letters. Only a run
  // with such a character on one side and text on the other can open or close differently (at
  // a line's start or end, or next to a space, both agree).
  { test: delimiterBesideAstralPunctuation, why: '`*`, `_` or `~` between astral punctuation and text' },
  // satteri counts an escaped delimiter into the run after it (`\**b**` is `*` + emphasis in micromark).
  { test: matches(String.raw`\\[*_~][*_~]`), why: 'an escaped `*`, `_` or `~` before another' },
  // A line that is only an HTML tag (CommonMark's kind 7: `<span>`, `</a>`) ends a table in
  // micromark; satteri reads it as another row. Any tag line right after a line with a pipe.
  { test: matches(String.raw`\|[^\r\n]*${EOL}[ \t>]*<\/?[A-Za-z][^\r\n]*>[ \t]*${END}`), why: 'a table row followed by a line of HTML' },
  // A task item whose check ends its line (`- [ ]  ⏎`): micromark may read a hard break there.
  { test: matches(String.raw`\[[ xX]\][ \t]*${END}`), why: 'a task check at the end of its line' },
  // A task paragraph underlined as a setext heading (`- [ ] a⏎  -`): micromark makes a heading
  // whose text keeps the check; satteri a task item. Any task check with an indented underline.
  { test: (text) => hasTaskCheck(text) && /^(?:[ \t]+|[ \t]*>[ \t>]*)(?:-+|=+)[ \t]*$/m.test(text), why: 'a task check and an indented setext underline' },
  // After an empty list item (`1. ` alone), micromark may read a later `1. - ` as text.
  { test: matches(String.raw`^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]*$`, 'm'), why: 'an empty list item' },
  // Indented code right after a heading, a thematic break, a fence or HTML (after a list or
  // quote): micromark may then refuse a list that follows (`10. x` reads as text).
  { test: matches(String.raw`^ {0,3}(?:#|[-*_=]{3}|\x60{3}|~{3}|<)[^\r\n]*${EOL}(?: {4}|\t)`, 'm'), why: 'indented code right after a heading, break, fence or HTML' },
  // A table's delimiter row whose header is a lazy line (`- a⏎b⏎  |---|`, `> a⏎b⏎> |---|`):
  // micromark makes a table of the lazy line; satteri keeps it in the paragraph.
  { test: delimiterRowUnderOtherPrefix, why: 'a table delimiter row under a line with another indentation or quote prefix' },
  // A list item of only pipes and dashes (`-  |`) under a paragraph: satteri tries it as a
  // table's delimiter row and splits the paragraph above.
  { test: matches(String.raw`^[ \t>]*[-*+][ \t]+[ \t:|-]*\|[ \t:|-]*$`, 'm'), why: 'a list item that looks like a table delimiter row' },
  // A tab after a quote or list marker (`  - ⇥[ ] a`): the engines count its columns differently.
  { test: matches(String.raw`^[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?:[ >]|[-*+]|\d{1,9}[.)])*\t`, 'm'), why: 'a tab after a quote or list marker' },
  // A run of four or more `*` beside a `_` (`_x_****b**`): satteri pairs it differently.
  { test: matches(String.raw`[_~]\*{4,}|\*{4,}[_~]|[*~]_{4,}|_{4,}[*~]`), why: 'four or more `*` or `_` beside the other' },
  // micromark reads NUL as U+FFFD; satteri keeps it.
  { test: (text) => text.includes('\0'), why: 'a NUL character' },
];

const PUNCTUATION = /^[\p{P}\p{S}]$/u;
const DELIMITER = new Set(['*', '_', '~']);
const SPACE = /\s/;

/**
 * Whether a run of `*`, `_` or `~` has punctuation or a symbol outside the BMP on one side and
 * text (not a space, not the same mark) on the other. Astral characters are rare: found by
 * their high surrogate, then looked at one by one.
 */
function delimiterBesideAstralPunctuation(text: string): boolean {
  const highSurrogate = /[\uD800-\uDBFF]/g;
  for (let found = highSurrogate.exec(text); found; found = highSurrogate.exec(text)) {
    const at = found.index;
    const char = String.fromCodePoint(text.codePointAt(at)!);
    if (!PUNCTUATION.test(char)) continue;
    const before = text[at - 1];
    if (before && DELIMITER.has(before)) {
      let start = at - 1;
      while (text[start - 1] === before) start--;
      const other = text[start - 1];
      if (other !== undefined && !SPACE.test(other)) return true;
    }
    const after = text[at + char.length];
    if (after && DELIMITER.has(after)) {
      let end = at + char.length;
      while (text[end] === after) end++;
      const other = text[end];
      if (other !== undefined && !SPACE.test(other)) return true;
    }
  }
  return false;
}

/** The rest of a line that may be a table's delimiter row, from its first `|`, `:` or `-`. */
const DELIMITER_ROW_REST = /[|: \t-]*/y;

/** Whether a line that may be a table's delimiter row has another container prefix than the line above. */
function delimiterRowUnderOtherPrefix(text: string): boolean {
  // Lines end at LF; at CR too when there is one (CR alone is a line ending in Markdown).
  const lineEnd = text.includes('\r') ? /\r\n?|\n/g : /\n/g;
  let abovePrefix: string | undefined;
  for (let lineStart = 0; ; ) {
    let at = lineStart;
    while (text[at] === ' ' || text[at] === '\t' || text[at] === '>') at++;
    const prefix = text.slice(lineStart, at);
    const first = text[at];
    if (abovePrefix !== undefined && prefix !== abovePrefix && (first === '|' || first === ':' || first === '-')) {
      DELIMITER_ROW_REST.lastIndex = at;
      const row = DELIMITER_ROW_REST.exec(text)![0];
      const after = text[at + row.length];
      if ((after === undefined || after === '\n' || after === '\r') && row.includes('-') && /[|:]/.test(row)) return true;
    }
    abovePrefix = prefix;
    lineEnd.lastIndex = at;
    const end = lineEnd.exec(text);
    if (!end) return false;
    lineStart = end.index + end[0].length;
  }
}

/** Why remark reads this text rather than satteri (undefined: satteri may). */
export function remarkNeeded(text: string): string | undefined {
  return SATTERI_DIVERGES.find(({ test }) => test(text))?.why;
}

/**
 * Makes a satteri tree read like remark's where the structure looks. Each difference is one the
 * differential test found; documents with differences not normalised here are read by remark
 * (SATTERI_DIVERGES).
 */
export function normaliseSatteriTree(tree: Root, text: string): Root {
  /** Returns whether the node's end moved back (its container's end follows it). */
  const visit = (node: Nodes): boolean => {
    if (node.type === 'listItem' && typeof node.checked === 'boolean') taskParagraphStart(node, text);
    if (node.type === 'html') return trimHtmlLineEnding(node, text);
    if (!('children' in node) || node.children.length === 0) return false;
    let lastMoved = false;
    for (const child of node.children) lastMoved = visit(child as Nodes);
    const last = node.children.at(-1)!;
    if (!lastMoved || !CONTAINERS.has(node.type) || !node.position || !last.position) return false;
    if (node.position.end.offset! <= last.position.end.offset!) return false;
    node.position.end = { ...last.position.end };
    return true;
  };
  visit(tree);
  return tree;
}

const CONTAINERS = new Set(['list', 'listItem', 'blockquote']);

/**
 * An HTML block that ends a list item right before the next item (`- <!-- x -->⏎- y`): satteri
 * keeps the line ending in the node (and stretches the item over the next item's marker);
 * remark ends both at the HTML's last character.
 */
function trimHtmlLineEnding(node: Nodes & { type: 'html' }, text: string): boolean {
  const ending = /(?:\r\n|\r|\n)+$/.exec(node.value)?.[0];
  if (!ending || !node.position) return false;
  node.value = node.value.slice(0, -ending.length);
  node.position.end = pointAt(text, node.position.end.offset! - ending.length, node.position.start);
  return true;
}

/** The unist point of an offset, counting lines from a known earlier point. */
function pointAt(text: string, offset: number, from: { line: number; offset?: number }): { line: number; column: number; offset: number } {
  let line = from.line;
  for (let at = text.indexOf('\n', from.offset!); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return { line, column: offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1, offset };
}

/**
 * Where remark starts a task item's paragraph: the check is part of the paragraph, and
 * remark-gfm moves the start past `[x] ` only when text follows the check (then the text starts
 * after the one space or tab that ends the check); when bold, code, a link or HTML follows, the
 * paragraph starts at the check's `[`. satteri always starts it at the content.
 */
function taskParagraphStart(item: ListItem, text: string): void {
  const paragraph = item.children[0];
  if (paragraph?.type !== 'paragraph' || !paragraph.position || !item.position) return;
  const from = item.position.start.offset!;
  const to = paragraph.position.start.offset!;
  const before = text.slice(from, to);
  const box = before.lastIndexOf(']');
  if (box < 2 || !/\[[ xX]\]$/.test(before.slice(0, box + 1))) return;
  const afterCheck = from + box + 1; // the space or tab that ends the check
  const head = paragraph.children[0];
  const textFollows = head?.type === 'text' || (head?.position?.start.offset ?? afterCheck + 1) > afterCheck + 1;
  const offset = textFollows ? afterCheck + 1 : from + box - 2;
  if (offset === to) return;
  paragraph.position.start = pointAt(text, offset, item.position.start);
}

let active: { name: EngineName; parse: ParseMarkdown } | undefined;

/** The parser for cold reads: satteri when it loads, remark otherwise (chosen once). */
export function markdownEngine(): { name: EngineName; parse: ParseMarkdown } {
  if (!active) {
    const fast = satteriParser();
    active = fast ? { name: 'satteri', parse: fast } : { name: 'remark', parse: parseMarkdown };
  }
  return active;
}

/** Parses with the active engine. */
export const parseFast: ParseMarkdown = (text) => markdownEngine().parse(text);

/**
 * Chooses the engine: `remark` (the reference), `satteri` (falls back to remark when it cannot
 * load, as in normal use), or a loader (tests inject a failing one). For the bench and tests.
 */
export function useMarkdownEngine(choice: EngineName | (() => SatteriModule)): EngineName {
  if (choice === 'remark') {
    active = { name: 'remark', parse: parseMarkdown };
  } else {
    const fast = satteriParser(choice === 'satteri' ? undefined : choice);
    active = fast ? { name: 'satteri', parse: fast } : { name: 'remark', parse: parseMarkdown };
  }
  return active.name;
}
