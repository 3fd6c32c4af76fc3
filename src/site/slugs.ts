/**
 * Maps a runbook file to its page id, which Starlight also uses as its URL slug:
 * `<runbooks folder>/litellm/MCP-INTEGRATION-STATUS.md` → `litellm/mcp-integration-status`.
 *
 * The loader and the link rewriter share this, so a link always points at the page
 * the loader created for the file.
 */
import path from 'node:path';
import { pathInside } from '../fs/paths.ts';

export const RUNBOOK_EXTENSION = /\.md$/i;

/** The page id of `file`, or undefined when it is not a Markdown file inside one of `runbookDirs`. */
export function runbookId(runbookDirs: readonly string[], file: string): string | undefined {
  if (!RUNBOOK_EXTENSION.test(file)) return undefined;
  for (const dir of runbookDirs) {
    const relative = pathInside(dir, file);
    if (!relative) continue;
    const segments = relative.replace(RUNBOOK_EXTENSION, '').split(path.sep).map(slugify);
    // `litellm/index.md` is the `litellm/` page, as in Starlight's own docs folder.
    if (segments.length > 1 && segments.at(-1) === 'index') segments.pop();
    return segments.join('/');
  }
  return undefined;
}

/** Same rules as github-slugger (what Astro's glob loader uses): lower case, drop punctuation, spaces become "-". */
export function slugify(segment: string): string {
  return segment
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
