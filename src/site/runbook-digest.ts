/**
 * What the site needs to know about a runbook's Markdown structure, distilled from one parse:
 * its links (for the link check), its headings, list items with their status
 * marks (plan progress, decisions) and its generated regions (dashboard links).
 *
 * A digest is small and plain, so no mdast tree is kept for the build: on a large site, holding
 * every tree cost more in garbage collection than the parse itself. The site takes it from the
 * tree Astro renders the page from (./digest-plugin.ts); `digestMarkdown` parses with remark when
 * there is no such tree (tests, another Markdown processor).
 */
import type { Definition, Heading, Image, Link, ListItem, Root, Text } from 'mdast';
import type { Node } from 'unist';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { findRegionsInTree, parseMarkdown, type Region } from '../rewrite/regions.ts';
import { STATUS_EMOJI_PATTERN, stateOfEmoji } from '../rewrite/status-phrases.ts';

export type ItemMark = 'done' | 'open' | 'unmarked' | 'group';

export interface DigestLink {
  url: string;
  line: number;
  column: number;
  /** An image (`![alt](path)`): Astro bundles the file, so it must exist, wherever it is. */
  image?: true;
}

export interface DigestHeading {
  depth: number;
  text: string;
  /** Offset in the digested text. */
  offset: number;
}

export interface DigestItem {
  offset: number;
  mark: ItemMark;
  /** Plain text of the item's first block, lower-cased (decisions match against it). */
  text: string;
}

export interface RunbookDigest {
  /** Links, definitions and images, with the line numbers of the digested text. */
  links: DigestLink[];
  headings: DigestHeading[];
  items: DigestItem[];
  /** Generated regions; undefined when a marker is malformed (refresh-docs reports that). */
  regions: Region[] | undefined;
}

/** The digest of a Markdown text, from a remark parse of it. */
export function digestMarkdown(file: string, text: string): RunbookDigest {
  return digestTree(parseMarkdown(text), file, text);
}

/**
 * The digest of a parsed runbook (any mdast with positions, e.g. the tree Astro's Markdown
 * processor parsed to render the page).
 */
export function digestTree(tree: Root, file: string, text: string): RunbookDigest {
  return { links: linksOf(tree), headings: headingsOf(tree), items: itemsOf(tree), regions: regionsOf(tree, file, text) };
}

function linksOf(tree: Root): DigestLink[] {
  const links: DigestLink[] = [];
  visit(tree, (node, _index, parent) => {
    if (node.type === 'link' || node.type === 'definition' || node.type === 'image') links.push(digestLink(node, parent));
  });
  return links;
}

function headingsOf(tree: Root): DigestHeading[] {
  const headings: DigestHeading[] = [];
  visit(tree, 'heading', (node) => {
    headings.push(digestHeading(node));
  });
  return headings;
}

function itemsOf(tree: Root): DigestItem[] {
  const items: DigestItem[] = [];
  visit(tree, 'listItem', (item: ListItem) => {
    items.push(digestItem(item));
  });
  return items;
}

/** One link, definition or image; a GFM autolink literal (made without a position) takes its parent's. */
export function digestLink(node: Link | Definition | Image, parent: { position?: Node['position'] } | undefined): DigestLink {
  const { line, column } = (node.position ?? parent?.position ?? { start: { line: 1, column: 1 } }).start;
  return { url: node.url, line, column, ...(node.type === 'image' ? { image: true as const } : {}) };
}

export function digestHeading(node: Heading): DigestHeading {
  return { depth: node.depth, text: toString(node), offset: node.position!.start.offset! };
}

export function digestItem(item: ListItem): DigestItem {
  const first = item.children[0];
  // One walk for both texts (a big site has tens of thousands of items): what toString gives
  // without HTML, and the paragraph's own `text` nodes, where itemMark looks for the emoji.
  let all = '';
  let plain = '';
  const walk = (node: Node): void => {
    if ('value' in node && typeof node.value === 'string') {
      if (node.type === 'html') return;
      all += node.value;
      if (node.type === 'text') plain += node.value;
    } else if ('alt' in node && typeof node.alt === 'string' && node.alt) {
      all += node.alt;
    } else if ('children' in node && Array.isArray(node.children)) {
      for (const child of node.children as Node[]) walk(child);
    }
  };
  if (first) walk(first);
  return { offset: item.position!.start.offset!, mark: markOf(item, first?.type === 'paragraph' ? plain : ''), text: all.toLowerCase() };
}

/**
 * digestItem from the item's text alone (`text`: what digestItem reads without HTML), where that
 * says the same: with no status emoji in it there is none in the paragraph's own text either, and
 * the mark comes from the box or the nested list. Undefined when it holds one (use digestItem).
 */
export function digestItemText(item: ListItem, text: string): DigestItem | undefined {
  if (STATUS_EMOJI_PATTERN.test(text)) return undefined;
  return { offset: item.position!.start.offset!, mark: markOf(item, ''), text: text.toLowerCase() };
}

/**
 * - *done*: a ticked box, or a first status emoji of ✅/✔ in the item's own text;
 * - *open*: an unticked box or any other status emoji;
 * - *group*: no mark, only a nested list (its children count instead);
 * - *unmarked*: anything else.
 */
export function itemMark(item: ListItem): ItemMark {
  const paragraph = item.children[0];
  let text = '';
  if (paragraph?.type === 'paragraph') {
    visit(paragraph, 'text', (node: Text) => {
      text += node.value;
    });
  }
  return markOf(item, text);
}

/** The mark from the item's box, or else from `text`, its first paragraph's text. */
function markOf(item: ListItem, text: string): ItemMark {
  if (item.checked === true) return 'done';
  if (item.checked === false) return 'open';
  const emoji = STATUS_EMOJI_PATTERN.exec(text);
  if (emoji) return stateOfEmoji(text.slice(emoji.index)) === 'pass' ? 'done' : 'open';
  return item.children.some((child) => child.type === 'list') ? 'group' : 'unmarked';
}

export function regionsOf(tree: Root, file: string, text: string): Region[] | undefined {
  try {
    // micromark drops a leading BOM and counts offsets without it; findRegions adds it back.
    const bom = text.startsWith('\uFEFF') ? 1 : 0;
    return findRegionsInTree(tree, file).map((region) => ({
      ...region,
      markerStart: region.markerStart + bom,
      contentStart: region.contentStart + bom,
      contentEnd: region.contentEnd + bom,
    }));
  } catch {
    return undefined;
  }
}
