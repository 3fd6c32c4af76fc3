/**
 * The pre-scan that skips documents without parsing them is conservative: whenever it says a
 * document has nothing to do, a full rewrite changes nothing and binds no item, and `--check`
 * finds no bound claim in it — over random documents and bindings, and every fixture (bar one
 * nested too deep, which the preflight refuses before anything is planned).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findClaims } from '../../../src/check/claims.ts';
import type { ProbeView } from '../../../src/probes/types.ts';
import { tooDeep } from '../../../src/markdown/nesting.ts';
import { nothingToDo } from '../../../src/rewrite/pre-scan.ts';
import { rewriteDocument } from '../../../src/rewrite/rewrite-document.ts';
import { buildItemDoc, ITEM_PROBES, itemDoc, tangledDoc } from '../../helpers/random-runbooks.ts';

const since = '2025-09-18T06:00:00.000Z';
const views = new Map<string, ProbeView>(ITEM_PROBES.map((id) => [id, { id, status: 'pass', summary: 'ok', facts: {}, since, evidence: `${id}/x.json`, lastRun: since }]));

/** What a refresh and a check would do with the document: whether anything at all. */
function somethingToDo(text: string, bindings: { match: string; probes: string[] }[]): boolean {
  const plan = { views, bindings, decisions: [], knownProbes: ITEM_PROBES, render: { docFile: '/ws/docs/plan.md', evaluationDir: '/ws/evaluation' } };
  let rewrite;
  try {
    rewrite = rewriteDocument(text, 'plan.md', () => [], { plan });
  } catch {
    return true; // an error to report is something to do
  }
  const claims = findClaims(text, 'plan.md', { bindings, decisions: [], knownProbes: ITEM_PROBES }).filter((claim) => claim.boundBy);
  return rewrite.changed || rewrite.items.length > 0 || claims.length > 0;
}

const MATCHES = ['Phase', 'gateway 3', 'mcp_servers', '`codex mcp list`', 'Read/write item', 'catalog item 2', 'status', 'word', 'ΟΔΟΣ', 'x', 'done ✅', ''];
const bindings = fc.array(
  fc.record({ match: fc.oneof(fc.constantFrom(...MATCHES), fc.string({ maxLength: 8 })), probes: fc.constant<string[]>([ITEM_PROBES[0]!]) }),
  { maxLength: 3 },
);
const documents = fc.oneof(tangledDoc.map((text) => text.replace(/<!--/g, '')), itemDoc.map((spec) => buildItemDoc(spec).text));

describe('pre-scan: documents with nothing to do', () => {
  it('a document it skips has nothing to do (random documents and bindings)', () => {
    let skipped = 0;
    fc.assert(
      fc.property(documents, bindings, (text, entries) => {
        if (!nothingToDo(text, 'plan.md', { bindings: entries, decisions: [] })) return;
        skipped++;
        expect(somethingToDo(text, entries)).toBe(false);
      }),
      { numRuns: 1500, seed: 17 },
    );
    expect(skipped).toBeGreaterThan(100);
  });

  it('every fixture it skips has nothing to do', () => {
    const fixtures = path.join(import.meta.dirname, '../../fixtures');
    const files = readdirSync(fixtures, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.md'));
    for (const entry of files) {
      const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
      const entries = [{ match: 'gateway', probes: [ITEM_PROBES[0]!] }];
      if (tooDeep(text)) continue; // the preflight refuses it before anything is planned
      if (nothingToDo(text, 'plan.md', { bindings: entries, decisions: [] })) expect(somethingToDo(text, entries), entry.name).toBe(false);
    }
  });

  it('skips only what it must not parse', () => {
    const plan = { bindings: [{ match: 'Gateway catalog' }], decisions: [{ match: 'rotate the key' }] };
    expect(nothingToDo('# Notes\n\n- [x] unrelated ✅\n', 'a.md', plan)).toBe(true);
    expect(nothingToDo('- check the `gateway` *catalog*\n', 'a.md', plan)).toBe(false);
    expect(nothingToDo('- Rotate the key\n', 'a.md', plan)).toBe(false);
    expect(nothingToDo('text <!-- proof: mcp.catalog -->\n', 'a.md', plan)).toBe(false);
    expect(nothingToDo('<!-- Proofbook:Start x -->\n', 'a.md', plan)).toBe(false);
    expect(nothingToDo('about proofbook\n', 'a.md', plan)).toBe(false);
    // A binding limited to other files does not apply here.
    expect(nothingToDo('- gateway catalog\n', 'a.md', { bindings: [{ match: 'gateway catalog', file: 'b.md' }], decisions: [] })).toBe(true);
  });
});
