/**
 * The status phrases are written and recognised from one definition (src/rewrite/status-phrases.ts):
 * every status, written in every style, is found again by the document structure as a site of
 * that style whose status range is exactly the phrase written (so the next refresh replaces it
 * rather than appending another). A phrase the writer changes without the recogniser fails here.
 */
import { describe, expect, it } from 'vitest';
import { statusFromDecision, statusFromProbes, type ItemStatus } from '../../../src/rewrite/item-status.ts';
import { emojiPhrase, fieldPhrase, isOurEmojiPhrase, isOurNote, notePhrase } from '../../../src/rewrite/status-phrases.ts';
import { analyzeDocument, type Site } from '../../../src/rewrite/structure.ts';

const context = { docFile: '/ws/docs/runbook.md', evaluationDir: '/ws/evaluation' };
const evidence = 'gateway.auth/2025-09-18T10-00-00Z.json';

const STATUSES: [string, ItemStatus][] = [
  ['pass', { state: 'pass', date: '2025-09-18', reason: 'ok', evidence, kind: 'probe' }],
  ['pass without evidence', { state: 'pass', date: '2025-09-18', kind: 'probe' }],
  ['warn', { state: 'warn', date: '2025-09-18', reason: 'slow: 2.1 s (over 2 s)', evidence, kind: 'probe' }],
  ['known limitation', { state: 'warn', date: '2025-09-18', reason: 'no streaming', evidence, kind: 'probe', limitation: true }],
  ['fail', { state: 'fail', date: '2025-09-20', reason: 'probe error: connect ECONNREFUSED 127.0.0.1:4000', evidence, kind: 'probe' }],
  ['pending, skipped probe', { state: 'pending', date: '2025-09-18', reason: 'skipped: --offline', evidence, kind: 'probe' }],
  ['pending, no evidence yet', statusFromProbes(['gateway.auth', 'mcp.invoke'], new Map())],
  ['decision approved', statusFromDecision({ match: 'x', state: 'approved', owner: 'ops', date: '2025-09-01', note: 'accepted for v1' })],
  ['decision done', statusFromDecision({ match: 'x', state: 'done', date: '2025-09-01' })],
  ['decision rejected', statusFromDecision({ match: 'x', state: 'rejected', owner: 'sec', date: '2025-09-02', note: 'too broad' })],
  ['decision pending', statusFromDecision({ match: 'x', state: 'pending', owner: 'ops', date: '2025-09-03' })],
];

/** The one site of `doc`, and where `phrase` stands in it. */
function found(doc: string, phrase: string): { site: Site; at: number } {
  const { sites } = analyzeDocument(doc, 'runbook.md');
  expect(sites).toHaveLength(1);
  const at = doc.indexOf(phrase);
  expect(at).toBeGreaterThan(-1);
  return { site: sites[0]!, at };
}

describe.each(STATUSES)('%s', (_name, status) => {
  it('emoji: after the item text, and as the whole item (not mistaken for a lead mark and words)', () => {
    const phrase = emojiPhrase(status, context);
    for (const doc of [`- Rotate the master key ${phrase}\n`, `- ${phrase}\n`]) {
      const { site, at } = found(doc, phrase);
      expect(site).toMatchObject({ kind: 'emoji', status: [at, at + phrase.length] });
    }
    expect(isOurEmojiPhrase(phrase.replace(/^\S+/u, '').trim())).toBe(true);
  });

  it('note: after a checkbox item and after a lead-marked item', () => {
    const phrase = notePhrase(status, context);
    expect(isOurNote(phrase)).toBe(true);
    for (const [doc, kind] of [
      [`- [ ] Rotate the master key ${phrase}\n`, 'checkbox'],
      [`- ✅ DONE Rotate the master key ${phrase}\n`, 'lead'],
    ] as const) {
      const { site, at } = found(doc, phrase);
      expect(site).toMatchObject({ kind, text: kind === 'lead' ? expect.any(String) : 'Rotate the master key', status: [at, at + phrase.length] });
    }
  });

  it('field and cell: with the default word and with the author kept word', () => {
    for (const previous of ['', '✅ RUNNING', '❌ Broken', '⚠️ Degraded']) {
      const phrase = fieldPhrase(status, previous, context);
      const field = found(`**Status**: ${phrase}\n`, phrase);
      expect(field.site).toMatchObject({ kind: 'field', status: [field.at, field.at + phrase.length] });
      // Written again over itself, the phrase is the same: the old tail is recognised and dropped.
      expect(fieldPhrase(status, phrase, context)).toBe(phrase);
      const cellPhrase = phrase.replace(/(?<!\\)\|/g, '\\|');
      const cell = found(`| Item | Status |\n| --- | --- |\n| Rotate the key | ${cellPhrase} |\n`, cellPhrase);
      expect(cell.site).toMatchObject({ kind: 'cell', text: 'Rotate the key', status: [cell.at, cell.at + cellPhrase.length] });
    }
  });
});
