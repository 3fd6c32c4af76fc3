/**
 * The status page at a glance: with 20 probes, 5 clients and 2 hosts, every probe tile and every
 * client-matrix cell is inside the first 1280×800 screen, each says its status in words (not
 * colour alone) and links to evidence the site publishes. Built from evidence written through
 * the real store, read in real Chromium.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEvidence } from '../../../src/evidence/store.ts';
import type { ProbeStatus } from '../../../src/model/status.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';
import { buildSite } from '../../../src/site/build.ts';
import { serveStatic, type StaticServer } from '../../../src/site/serve-static.ts';
import { launchChromium } from '../../helpers/chromium.ts';

const NOW = '2026-11-20T12:00:00.000Z';
const HOSTS = ['lan', 'external'];
/** Client → the probe that reports its matrix cells (cursor's probe is one only the index knows). */
const CLIENT_PROBES: Record<string, string> = { codex: 'codex.invoke', openwebui: 'openwebui.config', vscode: 'vscode.config', claude: 'claude.invoke', cursor: 'cursor.invoke' };
/** Probes only the index knows, so the page holds 20 whatever the registry counts today. */
const EXTRA = ['cursor.config', 'cursor.invoke', 'openwebui.list', 'vscode.list', 'vscode.invoke'];
const extras = EXTRA.filter((id) => !PROBE_IDS.includes(id)).sort();
const ALL = [...PROBE_IDS, ...extras.slice(0, Math.max(2, 20 - PROBE_IDS.length))];
const STATUSES: ProbeStatus[] = ['pass', 'pass', 'warn', 'fail', 'known-limitation', 'pass', 'error', 'skip'];

describe('status page at a glance', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'proofbook-glance-'));
    await mkdir(path.join(dir, 'content', 'ops'), { recursive: true });
    await writeFile(path.join(dir, 'content', 'ops', 'gateway.md'), '# Gateway\n\nStatus marks: ✅ ⚠️ ❌ 🔄\n');
    const evaluationDir = path.join(dir, 'evaluation');
    for (const [i, id] of ALL.entries()) {
      const client = Object.keys(CLIENT_PROBES).find((c) => CLIENT_PROBES[c] === id);
      const clientMatrix = client
        ? HOSTS.flatMap((host, h) =>
            (['config', 'listing', 'invocation'] as const).map((aspect, a) => ({ client, host, aspect, status: STATUSES[(i + h + a) % STATUSES.length], note: `note ${aspect}` })),
          )
        : undefined;
      // Stale (older than the 24 h default) every fifth probe, to show the dashed tile.
      const startedAt = new Date(Date.parse(NOW) - (i % 5 === 4 ? 50 : 1) * 3600_000).toISOString();
      const status = STATUSES[i % STATUSES.length]!;
      await writeEvidence({ evaluationDir, id, outcome: { status, summary: `${id} ${status}`, facts: clientMatrix ? { clientMatrix } : {}, transcript: [] }, startedAt, durationMs: 5, redactor: new Redactor() });
    }
    await writeFile(
      path.join(dir, 'proofbook.config.yaml'),
      ['runbooks: [content]', 'evaluationDir: evaluation', 'gateway:', '  configFile: config.yaml', '  composeFile: docker-compose.yml', '  mcp:', '    servers: [mcp_postgres]', 'hosts:', '  - name: lan', '    url: http://litellm.linuxserver.lan', '  - name: external', '    url: https://litellm.example.com', 'probes: {}', ''].join('\n'),
    );
    await buildSite({ configPath: path.join(dir, 'proofbook.config.yaml'), outDir: path.join(dir, 'site'), env: { PROOFBOOK_SITE_NOW: NOW } });
    server = await serveStatic(path.join(dir, 'site'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.clock.setFixedTime(new Date(NOW));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows every probe and every client-matrix cell inside the first 1280×800 screen', async () => {
    await page.goto(`${server.url}/status/`);
    const boxes = async (selector: string) =>
      page.locator(selector).evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { key: `${(el as HTMLElement).dataset.tile ?? el.closest('tr')?.dataset.glanceRow}/${(el as HTMLElement).dataset.host ?? ''}/${(el as HTMLElement).dataset.glanceCell ?? ''}`, top: r.top, left: r.left, bottom: r.bottom, right: r.right };
        }),
      );
    const tiles = await boxes('[data-tile]');
    const cells = await boxes('[data-glance-cell]');
    expect(tiles.map((t) => t.key.split('/')[0])).toEqual(ALL);
    expect(cells).toHaveLength(Object.keys(CLIENT_PROBES).length * HOSTS.length * 3);
    await mkdir(path.resolve(import.meta.dirname, '../../../test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.resolve(import.meta.dirname, '../../../test-artifacts/status-glance.png') });
    const outside = [...tiles, ...cells].filter((b) => b.top < 0 || b.left < 0 || b.bottom > 800 || b.right > 1280).map((b) => b.key);
    expect(outside).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  });

  it('says each status in words and a mark, not colour alone, and marks stale tiles', async () => {
    await page.goto(`${server.url}/status/`);
    const tiles = await page.locator('[data-tile]').evaluateAll((els) => els.map((el) => ({ id: (el as HTMLElement).dataset.tile!, state: (el as HTMLElement).dataset.state!, text: (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim() })));
    const words: Record<string, string> = { pass: 'pass', warn: 'warn', fail: 'fail', error: 'error', skip: 'skip', 'known-limitation': 'limited' };
    tiles.forEach((tile, i) => {
      const status = STATUSES[i % STATUSES.length]!;
      expect(tile.text).toContain(tile.id);
      expect(tile.text).toContain(words[status]);
      expect(tile.state).toBe(i % 5 === 4 ? 'stale' : status);
      expect(tile.text.includes('stale')).toBe(i % 5 === 4);
    });
    const cell = page.locator('tr[data-glance-row="openwebui"] [data-glance-cell="listing"][data-host="external"]');
    expect((await cell.innerText()).replace(/\s+/g, ' ')).toMatch(/^.\s*(pass|warn|fail|error|skip|limited)$/);
  });

  it('links every tile and matrix cell to evidence the site publishes', async () => {
    await page.goto(`${server.url}/status/`);
    const hrefs = await page.locator('[data-tile] a, [data-glance-cell] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(hrefs).toHaveLength(ALL.length + Object.keys(CLIENT_PROBES).length * HOSTS.length * 3);
    for (const href of new Set(hrefs)) {
      expect(href).toMatch(/^\/evidence\/[a-z.]+\/2026-11-\d\dT[\d-]+Z\.json$/);
      expect({ href, status: (await fetch(`${server.url}${href}`)).status }).toEqual({ href, status: 200 });
    }
  });
});
