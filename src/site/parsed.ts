/**
 * One remark parse per runbook text per build: title extraction, link checking and the
 * dashboard (outline, region links, plan progress) all read the same mdast tree instead of
 * each parsing the Markdown again. Keyed by file and a hash of the text, so an edited file
 * (`astro dev`) is parsed afresh. The content loader and the dashboard run in different module
 * graphs, so each keeps its own cache.
 */
import { createHash } from 'node:crypto';
import type { Root } from 'mdast';
import { parseMarkdown } from '../rewrite/regions.ts';

const cache = new Map<string, { tree: Root }>();

/** The mdast of `text` (as `parseMarkdown` gives it), parsed once per file and content. */
export function parsedRunbook(file: string, text: string): Root {
  const hash = createHash('sha1').update(text).digest('hex');
  const key = `${file}\0${hash}`;
  const hit = cache.get(key);
  if (hit) return hit.tree;
  const tree = parseMarkdown(text);
  cache.set(key, { tree });
  return tree;
}
