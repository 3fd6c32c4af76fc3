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
import { buildItemDoc, itemDoc, ITEM_PROBES as PROBES } from '../../helpers/random-runbooks.ts';

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
      fc.property(itemDoc, evidence, (spec, steps) => {
        const built = buildItemDoc(spec);
        const bindings = built.bindings;
        let text = built.text;
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
