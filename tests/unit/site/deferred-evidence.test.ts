/**
 * Evidence blocks kept out of Astro's content store during a build (src/site/evidence/deferred.ts):
 * the page a build stores holds a placeholder for each block, and the page pass puts the block in.
 * The worker that builds the blocks, and the bytes it writes, are held to the page's own blocks in
 * ./evidence-worker.test.ts; the built pages themselves in tests/e2e/site/site-fixture.test.ts.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { markdownToHtml } from 'satteri';
import { afterEach, describe, expect, it } from 'vitest';
import { deferBlock, deferredEvidence, keyPlaceholders, restoreEvidenceBlocks, settleDeferredBlocks } from '../../../src/site/evidence/deferred.ts';
import { runbookElementsPlugin } from '../../../src/site/runbook-elements.ts';
import { SITE_DEFAULTS } from '../../../src/site/settings.ts';
import { CONTENT, EVIDENCE, RESULT } from '../../fixtures/site/evidence-shapes.ts';

type SetupHook = (options: { command: string }) => void;
const setUp = (command: 'build' | 'dev') => (deferredEvidence().hooks['astro:config:setup'] as unknown as SetupHook)({ command });
afterEach(() => setUp('dev'));

async function render(file: string, text: string): Promise<string> {
  const options = { runbookDirs: [CONTENT], evidenceDir: EVIDENCE, limits: SITE_DEFAULTS.evidence, base: '/' };
  const { html } = await markdownToHtml(text, { fileURL: pathToFileURL(file), hastPlugins: [runbookElementsPlugin(options, options) as never] });
  return html;
}

describe('deferred evidence blocks', () => {
  const file = path.join(CONTENT, 'ops', 'deferred.md');
  // A runbook may write HTML that looks like a block, or like a placeholder: it is the runbook's own and stays as written.
  const text = [
    '# Deferred',
    '',
    `Run [it](${RESULT}).`,
    '',
    '<details class="pb-evidence" id="evidence-9"><summary>hand-written</summary>kept</details>',
    '',
    '<!--pb-evidence:0123456789abcdef0123456789abcdef:0-->',
    '',
  ].join('\n');

  it('leaves the page of a build without its blocks, and the page pass puts them in as the page would have', async () => {
    const inPage = await render(file, text);
    setUp('build');
    keyPlaceholders([text]);
    const stored = await render(file, text);
    await settleDeferredBlocks();
    expect(stored.match(/<details class="pb-evidence/g)).toHaveLength(1); // the runbook's own
    expect(stored).toContain('<!--pb-evidence:');
    expect(restoreEvidenceBlocks(stored, file)).toBe(inPage);
    expect(inPage.match(/<details class="pb-evidence/g)).toHaveLength(2);
    expect(inPage).toContain('<!--pb-evidence:0123456789abcdef0123456789abcdef:0-->');
  });

  it('fails the build, naming the page, when a placeholder has no block', async () => {
    setUp('build');
    const request = { relative: RESULT.replace('../../evaluation/', ''), id: 'evidence-1' };
    const stored = deferBlock(request, { evidenceDir: EVIDENCE, limits: SITE_DEFAULTS.evidence, base: '/' }, file);
    await settleDeferredBlocks();
    expect(restoreEvidenceBlocks(stored, file)).toMatch(/^<details class="pb-evidence" id="evidence-1"/);
    const unknown = stored.replace(/(<!--pb-evidence:[0-9a-f]+:)\d+-->/, '$1999999-->');
    expect(() => restoreEvidenceBlocks(unknown, 'team/runbook/index.html')).toThrow(/team\/runbook\/index\.html: evidence block 999999 was not rendered/);
  });

  it('stay in the page outside a build (astro dev renders pages on request)', async () => {
    setUp('dev');
    const html = await render(file, text);
    expect(html.match(/<details class="pb-evidence/g)).toHaveLength(2);
    expect(html).not.toMatch(/<!--pb-evidence:(?!0123456789abcdef0123456789abcdef:0-->)/);
  });
});
