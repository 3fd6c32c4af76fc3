/**
 * Rewrites a document's regions in place: only the bytes between each start and end marker
 * change. Line endings (LF or CRLF), a BOM and everything outside the regions are kept as
 * they are, because the rest of the file is never parsed back into Markdown.
 */
import type { RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { findRegions, RegionError, type Region } from './regions.ts';

/** Renders a region's content; `undefined` means "no renderer for this id". */
export type RegionRenderer = (region: Region) => RootContent[] | undefined;

export interface DocumentRewrite {
  text: string;
  changed: boolean;
  regions: string[];
}

export interface RewriteOptions {
  /** Applied to each region's generated Markdown before it is spliced in (e.g. redaction). */
  sanitize?: (markdown: string) => string;
}

export function rewriteDocument(text: string, file: string, render: RegionRenderer, options: RewriteOptions = {}): DocumentRewrite {
  const regions = findRegions(text, file);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  let out = '';
  let cursor = 0;
  for (const region of regions) {
    const nodes = render(region);
    if (!nodes) {
      throw new RegionError(file, region.line, region.column, `unknown region id "${region.id}"; use the id of a probe Proofbook knows`);
    }
    const generated = toMarkdown({ type: 'root', children: nodes }, {
      extensions: [gfmToMarkdown({ tablePipeAlign: false })],
      bullet: '-',
      emphasis: '_',
    });
    const markdown = options.sanitize ? options.sanitize(generated) : generated;
    out += text.slice(cursor, region.contentStart) + eol + markdown.trimEnd().replace(/\n/g, eol) + eol;
    cursor = region.contentEnd;
  }
  out += text.slice(cursor);
  return { text: out, changed: out !== text, regions: regions.map((r) => r.id) };
}
