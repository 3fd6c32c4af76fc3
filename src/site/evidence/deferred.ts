/**
 * Evidence previews are the bulk of a page's HTML, and Astro keeps every rendered page in its
 * content store, which a build serialises into one JavaScript module and compiles again to
 * render the pages (seconds for tens of MB, more than the rendering of those bytes). So a build
 * renders each preview as an empty placeholder holding a token, and the generated pages get their
 * text afterwards (./../page-rewrite.ts), from memory: the pages read the same, the store stays small.
 *
 * Tokens carry a random nonce per build, so a runbook's raw HTML cannot name one; an unknown
 * token is left as it is (an empty preview), never read from anywhere.
 */
import { randomBytes } from 'node:crypto';

interface Store {
  nonce: string;
  next: number;
  texts: Map<string, string>;
}

// One store per process, whichever module instance (the Markdown plugin's, the integration's) asks.
const KEY = Symbol.for('proofbook.site.deferredPreviews');
const store = ((globalThis as Record<symbol, unknown>)[KEY] ??= { nonce: randomBytes(12).toString('hex'), next: 0, texts: new Map() }) as Store;

/** The attribute that marks a placeholder `<code>` (hast property `dataPbPreview`). */
export const PREVIEW_ATTRIBUTE = 'data-pb-preview';

/** Keeps `text` for the page pass; returns the placeholder's token. */
export function deferPreview(text: string): string {
  const token = `${store.nonce}-${++store.next}`;
  store.texts.set(token, text);
  return token;
}

const PLACEHOLDER = new RegExp(`<code ${PREVIEW_ATTRIBUTE}="([0-9a-f]+-[0-9]+)"></code>`, 'g');

/** Puts each deferred preview's text (escaped) into its placeholder in a generated page. */
export function fillPreviews(html: string): string {
  if (!html.includes(PREVIEW_ATTRIBUTE)) return html;
  return html.replace(PLACEHOLDER, (placeholder, token: string) => {
    const text = store.texts.get(token);
    return text === undefined ? placeholder : `<code>${text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</code>`;
  });
}
