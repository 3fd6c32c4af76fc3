/**
 * Property: whatever Markdown surrounds and separates the regions, a refresh changes only the
 * regions' bytes, and a second refresh with the same results changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRegions } from '../../../src/rewrite/regions.ts';
import { analyzeDocument, type DocStructure } from '../../../src/rewrite/structure.ts';
import { rewriteDocument } from '../../../src/rewrite/rewrite-document.ts';
import { buildRegionDoc, regionDoc } from '../../helpers/random-runbooks.ts';

const render = () => [
  { type: 'paragraph' as const, children: [{ type: 'text' as const, value: 'generated ✅ 𝔘' }] },
  { type: 'table' as const, children: [{ type: 'tableRow' as const, children: [{ type: 'tableCell' as const, children: [{ type: 'text' as const, value: 'x' }] }] }] },
];

function outside(text: string): string {
  let out = '';
  let cursor = 0;
  for (const region of findRegions(text, 'doc.md')) {
    out += text.slice(cursor, region.markerStart) + '\u0000';
    cursor = region.contentEnd;
  }
  return out + text.slice(cursor);
}

describe('rewrite property', () => {
  it('changes only region bytes, and a second refresh changes nothing', () => {
    fc.assert(
      fc.property(regionDoc, (spec) => {
        const { text, ids } = buildRegionDoc(spec);
        let regions;
        try {
          regions = findRegions(text, 'doc.md');
        } catch {
          fc.pre(false); // random text formed a marker-like error: not this property's business
          return;
        }
        // Random text can swallow a marker (e.g. into a code block); only whole docs count.
        fc.pre(regions.map((r) => r.id).join() === ids.join());
        const first = rewriteDocument(text, 'doc.md', render);
        expect(outside(first.text)).toBe(outside(text));
        const second = rewriteDocument(first.text, 'doc.md', render);
        expect(second.changed).toBe(false);
        expect(second.text).toBe(first.text);
        // The structure derived without a parse matches a fresh parse of the result.
        const strip = (s: DocStructure) => ({ ...s, regions: s.regions.map(({ line: _l, column: _c, ...rest }) => rest) });
        expect(strip(first.structure)).toEqual(strip(analyzeDocument(first.text, 'doc.md')));
      }),
      { numRuns: 300 },
    );
  });
});
