/**
 * The site's pure helpers (page ids, titles, runbook links): no build, no browser, so they run
 * with the unit tests while the built site is checked in tests/e2e/site/site.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { siteHref } from '../../../src/site/runbook-links.ts';
import { runbookId } from '../../../src/site/slugs.ts';
import { extractTitle, extractTitleFast } from '../../../src/site/title.ts';

describe('site helpers', () => {
  const dirs = ['/ws/content'];

  it('derives page ids from paths inside the runbook folders only', () => {
    expect(runbookId(dirs, '/ws/content/litellm/MCP-INTEGRATION-STATUS.md')).toBe('litellm/mcp-integration-status');
    expect(runbookId(dirs, '/ws/content/Ops Notes/Disk Full!.md')).toBe('ops-notes/disk-full');
    expect(runbookId(dirs, '/ws/content/litellm/index.md')).toBe('litellm');
    expect(runbookId(dirs, '/ws/content-old/a.md')).toBeUndefined();
    expect(runbookId(dirs, '/ws/content/litellm/config.yaml')).toBeUndefined();
  });

  it('finds the same title by parsing only the text up to it', () => {
    const fence = '```bash\n# not a title\n```\n';
    const cases = [
      '<!-- note -->\n# Disk *full*\n\nText\n\n# Second\n',
      `${fence}\n# Real title\n\nbody\n`,
      'Setext title\n============\n\n# Later\n',
      '<div>\n\n# inside html\n\n</div>\n\n# After\n',
      '## Only a section\n\n- # an item heading\n',
      `${fence.repeat(12)}# Deep title\n`, // more candidates than the fast path tries: one full parse
      '| a |\n|---|\n| # cell |\n\n# Table first\n',
      '',
    ];
    for (const markdown of cases) expect(extractTitleFast(markdown), markdown).toEqual(extractTitle(markdown));
  });

  it('takes the title from the first # heading and drops it from the body', () => {
    const markdown = '<!-- note -->\n# Disk *full*\n\nText\n\n# Second\n';
    expect(extractTitle(markdown)).toEqual({ title: 'Disk full', body: '<!-- note -->\n\n\nText\n\n# Second\n', cut: { start: 14, end: 27 } });
    expect(markdown.slice(14, 27)).toBe('# Disk *full*');
    expect(extractTitle('## Only a section\n').title).toBeUndefined();
  });

  it('rewrites relative links to runbooks, and nothing else', () => {
    const from = '/ws/content/litellm/MCP-INTEGRATION-STATUS.md';
    const targets = { runbookDirs: dirs, evidenceDir: '/ws/evaluation', base: '/' };
    expect(siteHref('../claude/CLAUDE.md', from, targets)).toBe('/claude/claude/');
    expect(siteHref('CLAUDE.md#secrets', from, { ...targets, base: '/docs' })).toBe('/docs/litellm/claude/#secrets');
    expect(siteHref('../../evaluation/mcp.catalog/2026-11-25T10-12-30-433Z.json', from, targets)).toBe(
      '/evidence/mcp.catalog/2026-11-25T10-12-30-433Z.json',
    );
    expect(siteHref('https://example.com/x.md', from, targets)).toBeUndefined();
    expect(siteHref('#overview', from, targets)).toBeUndefined();
    expect(siteHref('../../lab/config.yaml', from, targets)).toBeUndefined();
    expect(siteHref('../../README.md', from, targets)).toBeUndefined();
  });
});
