/**
 * Property: whatever Markdown surrounds and separates the regions, a refresh changes only the
 * regions' bytes, and a second refresh with the same results changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRegions } from '../../../src/rewrite/regions.ts';
import { analyzeDocument, type DocStructure } from '../../../src/rewrite/structure.ts';
import { rewriteDocument } from '../../../src/rewrite/rewrite-document.ts';

const FRAGMENTS = [
  '* star bullet',
  '+ plus bullet',
  '1) paren item',
  '__bold__ and *em* and `code`',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '|a|b|\n|-|-|\n|1|2|',
  '```js\nconst x = "<!-- proofbook:start r9 -->";\n```',
  '<div align="center">raw <b>HTML</b></div>',
  '\tTabbed\tline',
  '# Heading',
  'Setext\n======',
  '> a quote',
  '\\* escaped \\_ chars \\|',
  'Emoji 🧪 outside the BMP 𝔘 and ⚠️',
  '- [ ] task',
  '- [x] done ✅ Completed 2025-09-18.',
  '***',
  '<!-- a plain comment -->',
  'Text with trailing spaces   ',
  '',
];

const line = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ')));
const filler = fc.array(line, { maxLength: 6 }).map((lines) => lines.join('\n'));
const doc = fc.record({
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  parts: fc.array(fc.record({ before: filler, content: filler }), { minLength: 1, maxLength: 3 }),
  tail: filler,
});

type DocSpec = { eol: string; bom: boolean; finalNewline: boolean; parts: { before: string; content: string }[]; tail: string };

function build({ eol, bom, finalNewline, parts, tail }: DocSpec): { text: string; ids: string[] } {
  const ids = parts.map((_, i) => `r${i}`);
  const chunks = parts.map(
    (part, i) =>
      `${part.before}\n\n<!-- proofbook:start r${i} -->\n${part.content}\n<!-- proofbook:end r${i} -->\n\n`,
  );
  let text = chunks.join('') + tail;
  text = text.replace(/\n/g, eol);
  if (finalNewline && !text.endsWith(eol)) text += eol;
  return { text: (bom ? '\uFEFF' : '') + text, ids };
}

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
      fc.property(doc, (spec) => {
        const { text, ids } = build(spec);
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
