/**
 * Evidence blocks kept out of Astro's content store during a build (src/site/evidence/deferred.ts):
 * what the store gets has no block, and the page pass puts back exactly what was taken out.
 * The built pages themselves are checked in tests/e2e/site/site-fixture.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { deferEvidenceBlocks, deferredEvidence, restoreEvidenceBlocks } from '../../../src/site/evidence/deferred.ts';

type SetupHook = (options: { command: string }) => void;
const setUp = (command: 'build' | 'dev') => (deferredEvidence().hooks['astro:config:setup'] as unknown as SetupHook)({ command });

const block = (id: number, text: string) =>
  `<details class="pb-evidence" id="evidence-${id}" data-pagefind-ignore=""><summary><span class="pb-evidence__label">Evidence</span> <code>a/b.log</code></summary><pre class="pb-evidence__preview" tabindex="0"><code>${text}</code></pre></details>`;
const repeat = (id: number) => `<details class="pb-evidence pb-evidence--repeat" id="evidence-${id}" data-pagefind-ignore=""><summary>Evidence</summary></details>`;

describe('deferred evidence blocks', () => {
  const page = `<p>Run <a href="/evidence/a/b.log">it</a>.</p>${block(1, '&#x3C;/details> 100% &#x26; done')}<ul><li>again ${repeat(2)}</li></ul><p>end</p>`;

  it('stores a page without its blocks during a build and puts them back byte for byte', () => {
    setUp('build');
    const stored = deferEvidenceBlocks(page);
    expect(stored).not.toContain('<details');
    expect(stored).toContain('<p>Run <a href="/evidence/a/b.log">it</a>.</p><!--pb-evidence:');
    expect(stored).not.toContain('100%');
    expect(restoreEvidenceBlocks(stored)).toBe(page);
  });

  it('leaves a runbook’s own look-alike placeholder alone: the build nonce is not guessable', () => {
    setUp('build');
    const stored = deferEvidenceBlocks(page);
    const written = '<p><!--pb-evidence:0:0--> and <!--pb-evidence:x:1--></p>';
    expect(restoreEvidenceBlocks(`${written}${stored}`)).toBe(`${written}${page}`);
  });

  it('fails the build, naming the page, when a placeholder has no block', () => {
    setUp('build');
    const stored = deferEvidenceBlocks(page);
    const unknown = stored.replace(/(<!--pb-evidence:[0-9a-f]+:)\d+-->/, '$1999999-->');
    expect(() => restoreEvidenceBlocks(unknown, 'team/runbook/index.html')).toThrow(/team\/runbook\/index\.html: evidence block 999999 was not rendered/);
  });

  it('keeps the blocks in the store outside a build (astro dev renders pages on request)', () => {
    setUp('dev');
    expect(deferEvidenceBlocks(page)).toBe(page);
  });
});
