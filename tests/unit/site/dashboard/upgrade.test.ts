/** The status page's upgrade-preview section as HTML: absent, and with hostile text in a preview. */
import { describe, expect, it } from 'vitest';
import { upgradeSection } from '../../../../src/site/dashboard/upgrade.ts';
import { fixturePreview } from '../../../helpers/upgrade-preview-fixture.ts';

describe('upgrade preview section', () => {
  it('without a preview is one line saying how to make one', () => {
    expect(upgradeSection(undefined, '/').value).toBe(
      '<p class="pb-muted" data-upgrade-preview="none">No upgrade preview yet: <code>npm run proofbook -- upgrade-preview --to &lt;version&gt;</code> runs every probe against another LiteLLM version on a second lab.</p>',
    );
  });

  it('escapes summaries and finding messages, and links both runs under the site base', () => {
    const preview = fixturePreview();
    const hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
    const page = upgradeSection(
      { ...preview, probes: preview.probes.map((p) => (p.id === 'mcp.catalog' ? { ...p, after: { ...p.after!, summary: hostile } } : p)), configCompatibility: [{ severity: 'fail', message: hostile, file: 'a"b.yaml', line: 1 }] },
      '/docs/',
    ).value;
    expect(page).not.toMatch(/<script|<img/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('href="/docs/evidence/mcp.catalog/2026-12-01T00-00-00-000Z.json" data-side="before"');
    expect(page).toContain('href="/docs/evidence/upgrade-preview/1.110.2/mcp.catalog/2026-12-03T10-00-00-000Z.json" data-side="after"');
    // A changed client cell links its status on each side to the run it was read from.
    const cell = /<tr data-upgrade-cell="codex\/lan\/invocation">.*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(cell).toContain('href="/docs/evidence/codex.invoke/2026-12-01T00-00-00-000Z.json"');
    expect(cell).toContain('href="/docs/evidence/upgrade-preview/1.110.2/codex.invoke/2026-12-03T10-00-00-000Z.json"');
  });
});
