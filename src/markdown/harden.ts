/**
 * The last step before generated mdast becomes Markdown: text Proofbook does not control (tool
 * names and descriptions from MCP servers, gateway error texts, config values) reaches the
 * document only as text that cannot change the document's structure.
 *
 * - Line breaks and other control characters become visible symbols (`␊`, `␉`, `\u202E`…): a
 *   newline inside inline code in a table cell ends the row, and the backticks after it pair up
 *   shifted — the next tool name is then raw HTML (issue 13, high 1). Bidi overrides and line
 *   separators are shown as escapes, so a name cannot read as another one.
 * - An `html` node becomes text: a generated region never contains raw HTML.
 * - Link and image URLs keep only relative paths, `http(s):`, and `mailto:`; anything else
 *   (`javascript:`, `data:`) becomes `#`.
 *
 * The serialiser (mdast-util-to-markdown) escapes what Markdown needs in text; this removes
 * what escaping cannot: characters that end a line or a table row before any escape applies.
 */
import type { Nodes, RootContent } from 'mdast';

/** C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates, LRM/RLM/ALM. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  // Control Pictures (U+2400…U+241F) show C0 controls as one visible glyph each; U+2421 is DEL.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One line of text with every control character shown, never acted on. */
export function visibleControls(text: string): string {
  // Facts come from files anyone can edit: a value that is not a string is shown as nothing.
  return typeof text === 'string' ? text.replace(CONTROL, visible) : '';
}

/** Text of a code block: line breaks kept (LF), every other control shown. */
function codeBlockText(text: string): string {
  if (typeof text !== 'string') return '';
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_LINES, (char) => (char === '\t' ? char : visible(char)));
}

const SAFE_URL = /^(?:https?:|mailto:)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A URL a generated link may carry: relative, http(s) or mailto; anything else is `#`. */
export function safeUrl(url: string): string {
  if (typeof url !== 'string') return '#';
  const cleaned = url.replace(CONTROL, '').replace(/\s/g, (space) => encodeURIComponent(space));
  if (HAS_SCHEME.test(cleaned) && !SAFE_URL.test(cleaned)) return '#';
  // `//host/x` is protocol-relative: it leaves the site like an absolute URL would, so it must be http(s) too.
  if (cleaned.startsWith('//')) return '#';
  return cleaned;
}

export interface HardenOptions {
  /**
   * Keep `html` nodes as they are: only for the author's own Markdown copied back verbatim
   * (a status cell's hand-written word), never for anything rendered from evidence.
   */
  keepAuthorsHtml?: boolean;
}

/** A copy of `nodes` that serialises to Markdown with no raw HTML and no structure from untrusted text. */
export function hardenTree<T extends RootContent>(nodes: readonly T[], options: HardenOptions = {}): T[] {
  return nodes.map((node) => harden(structuredClone(node) as Nodes, options) as T);
}

function harden(node: Nodes, options: HardenOptions): Nodes {
  switch (node.type) {
    case 'html':
      if (options.keepAuthorsHtml) return node;
      return { type: 'text', value: visibleControls(node.value), ...(node.position ? { position: node.position } : {}) };
    case 'text':
    case 'inlineCode':
      node.value = visibleControls(node.value);
      return node;
    case 'code':
      node.value = codeBlockText(node.value);
      if (node.lang) node.lang = node.lang.replace(/[^\w+.-]/g, '');
      if (node.meta) node.meta = visibleControls(node.meta);
      return node;
    case 'link':
    case 'image':
    case 'definition':
      node.url = safeUrl(node.url);
      if (node.title) node.title = visibleControls(node.title);
      if ('alt' in node && node.alt) node.alt = visibleControls(node.alt);
      break;
    default:
      break;
  }
  if ('children' in node) node.children = node.children.map((child) => harden(child as Nodes, options)) as typeof node.children;
  return node;
}
