/**
 * What the differential tests compare between the fast Markdown engine and remark (the
 * reference): a document's whole structure (regions, item status sites, headings, Last Updated
 * dates, every offset) and its evidence citations, or the error either one throws.
 */
import type { Root } from 'mdast';
import { findCitations } from '../../src/check/citations.ts';
import { satteriParser, type ParseMarkdown } from '../../src/rewrite/markdown-engine.ts';
import { parseMarkdown } from '../../src/rewrite/regions.ts';
import { analyzeDocument } from '../../src/rewrite/structure.ts';

/** satteri behind the normalisation and the divergence checks, as refresh uses it. */
export function fastParser(): ParseMarkdown {
  const parse = satteriParser();
  if (!parse) throw new Error('satteri did not load: the differential tests need it (npm ci installs it with Astro)');
  return parse;
}

export type EngineOutcome = { structure: ReturnType<typeof analyzeDocument>; citations: ReturnType<typeof findCitations> } | { error: string };

/** What one engine makes of a document. */
export function outcome(text: string, parse: ParseMarkdown): EngineOutcome {
  try {
    let tree: Root | undefined;
    let body = '';
    const structure = analyzeDocument(text, 'docs/runbook.md', parse, (parsed, parsedBody) => {
      tree = parsed;
      body = parsedBody;
    });
    return { structure, citations: findCitations(body, '/ws/docs/runbook.md', { evaluationDir: '/ws/evaluation', tree }) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** The reference's outcome. */
export const remarkOutcome = (text: string) => outcome(text, parseMarkdown);
