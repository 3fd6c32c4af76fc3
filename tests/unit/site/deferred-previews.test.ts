/** Evidence previews filled into the generated pages after the build (src/site/evidence/deferred.ts). */
import { describe, expect, it } from 'vitest';
import { deferPreview, fillPreviews, PREVIEW_ATTRIBUTE } from '../../../src/site/evidence/deferred.ts';

describe('deferred previews', () => {
  it('fills each placeholder with its text, escaped, and leaves the rest of the page alone', () => {
    const a = deferPreview('{"tool": "<img src=x onerror=alert(1)>", "and": "&amp;"}');
    const b = deferPreview('line 1\nline 2');
    const page = `<p>before</p><pre class="pb-evidence__preview" tabindex="0"><code ${PREVIEW_ATTRIBUTE}="${a}"></code></pre><pre><code ${PREVIEW_ATTRIBUTE}="${b}"></code></pre>`;
    expect(fillPreviews(page)).toBe(
      '<p>before</p><pre class="pb-evidence__preview" tabindex="0"><code>{"tool": "&lt;img src=x onerror=alert(1)&gt;", "and": "&amp;amp;"}</code></pre><pre><code>line 1\nline 2</code></pre>',
    );
  });

  it('never fills a token this build did not hand out (a runbook cannot name one)', () => {
    const forged = `<code ${PREVIEW_ATTRIBUTE}="0123abcd-1"></code>`;
    expect(fillPreviews(forged)).toBe(forged);
    expect(fillPreviews('<p>no placeholder</p>')).toBe('<p>no placeholder</p>');
  });
});
