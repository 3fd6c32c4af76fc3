/**
 * Property: the structure cache never changes the output. A sequence of refreshes over random
 * evidence gives the same bytes whether each refresh re-parses the document or starts from the
 * structure the previous refresh derived (what `.proofbook/structure-cache.json` holds) — for
 * items in every shape real runbooks use, bound by marker or by their text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProbeView } from '../../../src/probes/types.ts';
import { rewriteDocument, type RewriteOptions } from '../../../src/rewrite/rewrite-document.ts';

const PROBES = ['mcp.catalog', 'traefik.labels', 'gateway.health'];

/** Item shapes; `{n}` is a unique number so config bindings by text match one item each. */
const SHAPES = [
  '- [ ] **Phase {n}**: base framework ✅ (8/8 tasks) COMPLETE',
  '- [x] `codex mcp list` {n} shows the servers',
  '- ✅ Read/write item {n} to the memory database only',
  '1. ✅ DONE: catalog item {n} lists the tools - no effect',
  '- ⚠️ Working item {n} behind the LAN router',
  '- Inspect Traefik labels {n}. ✅ Completed 2025-09-18.',
  '- **Status** {n}: ✅ RUNNING',
  '- [ ] checklist {n} _(2025-09-18: list OK; see `codex.txt`)_',
  '| Status | Component |\n|---|---|\n| ✅ Working | gateway {n} |',
  '| Component | Status |\n|---|---|\n| gateway {n} | ⚠️ Degraded |',
  '### Server {n} (7 tools) - ✅ DEPLOYED',
  '*Status: ✅ Deployed {n}*',
  '**Status**: ⚠️ Testing {n}',
];

const doc = fc.record({
  items: fc.array(fc.record({ shape: fc.integer({ min: 0, max: SHAPES.length - 1 }), probe: fc.constantFrom(...PROBES), marker: fc.boolean() }), { minLength: 1, maxLength: 8 }),
  eol: fc.constantFrom('\n', '\r\n'),
  finalNewline: fc.boolean(),
});
const evidence = fc.array(fc.record(Object.fromEntries(PROBES.map((id) => [id, fc.constantFrom('pass', 'fail', 'warn', 'none')])) as Record<string, fc.Arbitrary<string>>), { minLength: 1, maxLength: 4 });

function views(states: Record<string, string>, step: number): Map<string, ProbeView> {
  const map = new Map<string, ProbeView>();
  for (const [id, status] of Object.entries(states)) {
    if (status === 'none') continue;
    const since = `2025-09-${String(10 + step).padStart(2, '0')}T06:00:00.000Z`;
    map.set(id, { id, status: status as ProbeView['status'], summary: `${id} is ${status}`, facts: {}, since, evidence: `${id}/${since.replace(/[:.]/g, '-')}.json`, lastRun: since });
  }
  return map;
}

describe('the structure cache never changes the output', () => {
  it('fresh parse and derived structure give the same bytes over random refresh sequences', () => {
    fc.assert(
      fc.property(doc, evidence, (spec, steps) => {
        const bindings: { match: string; probes: string[] }[] = [];
        const blocks = spec.items.map((item, n) => {
          const text = SHAPES[item.shape]!.replaceAll('{n}', String(n));
          if (item.marker) return text.replace(/(\n[^\n]*)?$/, (last) => `${last} <!-- proof: ${item.probe} -->`);
          // A Status-first row bound by its first cell's text, as `init` used to bind it.
          const match = item.shape === 8 ? 'Working' : item.shape === 9 ? `gateway ${n}` : text.replace(/^[^\p{L}`*]*/u, '').slice(0, 12);
          bindings.push({ match, probes: [item.probe] });
          return text;
        });
        let text = blocks.join(`${spec.eol}${spec.eol}`).replace(/\n/g, spec.eol).replace(/\r\r/g, '\r') + (spec.finalNewline ? spec.eol : '');
        let fresh = text;
        let structure: RewriteOptions['structure'];
        steps.forEach((states, step) => {
          const plan = { views: views(states, step), bindings, decisions: [], knownProbes: PROBES, render: { docFile: '/ws/content/plan.md', evaluationDir: '/ws/evaluation' } };
          const cached = rewriteDocument(text, 'plan.md', () => undefined, { plan, structure });
          const parsed = rewriteDocument(fresh, 'plan.md', () => undefined, { plan });
          expect(cached.text).toBe(parsed.text);
          text = cached.text;
          structure = cached.structure;
          fresh = parsed.text;
        });
      }),
      { numRuns: 300 },
    );
  });
});
