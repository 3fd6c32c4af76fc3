/**
 * The upgrade preview on the site, both places: the `/status/` section below the glance grid and
 * the `upgrade.preview` region refresh-docs draws into a runbook. The evidence of both labs is
 * written through the real store (the preview lab's under `upgrade-preview/<version>/`, with its
 * own index) and compared by `comparePreview`, as the command does; then the site is built and
 * read in real Chromium. One preview summary is hostile: it stays text on both pages.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as refreshDocs } from '../../../src/cli/refresh-docs.ts';
import { probeViews } from '../../../src/evidence/history.ts';
import { writeEvidence } from '../../../src/evidence/store.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import type { ProbeOutcome } from '../../../src/probes/types.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';
import { buildSite } from '../../../src/site/build.ts';
import { serveStatic, type StaticServer } from '../../../src/site/serve-static.ts';
import { comparePreview, previewDir, type UpgradePreview } from '../../../src/upgrade/preview.ts';
import { launchChromium } from '../../helpers/chromium.ts';

const NOW = '2026-12-03T12:00:00.000Z';
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> [x](javascript:alert(1))\n<!-- proofbook:end upgrade.preview -->';

type Outcomes = Record<string, Omit<ProbeOutcome, 'transcript'>>;

const CURRENT: Outcomes = {
  'gateway.health': { status: 'pass', summary: 'live and ready on 2 hosts', facts: {} },
  'gateway.auth': { status: 'warn', summary: 'no key: HTTP 500', facts: { findings: [{ severity: 'warn', code: 'auth.status', message: 'no key: HTTP 500 on lan' }] } },
  'mcp.catalog': { status: 'pass', summary: '3 tools via lan', facts: {} },
  'codex.invoke': { status: 'pass', summary: 'codex called query', facts: { clientMatrix: [{ client: 'codex', host: 'lan', aspect: 'invocation', status: 'pass' }] } },
};

const PREVIEWED: Outcomes = {
  'gateway.health': CURRENT['gateway.health']!,
  'gateway.auth': { status: 'pass', summary: 'no key: 401 on every host', facts: { findings: [] } },
  'mcp.catalog': { status: 'fail', summary: HOSTILE, facts: {} },
  'codex.invoke': { status: 'fail', summary: 'codex saw no tools', facts: { clientMatrix: [{ client: 'codex', host: 'lan', aspect: 'invocation', status: 'fail' }] } },
};

async function record(evaluationDir: string, outcomes: Outcomes, startedAt: string): Promise<void> {
  for (const [id, outcome] of Object.entries(outcomes)) {
    await writeEvidence({ evaluationDir, id, outcome: { ...outcome, transcript: [] }, startedAt, durationMs: 5, redactor: new Redactor() });
  }
}

describe('the upgrade preview on the site', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let preview: UpgradePreview;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'proofbook-upgrade-site-'));
    await mkdir(path.join(dir, 'content', 'ops'), { recursive: true });
    await writeFile(
      path.join(dir, 'content', 'ops', 'decisions.md'),
      '# Decisions\n\n## Upgrade LiteLLM\n\nWhat the upgrade would change:\n\n<!-- proofbook:start upgrade.preview -->\n<!-- proofbook:end upgrade.preview -->\n',
    );
    const evaluationDir = path.join(dir, 'evaluation');
    await record(evaluationDir, CURRENT, '2026-12-03T09:00:00.000Z');
    const folder = previewDir(evaluationDir, '1.110.2');
    await record(folder, PREVIEWED, '2026-12-03T10:00:00.000Z');
    const compared = comparePreview({
      before: await probeViews(evaluationDir),
      after: await probeViews(folder),
      previewPrefix: 'upgrade-preview/1.110.2',
      order: Object.keys(CURRENT),
      hosts: ['lan'],
    });
    preview = {
      schema: 1,
      from: '1.77.1',
      to: '1.110.2',
      ranAt: '2026-12-03T10:05:00.000Z',
      labUpMs: 41_200,
      probesMs: 12_500,
      ...compared,
      configCompatibility: [{ severity: 'warn', code: 'config.key.removed', message: 'litellm_settings.mcp_aliases is no longer read', file: 'lab/config.yaml', line: 14 }],
    };
    await writeFile(path.join(folder, 'preview.json'), `${JSON.stringify(preview, null, 2)}\n`);
    await writeFile(
      path.join(dir, 'proofbook.config.yaml'),
      ['runbooks: [content]', 'evaluationDir: evaluation', 'gateway:', '  configFile: config.yaml', '  composeFile: docker-compose.yml', '  mcp:', '    servers: [mcp_postgres]', 'hosts:', '  - name: lan', '    url: http://litellm.linuxserver.lan', 'probes: {}', ''].join('\n'),
    );
    const refreshed = await refreshDocs({ argv: ['--offline', '--config', path.join(dir, 'proofbook.config.yaml')], stdout: () => {}, stderr: () => {}, lockWaitMs: 300 });
    expect(refreshed).toBe(EXIT_CODE.ok);
    await buildSite({ configPath: path.join(dir, 'proofbook.config.yaml'), outDir: path.join(dir, 'site'), env: { PROOFBOOK_SITE_NOW: NOW } });
    server = await serveStatic(path.join(dir, 'site'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the status page shows the section below the glance grid: changed probes as before → after badges linking to both runs', async () => {
    await page.goto(`${server.url}/status/`);
    const heading = page.locator('h2#upgrade-preview');
    expect(await heading.innerText()).toBe('Upgrade preview');
    const glanceBottom = await page.locator('.pb-glance').evaluate((el) => el.getBoundingClientRect().bottom);
    expect(await heading.evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThanOrEqual(glanceBottom);

    const section = page.locator('[data-upgrade-preview="1.110.2"]');
    expect((await section.locator('p').first().innerText()).replace(/\s+/g, ' ')).toBe(
      'LiteLLM 1.77.1 → 1.110.2, previewed 2026-12-03 10:05 UTC on a second lab (4 probes, 3 changed) — lab up in 41.2 s, probes in 12.5 s',
    );
    const probes = await section.locator('[data-upgrade-probe]').evaluateAll((items) =>
      items.map((li) => ({
        id: (li as HTMLElement).dataset.upgradeProbe,
        sides: [...li.querySelectorAll('a[data-side]')].map((a) => `${(a as HTMLElement).dataset.side} ${a.textContent!.replace(/\s+/g, ' ').trim()} ${a.getAttribute('href')}`),
      })),
    );
    expect(probes.map((p) => p.id)).toEqual(['gateway.auth', 'mcp.catalog', 'codex.invoke']);
    const auth = probes[0]!.sides;
    expect(auth[0]).toMatch(/^before ! warn \/evidence\/gateway\.auth\/2026-12-03T09-00-00-000Z\.json$/);
    expect(auth[1]).toMatch(/^after ✓ pass \/evidence\/upgrade-preview\/1\.110\.2\/gateway\.auth\/2026-12-03T10-00-00-000Z\.json$/);
    expect(await section.locator('[data-upgrade-probe="gateway.auth"]').innerText()).toContain('clears: no key: HTTP 500 on lan');
    // Every evidence link of the section is a page the site publishes.
    const hrefs = await section.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(hrefs.length).toBe(8); // 3 probes × 2 runs + the changed cell's 2 runs
    for (const href of hrefs) expect({ href, status: (await fetch(`${server.url}${href}`)).status }).toEqual({ href, status: 200 });

    expect((await section.locator('[data-upgrade-cell="codex/lan/invocation"]').innerText()).replace(/\s+/g, ' ')).toBe('Codex CLI lan invocation ✓ pass → ✗ fail');
    const cellLinks = await section.locator('[data-upgrade-cell="codex/lan/invocation"] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(cellLinks).toEqual([expect.stringMatching(/^\/evidence\/codex\.invoke\/2026-12-03T09-00-00-000Z\.json$/), expect.stringMatching(/^\/evidence\/upgrade-preview\/1\.110\.2\/codex\.invoke\/2026-12-03T10-00-00-000Z\.json$/)]);
    expect(await section.locator('[data-upgrade-compat]').innerText()).toContain('lab/config.yaml:14 litellm_settings.mcp_aliases is no longer read');
    expect(await section.innerText()).toContain('No change in gateway.health.');
    await mkdir(path.resolve(import.meta.dirname, '../../../test-artifacts'), { recursive: true });
    await section.screenshot({ path: path.resolve(import.meta.dirname, '../../../test-artifacts/status-upgrade-preview.png') });
  });

  it('a hostile summary from the preview lab stays text on the status page and in the runbook', async () => {
    for (const at of ['/status/', '/ops/decisions/']) {
      await page.goto(`${server.url}${at}`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), at).toBeUndefined();
      expect(await page.locator('main img[src="x"]').count(), at).toBe(0);
      expect(await page.locator('main a[href^="javascript:"]').count(), at).toBe(0);
    }
    await page.goto(`${server.url}/status/`);
    expect(await page.locator('[data-upgrade-probe="mcp.catalog"]').innerText()).toContain('<script>window.__pwned=2</script>');
  });

  it('the runbook shows the region: the line, the changed probes with links to both runs that the site serves', async () => {
    const markdown = await readFile(path.join(dir, 'content', 'ops', 'decisions.md'), 'utf8');
    expect(markdown).toContain('LiteLLM 1.77.1 → 1.110.2, previewed 2026-12-03 on a second lab (4 probes, 3 changed).');
    await page.goto(`${server.url}/ops/decisions/`);
    const rows = await page.locator('main table').first().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => (tr.querySelector('td') as HTMLElement).innerText));
    expect(rows).toEqual(['gateway.auth', 'mcp.catalog', 'codex.invoke']);
    const hrefs = await page.locator('main table').first().locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!).filter((href) => href.includes('/evidence/')));
    expect(hrefs).toHaveLength(6);
    for (const href of hrefs) {
      const url = new URL(href, `${server.url}/ops/decisions/`);
      expect({ href, status: (await fetch(url)).status }).toEqual({ href, status: 200 });
    }
    expect(await page.locator('main').innerText()).toContain('No change in gateway.health.');
  });
});
