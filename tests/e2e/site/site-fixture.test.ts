/**
 * The site over a fixed workspace (tests/fixtures/site): a known evaluation history, so the
 * dashboard's every status, date and history cell can be checked, plus hand-filed logs (one of
 * 20 MB) for the evidence blocks. Built once, served, and read in real Chromium.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { buildSite } from '../../../src/site/build.ts';
import { serveStatic, type StaticServer } from '../../../src/site/serve-static.ts';
import { FIXTURE_NOW } from '../../fixtures/site/fixture.ts';
import { BIG_LOG, BIG_LOG_BYTES, FIXTURE_SECRET, siteWorkspace, SMALL_LOG, type SiteWorkspace } from '../../fixtures/site/workspace.ts';
import { fontconfigWithoutEmoji, glyphInk, launchChromium } from '../../helpers/chromium.ts';

/** Screenshots go here (git-ignored); CI keeps them as test artifacts. */
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

const FIXTURE_PROBES = ['traefik.labels', 'gateway.config', 'secrets.audit', 'mcp.catalog', 'codex.invoke', 'openwebui.config'];

describe('site over the fixture workspace', () => {
  let workspace: SiteWorkspace;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let dashboardHtml = '';
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    workspace = await siteWorkspace({ bigLog: true });
    const { durationMs } = await buildSite({
      configPath: workspace.configPath,
      outDir: workspace.outDir,
      env: { PROOFBOOK_SITE_NOW: FIXTURE_NOW },
    });
    console.info(`fixture site built in ${durationMs} ms`);
    server = await serveStatic(workspace.outDir);
    browser = await launchChromium();
    page = await browser.newPage();
    // The reader's clock is the build's: the page re-judges staleness by it.
    await page.clock.setFixedTime(new Date(FIXTURE_NOW));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    dashboardHtml = await readFile(path.join(workspace.outDir, 'status', 'index.html'), 'utf8');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await workspace?.remove();
  });

  const card = (id: string) => page.locator(`[data-probe="${id}"]`);

  it('shows each probe with its status, stale once its last run is too old', async () => {
    await page.goto(`${server.url}/status/`);
    expect(await page.locator('h1').textContent()).toBe('Status');
    const states = await page.locator('[data-probe]').evaluateAll((cards) =>
      Object.fromEntries(cards.map((c) => [(c as HTMLElement).dataset.probe, (c as HTMLElement).dataset.state])),
    );
    expect(states).toEqual({
      ...Object.fromEntries(PROBE_IDS.map((id) => [id, 'none'])),
      'traefik.labels': 'pass',
      'gateway.config': 'pass',
      'secrets.audit': 'stale',
      'mcp.catalog': 'pass',
      'codex.invoke': 'pass',
      'openwebui.config': 'known-limitation',
    });
    // Stale keeps the status it had: a warning three days old.
    expect(await card('secrets.audit').getAttribute('data-status')).toBe('warn');
    expect(await card('secrets.audit').locator('[data-stale-badge]').isVisible()).toBe(true);
    expect(await card('mcp.catalog').locator('[data-stale-badge]').isVisible()).toBe(false);
  });

  it('dates the status since its last change and the last verification', async () => {
    await page.goto(`${server.url}/status/`);
    const times = async (id: string) => card(id).locator('dd time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    // gateway.config failed three times, then passed twice: passing since the first pass.
    expect(await times('gateway.config')).toEqual(['2026-11-20T00:00:00.000Z', '2026-11-20T06:00:00.000Z']);
    // mcp.catalog's one failure (run 13 of 22) restarts its streak.
    expect(await times('mcp.catalog')).toEqual(['2026-11-19T19:00:00.000Z', '2026-11-20T11:00:00.000Z']);
    expect(await card('mcp.catalog').locator('[data-age]').textContent()).toBe('(1 h ago)');
  });

  it('draws the last runs of each probe, oldest first, at most 20', async () => {
    await page.goto(`${server.url}/status/`);
    const cells = (id: string) => card(id).locator('svg.pb-history rect').evaluateAll((rects) => rects.map((r) => r.getAttribute('class')!.split('--')[1]));
    expect(await cells('gateway.config')).toEqual(['fail', 'fail', 'fail', 'pass', 'pass']);
    expect(await cells('traefik.labels')).toHaveLength(3);
    expect(await cells('secrets.audit')).toEqual(['warn', 'warn']);
    const catalog = await cells('mcp.catalog');
    expect(catalog).toHaveLength(20);
    // Runs 3..22 of 22 are shown; run 13 failed.
    expect(catalog.indexOf('fail')).toBe(10);
    expect(await card('mcp.catalog').textContent()).toContain('last 20 of 22 runs');
    // A registered probe without evidence has no strip at all.
    const unrun = PROBE_IDS.find((id) => !FIXTURE_PROBES.includes(id));
    if (unrun) {
      expect(await card(unrun).locator('svg.pb-history').count()).toBe(0);
      expect(await card(unrun).textContent()).toContain('no runs yet');
    }
  });

  it('links each history cell and the latest run to evidence that exists', async () => {
    await page.goto(`${server.url}/status/`);
    const hrefs = await page.locator('[data-evidence-link], svg.pb-history a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(hrefs.length).toBe(FIXTURE_PROBES.length + 20 + 5 + 3 + 2 + 1 + 1);
    for (const href of new Set(hrefs)) {
      expect(href).toMatch(/^\/evidence\/[a-z.]+\/2026-11-\d\dT[\d-]+Z\.json$/);
      expect({ href, status: (await fetch(`${server.url}${href}`)).status }).toEqual({ href, status: 200 });
    }
  });

  it('re-judges staleness by the reader’s clock', async () => {
    const later = await browser.newPage();
    try {
      await later.clock.setFixedTime(new Date(Date.parse(FIXTURE_NOW) + 3 * 86_400_000));
      await later.goto(`${server.url}/status/`);
      const states = await later.locator('[data-probe]').evaluateAll((cards) =>
        Object.fromEntries(cards.map((c) => [(c as HTMLElement).dataset.probe, (c as HTMLElement).dataset.state])),
      );
      // Every probe with evidence is stale three days on; probes without evidence stay "none".
      for (const id of FIXTURE_PROBES) expect(states[id], id).toBe('stale');
      expect(Object.values(states).filter((s) => s === 'stale')).toHaveLength(FIXTURE_PROBES.length);
      // The grid at the top says the same, in words.
      const tiles = await later.locator('[data-tile]').evaluateAll((els) => els.filter((e) => (e as HTMLElement).dataset.state === 'stale').map((e) => (e as HTMLElement).innerText));
      expect(tiles).toHaveLength(FIXTURE_PROBES.length);
      for (const text of tiles) expect(text).toContain('stale');
      expect(await later.locator('[data-node="server:mcp_filesystem"]').getAttribute('class')).toContain('pb-node--stale');
    } finally {
      await later.close();
    }
  });

  it('draws the topology coloured by the evidence', async () => {
    await page.goto(`${server.url}/status/`);
    const nodes = await page.locator('svg.pb-topology [data-node]').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-state')])),
    );
    expect(nodes).toEqual({
      // One node per client the client probes speak for, coloured by its worst check.
      'client:codex': 'pass',
      'client:openwebui': 'known-limitation',
      'host:lan': 'pass',
      'host:external': 'pass',
      'router:litellm-lan': 'pass',
      'router:litellm-external': 'pass',
      // No gateway.health evidence in the fixture: grey, not green.
      litellm: 'none',
      'server:mcp_postgres': 'pass',
      'server:mcp_filesystem': 'pass',
    });
    // Both clients are configured for the LAN host only.
    expect(await page.locator('svg.pb-topology path.pb-topology__edge').count()).toBe(2 + 2 + 2 + 2);
  });

  it('counts plan progress per phase and lists the open decisions', async () => {
    await page.goto(`${server.url}/status/`);
    const phases = await page.locator('[data-phase]').evaluateAll((rows) =>
      rows.map((r) => `${(r as HTMLElement).dataset.phase}: ${(r as HTMLElement).dataset.done}/${(r as HTMLElement).dataset.total}`),
    );
    expect(phases).toEqual([
      'Phase 1 – Network & Gateway Verification: 2/3',
      'Phase 2 – MCP Server & Secrets Audit: 1/2',
      'Phase 3 – Client Matrix: 2/3',
      'Phase 4 – Outstanding Decisions: 1/3',
    ]);
    const decisions = page.locator('[data-decision]');
    expect(await decisions.evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.decision))).toEqual([
      'Coordinate with network/DNS team',
      'Decide on scoped API key issuance',
    ]);
    await decisions.first().getByRole('link').click();
    await page.waitForURL(`${server.url}/ops/plan/#phase-4--outstanding-decisions`);
    expect(await page.locator('#phase-4--outstanding-decisions').textContent()).toBe('Phase 4 – Outstanding Decisions');
  });

  it('links each probe to the runbook region it feeds', async () => {
    await page.goto(`${server.url}/status/`);
    await card('mcp.catalog').getByRole('link', { name: 'Gateway runbook › Tool catalog' }).click();
    await page.waitForURL(`${server.url}/ops/gateway/#tool-catalog`);
    expect(await page.locator('#tool-catalog').textContent()).toBe('Tool catalog');
    await page.goto(`${server.url}/status/`);
    await page.locator('[data-phase^="Phase 2"]').getByRole('link').click();
    await page.waitForURL(`${server.url}/ops/plan/#phase-2--mcp-server--secrets-audit`);
  });

  it('embeds evidence under each link to it, collapsed until opened', async () => {
    await page.goto(`${server.url}/ops/gateway/`);
    const block = page.locator('details.pb-evidence').first();
    expect(await block.locator('summary').textContent()).toContain('traefik.labels/2026-11-20T06-00-00-000Z.json');
    expect(await block.locator('.pb-evidence__preview').isVisible()).toBe(false);
    await block.locator('summary').click();
    await expect.poll(() => block.locator('.pb-evidence__preview').isVisible()).toBe(true);
    expect(await block.locator('.pb-evidence__preview').textContent()).toContain('"id": "traefik.labels"');

    const file = path.join(workspace.evaluationDir, 'traefik.labels', '2026-11-20T06-00-00-000Z.json');
    const bytes = await readFile(file);
    const facts = await block.locator('dl').innerText();
    expect(facts).toContain(createHash('sha256').update(bytes).digest('hex'));
    expect(facts).toContain('(matches index.jsonl)');
    expect(facts).toContain(`${bytes.length.toLocaleString('en-US')} bytes`);
    expect(facts).toMatch(/Probe\s+traefik\.labels/);
    expect(facts).toMatch(/Status\s+pass 2 hosts routed/);
    const download = await block.getByRole('link', { name: 'Download the raw file' }).getAttribute('href');
    expect(Buffer.from(await (await fetch(`${server.url}${download}`)).arrayBuffer())).toEqual(bytes);
  });

  it('inlines a file once per page; later blocks point back to the first', async () => {
    await page.goto(`${server.url}/ops/gateway/`);
    const blocks = page.locator('details.pb-evidence', { hasText: 'traefik.labels/2026-11-20T06-00-00-000Z.json' });
    expect(await blocks.count()).toBe(2);
    const [first, second] = [blocks.nth(0), blocks.nth(1)];
    expect(await first.locator('.pb-evidence__preview').count()).toBe(1);
    expect(await second.locator('.pb-evidence__preview').count()).toBe(0);
    // Its run, not its facts again: the first block has the sha256 and size.
    expect(await second.locator('summary').textContent()).toContain('pass');
    expect(await second.locator('dl').count()).toBe(0);
    await second.locator('summary').click();
    await second.getByRole('link', { name: 'earlier on this page' }).click();
    await page.waitForURL(`${server.url}/ops/gateway/#${await first.getAttribute('id')}`);
  });

  it('embeds hand-filed logs named in inline code, and leaves unknown paths alone', async () => {
    await page.goto(`${server.url}/ops/gateway/`);
    const item = page.locator('li', { hasText: 'first catalog check' });
    expect(await item.locator('a > code').textContent()).toBe(`projects/litellm/evaluation/${SMALL_LOG}`);
    expect(await item.locator('a:has(code)').getAttribute('href')).toBe(`/evidence/${SMALL_LOG}`);
    const block = item.locator('details.pb-evidence');
    await block.locator('summary').click();
    expect(await block.locator('.pb-evidence__preview').textContent()).toContain('list_allowed_directories');
    expect(await block.locator('summary').textContent()).toContain('2025-09-18 (from the file name)');

    const unknown = page.locator('li', { hasText: 'never filed' });
    expect(await unknown.locator('code').count()).toBe(1);
    expect(await unknown.locator('a, details').count()).toBe(0);
  });

  it('never inlines a 20 MB log: a bounded preview and a link to the whole file', async () => {
    const html = await stat(path.join(workspace.outDir, 'ops', 'gateway', 'index.html'));
    expect(html.size).toBeLessThan(150_000);
    await page.goto(`${server.url}/ops/gateway/`);
    const block = page.locator('details.pb-evidence', { hasText: BIG_LOG });
    await block.locator('summary').click();
    const preview = (await block.locator('.pb-evidence__preview').textContent())!;
    expect(preview.split('\n')).toHaveLength(200);
    expect(await block.locator('.pb-evidence__truncated').textContent()).toContain('Showing the first 200 of 210,000 lines (20.0 MB in all).');
    const full = await block.getByRole('link', { name: 'Open the full file' }).getAttribute('href');
    const response = await fetch(`${server.url}${full}`);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(BIG_LOG_BYTES);
  });

  it('finds a tool name from a generated region with Pagefind search', async () => {
    await page.goto(`${server.url}/ops/plan/`);
    await page.locator('button[data-open-modal]').click();
    const input = page.locator('dialog[open] .pagefind-ui__search-input');
    await input.fill('list_allowed_directories');
    const result = page.locator('dialog[open] .pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 15_000 });
    expect(await result.textContent()).toBe('Gateway runbook');
    // Pagefind also offers the section, under its heading.
    expect(await page.locator('dialog[open] .pagefind-ui__result-link').allTextContents()).toContain('Tool catalog');
    await result.click();
    await page.waitForURL((url) => url.pathname === '/ops/gateway/');
  });

  it('follows cross-links between runbooks to their headings', async () => {
    await page.goto(`${server.url}/ops/gateway/`);
    await page.locator('.sl-markdown-content').getByRole('link', { name: 'alignment plan' }).click();
    await page.waitForURL(`${server.url}/ops/plan/#phase-1--network--gateway-verification`);
    expect(await page.locator('#phase-1--network--gateway-verification').isVisible()).toBe(true);
    await page.locator('.sl-markdown-content').getByRole('link', { name: 'tool catalog' }).click();
    await page.waitForURL(`${server.url}/ops/gateway/#tool-catalog`);
  });

  it('puts the dashboard first in the sidebar', async () => {
    await page.goto(`${server.url}/ops/plan/`);
    const first = page.locator('#starlight__sidebar a').first();
    expect(await first.textContent()).toContain('Status');
    expect(await first.getAttribute('href')).toBe('/status/');
  });

  it('keeps the dashboard small, and the configured secret out of it', () => {
    // The build passed its own secret scan (it would have failed otherwise); this is a spot check.
    expect(dashboardHtml).not.toContain(FIXTURE_SECRET);
    expect(Buffer.byteLength(dashboardHtml)).toBeLessThan(80_000);
    console.info(`dashboard page: ${(Buffer.byteLength(dashboardHtml) / 1024).toFixed(1)} KB`);
  });

  it('shows the client matrix, with the known limitation as its own state', async () => {
    await page.goto(`${server.url}/status/`);
    const cells = await page.locator('table.pb-clients tbody tr').evaluateAll((rows) =>
      rows.map((row) => [
        `${(row as HTMLElement).dataset.client}@${(row as HTMLElement).dataset.host}`,
        ...[...row.querySelectorAll('td[data-aspect]')].map((td) => (td as HTMLElement).dataset.status),
      ]),
    );
    expect(cells).toEqual([
      ['codex@lan', 'pass', 'pass', 'pass'],
      ['openwebui@lan', 'pass', 'none', 'known-limitation'],
    ]);
    const limitation = page.locator('tr[data-client="openwebui"] td[data-aspect="invocation"]');
    expect(await limitation.textContent()).toContain('known limitation catalog only');
    // Each cell links the evidence that decided it, and that file is published.
    const href = await limitation.locator('a').getAttribute('href');
    expect((await fetch(new URL(href!, server.url))).status).toBe(200);
  });

  it('saves screenshots of the dashboard and a runbook page as test artifacts', async () => {
    const dir = path.join(REPO_ROOT, 'test-artifacts');
    await mkdir(dir, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/status/`);
    // History cells take their size from CSS: drawn 10 × 18, not collapsed to nothing.
    const cell = await page.locator('svg.pb-history rect').first().boundingBox();
    expect([Math.round(cell!.width), Math.round(cell!.height)]).toEqual([10, 18]);
    await page.screenshot({ path: path.join(dir, 'dashboard.png'), fullPage: true });
    await page.goto(`${server.url}/ops/gateway/`);
    await page.screenshot({ path: path.join(dir, 'runbook-ops-gateway.png'), fullPage: true });
    for (const name of ['dashboard.png', 'runbook-ops-gateway.png']) {
      const png = await readFile(path.join(dir, name));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
    }
  });

  it('scrolls a wide table inside its own box at 1280×800: the page keeps its width, commands stay on one line', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/ops/rollout/`);
    const table = page.locator('.sl-markdown-content table').first();
    const facts = await table.evaluate((el) => {
      const root = document.documentElement;
      const { overflowX } = getComputedStyle(el);
      const before = el.scrollLeft;
      el.scrollLeft = el.scrollWidth;
      const lastHeader = el.querySelector('th:last-child')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return {
        pageOverflow: root.scrollWidth - root.clientWidth,
        hidden: el.scrollWidth - el.clientWidth,
        overflowX,
        scrolled: el.scrollLeft - before,
        lastHeaderInside: lastHeader.right <= box.right + 1 && lastHeader.left >= box.left - 1,
        withinContent: box.right <= el.closest('.sl-markdown-content')!.getBoundingClientRect().right + 1,
        commandLines: [...el.querySelectorAll('td code')].map((code) => code.getClientRects().length),
      };
    });
    expect(facts.pageOverflow).toBe(0);
    expect(facts.overflowX).toBe('auto');
    expect(facts.hidden).toBeGreaterThan(200);
    expect(facts.scrolled).toBeGreaterThan(200);
    expect(facts.lastHeaderInside).toBe(true);
    expect(facts.withinContent).toBe(true);
    // Long commands scroll with the table instead of breaking over lines (and out of sight).
    expect(facts.commandLines.length).toBeGreaterThanOrEqual(3);
    expect(facts.commandLines.every((lines) => lines === 1)).toBe(true);
    // No page of the fixture is wider than the window.
    for (const path of ['/ops/gateway/', '/ops/plan/', '/status/']) {
      await page.goto(`${server.url}${path}`);
      expect({ path, overflow: await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) }).toEqual({ path, overflow: 0 });
    }
  });

  it('draws the runbooks’ emoji in colour — and would not without the emoji font', async () => {
    const marks = ['✅', '⚠️', '❌', '🔄'];
    const inkOf = async (reader: Page) => {
      await reader.goto(`${server.url}/ops/rollout/`);
      const ink: Record<string, { width: number; colour: number }> = {};
      for (const mark of marks) {
        const { width, colour } = await glyphInk(reader, '.sl-markdown-content p:last-of-type', mark);
        ink[mark] = { width: Math.round(width), colour: Math.round(colour * 100) / 100 };
      }
      return ink;
    };
    await page.setViewportSize({ width: 1280, height: 800 });
    const withFont = await inkOf(page);
    for (const mark of marks) {
      // A colour glyph about as wide as the line is high, mostly in colour (not a grey box or outline).
      expect({ mark, wide: withFont[mark]!.width >= 16, coloured: withFont[mark]!.colour > 0.4 }).toEqual({ mark, wide: true, coloured: true });
    }
    // The control: the same page in a Chromium whose fontconfig hides the emoji font draws them
    // grey and narrow, so the check above really detects the font.
    const fontconfig = await fontconfigWithoutEmoji();
    const bare = await launchChromium({ FONTCONFIG_FILE: fontconfig });
    try {
      const without = await inkOf(await bare.newPage({ viewport: { width: 1280, height: 800 } }));
      for (const mark of marks) expect({ mark, colour: without[mark]!.colour }).toEqual({ mark, colour: 0 });
    } finally {
      await bare.close();
      await rm(path.dirname(fontconfig), { recursive: true, force: true });
    }
    await mkdir(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'runbook-ops-rollout.png') });
  });

  it('logs no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
