/**
 * The fast Markdown engine against remark on the 1,000-runbook bench corpus (bench/corpus.ts):
 * the same structure and citations for every runbook as written, and for every tenth as a
 * refresh rewrites it. In chunks, each well inside the unit timeout; remark is most of the time.
 */
import { describe, expect, it } from 'vitest';
import { runbook } from '../../../bench/corpus.ts';
import { remarkNeeded } from '../../../src/rewrite/markdown-engine.ts';
import { rewriteDocument } from '../../../src/rewrite/rewrite-document.ts';
import { analyzeDocument } from '../../../src/rewrite/structure.ts';
import { fastParser, outcome, remarkOutcome } from '../../helpers/engine-differential.ts';

const CORPUS = 1000;
const CHUNK = 50;
const fast = fastParser();

/** What a refresh writes into the runbook: its region filled, its bound item ticked with a note. */
function refreshed(text: string): string {
  const render = () => [{ type: 'paragraph' as const, children: [{ type: 'link' as const, url: '../evaluation/mcp.catalog/x.json', children: [{ type: 'text' as const, value: 'evidence' }] }] }];
  const since = '2025-09-18T06:00:00.000Z';
  const views = new Map([['mcp.catalog', { id: 'mcp.catalog', status: 'pass' as const, summary: '2 tools', facts: {}, since, evidence: 'mcp.catalog/x.json', lastRun: since }]]);
  const plan = { views, bindings: [{ match: 'gateway catalog', probes: ['mcp.catalog'] }], decisions: [], knownProbes: ['mcp.catalog'], render: { docFile: '/ws/docs/runbook.md', evaluationDir: '/ws/evaluation' } };
  // The rewrite only makes the text to compare: its structure may come from the fast engine.
  return rewriteDocument(text, 'runbook.md', render, { plan, structure: analyzeDocument(text, 'runbook.md', fast) }).text;
}

describe('fast Markdown engine = remark on the bench corpus (differential)', () => {
  for (let from = 0; from < CORPUS; from += CHUNK) {
    it(`runbooks ${from}–${from + CHUNK - 1}`, () => {
      for (let index = from; index < from + CHUNK; index++) {
        const text = runbook(index);
        // The corpus is ordinary runbook text: the fast engine reads all of it.
        expect(remarkNeeded(text), `runbook ${index}`).toBeUndefined();
        expect(outcome(text, fast), `runbook ${index}`).toStrictEqual(remarkOutcome(text));
        // What a refresh makes of it, for every tenth runbook (remark takes most of this test's time).
        if (index % 10 !== 0) continue;
        const after = refreshed(text);
        expect(outcome(after, fast), `runbook ${index}, refreshed`).toStrictEqual(remarkOutcome(after));
      }
    });
  }
});
