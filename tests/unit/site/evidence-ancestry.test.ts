/**
 * The evidence plugin places blocks by the enclosing elements it knows from the source positions
 * of the elements visited (src/site/evidence/ancestry.ts), instead of walking the tree up with
 * satteri's `ctx.parent` (which materialises the page for JavaScript). Both must place every block
 * the same: the pages must come out byte for byte as with the walk, which stays the reference, on
 * the site fixture's runbooks and on a document of the shapes real runbooks have.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Element } from 'hast';
import { markdownToHtml } from 'satteri';
import { describe, expect, it } from 'vitest';
import { Ancestry } from '../../../src/site/evidence/ancestry.ts';
import type { EmbedOptions } from '../../../src/site/evidence/embed.ts';
import { runbookElementsPlugin } from '../../../src/site/runbook-elements.ts';
import { SITE_DEFAULTS } from '../../../src/site/settings.ts';

import { CODE_PATH, CONTENT, EVIDENCE, FOOTNOTES, SHAPES } from '../../fixtures/site/evidence-shapes.ts';

async function render(file: string, text: string, ancestors: EmbedOptions['ancestors']): Promise<string> {
  const options = { runbookDirs: [CONTENT], evidenceDir: EVIDENCE, limits: SITE_DEFAULTS.evidence, base: '/', ancestors };
  const { html } = await markdownToHtml(text, { fileURL: pathToFileURL(file), hastPlugins: [runbookElementsPlugin(options, options) as never] });
  return html;
}

describe('evidence blocks placed by position', () => {
  it('come out as the tree walk places them, on the fixture runbooks and every shape', async () => {
    const files = (await readdir(CONTENT, { recursive: true })).map(String).filter((f) => f.endsWith('.md'));
    const docs = [
      { file: path.join(CONTENT, 'ops', 'shapes.md'), text: SHAPES },
      { file: path.join(CONTENT, 'ops', 'footnotes.md'), text: FOOTNOTES },
      ...(await Promise.all(files.map(async (f) => ({ file: path.join(CONTENT, f), text: await readFile(path.join(CONTENT, f), 'utf8') })))),
    ];
    let blocks = 0;
    for (const { file, text } of docs) {
      const byPosition = await render(file, text, 'positions');
      expect(byPosition, file).toBe(await render(file, text, 'tree'));
      blocks += byPosition.match(/<details class="pb-evidence/g)?.length ?? 0;
    }
    expect(blocks).toBeGreaterThan(15);
  });

  it('go after the paragraph, heading or table, at the end of a list item, and never for code in a link or a code block', async () => {
    const html = await render(path.join(CONTENT, 'ops', 'shapes.md'), SHAPES, 'positions');
    const after = (marker: string) => html.slice(html.indexOf(marker)).match(/<\/(\w+)>\s*<details class="pb-evidence/)?.[1];
    expect(after('A paragraph with')).toBe('p');
    expect(after('Heading with')).toBe('h2');
    expect(after('<table')).toBe('table');
    // In the list item, before it closes: the block is the item's last child.
    expect(html).toMatch(/emoji first <a [^>]*>evidence<\/a>\s*<details class="pb-evidence[^]*?<\/details>\s*<\/li>/);
    // The code block's path stays text; the code that is a link's text gets no block of its own.
    expect(html).toMatch(new RegExp(`<pre><code>${CODE_PATH.replaceAll('/', '\\/')}\\n<\\/code><\\/pre>`));
    const nested = html.slice(html.indexOf('nested twice'), html.indexOf('</li>', html.indexOf('nested twice')));
    expect(nested.match(/<details class="pb-evidence/g)).toHaveLength(2);
  });
});

describe('evidence blocks after one container', () => {
  it('keep the order of the citations, whichever file is read first', async () => {
    // A big file's facts take many reads, a small one's one: the small one's block is ready first.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-block-order-'));
    try {
      const content = path.join(dir, 'content');
      const evidence = path.join(dir, 'evaluation');
      await mkdir(path.join(content, 'ops'), { recursive: true });
      await mkdir(evidence, { recursive: true });
      await writeFile(path.join(evidence, 'big.log'), 'line of a long log\n'.repeat(300_000));
      await writeFile(path.join(evidence, 'small.log'), 'one line\n');
      const file = path.join(content, 'ops', 'order.md');
      const text = 'Both: [big](../../evaluation/big.log) and [small](../../evaluation/small.log).\n';
      const options = { runbookDirs: [content], evidenceDir: evidence, limits: SITE_DEFAULTS.evidence, base: '/' };
      const { html } = await markdownToHtml(text, { fileURL: pathToFileURL(file), hastPlugins: [runbookElementsPlugin(options, options) as never] });
      expect([...html.matchAll(/<details class="pb-evidence" id="(evidence-\d+)"[^>]*><summary>.*?<code>([^<]+)<\/code>/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
        'evidence-1 big.log',
        'evidence-2 small.log',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Ancestry', () => {
  const el = (tagName: string, start: number, end: number): Element => ({
    type: 'element',
    tagName,
    properties: {},
    children: [],
    position: { start: { line: 1, column: start + 1, offset: start }, end: { line: 1, column: end + 1, offset: end } },
  });
  const wanted = new Set(['p', 'li']);

  it('knows the open ancestors of the element visited last, and forgets the closed ones', () => {
    const ancestry = new Ancestry(['p', 'li', 'pre', 'a']);
    const li = el('li', 0, 50);
    const p = el('p', 2, 20);
    const code = el('code', 5, 10);
    for (const node of [li, p, code]) expect(ancestry.visit(node)).toBe(true);
    expect(ancestry.nearest(wanted)).toBe(p);
    const later = el('code', 25, 30); // after the paragraph, still in the item
    ancestry.visit(later);
    expect(ancestry.nearest(wanted)).toBe(li);
    const outside = el('code', 60, 65);
    ancestry.visit(outside);
    expect(ancestry.nearest(wanted)).toBeUndefined();
  });

  it('closes what does not contain the element, as when a footnote written early is visited last', () => {
    const ancestry = new Ancestry(['p', 'li', 'pre', 'a']);
    const last = el('p', 80, 120);
    const pre = el('pre', 125, 140);
    const footnote = el('li', 30, 50);
    const code = el('code', 35, 40);
    for (const node of [last, pre, footnote, code]) ancestry.visit(node);
    expect(ancestry.nearest(new Set(['pre', 'a']))).toBeUndefined();
    expect(ancestry.nearest(wanted)).toBe(footnote);
  });

  it('says when an element has no position, so the caller walks the tree', () => {
    const ancestry = new Ancestry(['p', 'li', 'pre', 'a']);
    expect(ancestry.visit({ type: 'element', tagName: 'a', properties: {}, children: [] })).toBe(false);
  });
});
