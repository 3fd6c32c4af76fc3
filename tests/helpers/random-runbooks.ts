/**
 * Random runbooks for property tests: Markdown around generated regions (the rewrite property)
 * and plan items in every shape real runbooks use (the cache equivalence), shared with the
 * differential test that compares the fast Markdown engine with remark on the same documents.
 */
import fc from 'fast-check';

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

/** A document around regions r0…rN: random Markdown before, inside and after them. */
export const regionDoc = fc.record({
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  parts: fc.array(fc.record({ before: filler, content: filler }), { minLength: 1, maxLength: 3 }),
  tail: filler,
});

export type RegionDocSpec = { eol: string; bom: boolean; finalNewline: boolean; parts: { before: string; content: string }[]; tail: string };

export function buildRegionDoc({ eol, bom, finalNewline, parts, tail }: RegionDocSpec): { text: string; ids: string[] } {
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

export const ITEM_PROBES = ['mcp.catalog', 'traefik.labels', 'gateway.health'];

/** Item shapes; `{n}` is a unique number so config bindings by text match one item each. */
export const ITEM_SHAPES = [
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

/** A plan of items in random shapes, each bound to a probe by marker or by its text. */
export const itemDoc = fc.record({
  items: fc.array(fc.record({ shape: fc.integer({ min: 0, max: ITEM_SHAPES.length - 1 }), probe: fc.constantFrom(...ITEM_PROBES), marker: fc.boolean() }), { minLength: 1, maxLength: 8 }),
  eol: fc.constantFrom('\n', '\r\n'),
  finalNewline: fc.boolean(),
});

export type ItemDocSpec = { items: { shape: number; probe: string; marker: boolean }[]; eol: string; finalNewline: boolean };

export function buildItemDoc(spec: ItemDocSpec): { text: string; bindings: { match: string; probes: string[] }[] } {
  const bindings: { match: string; probes: string[] }[] = [];
  const blocks = spec.items.map((item, n) => {
    const text = ITEM_SHAPES[item.shape]!.replaceAll('{n}', String(n));
    if (item.marker) return text.replace(/(\n[^\n]*)?$/, (last) => `${last} <!-- proof: ${item.probe} -->`);
    // A Status-first row bound by its first cell's text, as `init` used to bind it.
    const match = item.shape === 8 ? 'Working' : item.shape === 9 ? `gateway ${n}` : text.replace(/^[^\p{L}`*]*/u, '').slice(0, 12);
    bindings.push({ match, probes: [item.probe] });
    return text;
  });
  const text = blocks.join(`${spec.eol}${spec.eol}`).replace(/\n/g, spec.eol).replace(/\r\r/g, '\r') + (spec.finalNewline ? spec.eol : '');
  return { text, bindings };
}

/**
 * Pieces of Markdown that make parsers disagree: container prefixes, task checks, delimiters,
 * tables, HTML, markers, status marks, emoji inside and outside the BMP, odd line endings.
 */
const PIECES = [
  '- ', '* ', '+ ', '1. ', '10. ', '2) ', ' ', '  ', '   ', '    ', '\t', '> ', '>', '[x] ', '[ ] ', '[X]\t', '[x]',
  '**', '*', '_', '__', '`', '``', '[', ']', '(', ')', '![', '](', '"t"', '<', '>', '|', '\\|', ':-:', '|---|', '\\',
  '#', '## ', '###### ', ' ##', '---', '===', '```', '~~~', '~~',
  '<!-- proof: mcp.catalog -->', '<!-- proof: a, b -->', '<!-- proofbook:start a -->', '<!-- proofbook:end a -->', '<!--', '-->',
  '<b>', '</b>', '<div>', '</div>', '<script>', '</script>', '<?php ?>', '<![CDATA[', ']]>', '<http://a.b/c>',
  '&amp;', '&#x2705;', '&#10004;', '&nbsp;', 'http://x.y/z', 'https://a.b/evaluation/x.json', 'www.ex.com', 'a@b.co',
  '[^1]', '[^1]: note', '[ref]: /evaluation/x.json "title"', '[ref]',
  '✅', '⚠️', '⚠', '❌', '✔️', '✔', '✖', '💥', '🧪', '𝔘', '👩‍👩‍👧', 'é', 'e\u0301', '\u200b', '\uFE0F',
  'Status', 'state', '**Status**:', '**Status:**', '*Status: ', '__State__: ',
  'Last Updated: 2025-09-18', '**Last Updated**: 2025-01-02', '*Last Updated: 2025-09-18*', 'DONE', 'Completed', 'Verified',
  ' ', 'word', 'x', ':', ' - ', '\u00a0', '\r\n', '\n', '\n', '\n', '\n\n', '\r',
  '| a | Status |\n|---|---|\n', '| Status | b |\n|:--|--:|\n', '| b | ✅ ok |', 'a | Status\n--|--\n',
  '_(2025-09-18: pass; see [evidence](evaluation/a.json))_', '_(no evidence yet for x)_', '✅ Completed 2025-09-18 ([evidence](../evaluation/a.json))',
  '\u0000', '  \n', '\\\n',
  '[e](../evaluation/a.json)', '![i](../evaluation/p.png)', '[r]: ../evaluation/d.json', '`projects/litellm/evaluation/x.log`',
];
const PREFIXES = ['', '', '', '- ', '* ', '1. ', '  ', '    ', '  - ', '    - ', '> ', '> - ', '- > ', '\t', '\t- ', '   ', '- [ ] ', '- [x] ', '  - [X] ', '1) [x] ', '| ', '|', '#### ', '> > '];
const piece = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) });
const tangledLine = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(piece, { maxLength: 8 }), fc.constantFrom('\n', '\n', '\r\n', ' |\n', '  \n'))
  .map(([prefix, pieces, end]) => prefix + pieces.join('') + end);

/** A document of tangled lines (maybe with a BOM): what no runbook looks like, and every parser trips on. */
export const tangledDoc = fc.tuple(fc.boolean(), fc.array(tangledLine, { maxLength: 25 })).map(([bom, lines]) => (bom ? '\uFEFF' : '') + lines.join(''));
