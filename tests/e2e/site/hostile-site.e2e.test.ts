/**
 * The reported stored XSS, end to end (issue 13, high 1): an MCP server whose `tools/list`
 * returns a name with a line break and a name carrying `<img onerror>`; `refresh-docs --only
 * mcp.catalog` records and renders it; the site is built and opened in real Chromium.
 *
 * The hostile server is a real MCP SDK server over streamable HTTP on loopback: it is the
 * attacker, not a stand-in for anything Proofbook ships. The runbook also carries raw HTML of its
 * own (a PR can add any), which the site's Content-Security-Policy must stop; and an `.html` file
 * under `evaluation/` must not be served from the site's origin.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { writeEvidence } from '../../../src/evidence/store.ts';
import { REGION_IDS } from '../../../src/render/index.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';
import { allViews, hostile } from '../../helpers/hostile-facts.ts';
import { buildSite } from '../../../src/site/build.ts';
import { serveStatic, type StaticServer } from '../../../src/site/serve-static.ts';
import { launchChromium } from '../../helpers/chromium.ts';

const XSS = `<img src=x onerror="document.title='XSS';window.__pwned=1">`;
const HOSTILE_TOOLS = [
  { name: 'mcp_postgres-a\nb', description: 'a line break in the name' },
  { name: `mcp_postgres-c${XSS}`, description: `<script>window.__pwned=2</script>` },
  { name: 'mcp_postgres-query', description: 'Run a read-only SQL query' },
];

const RUNBOOK = `# Hostile runbook

**Last Updated**: 2026-11-01

## Plan

- [ ] Tool catalog listed <!-- proof: mcp.catalog -->

## Tool catalog

<!-- proofbook:start mcp.catalog -->
<!-- proofbook:end mcp.catalog -->

## Raw HTML a pull request added

<script>document.title = 'XSS-RUNBOOK'; window.__pwned = 3;</script>

<img src="x" onerror="document.title='XSS-IMG'; window.__pwned = 4">

<a href="javascript:window.__pwned=5">a javascript: link</a>
`;

async function hostileMcpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const http: HttpServer = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/mcp')) {
      res.writeHead(405).end();
      return;
    }
    const server = new Server({ name: 'hostile', version: '0.0.1' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: HOSTILE_TOOLS.map((tool) => ({ ...tool, inputSchema: { type: 'object' as const, properties: {} } })),
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

describe('hostile tool names and raw HTML never run on the site', () => {
  let dir: string;
  let mcp: Awaited<ReturnType<typeof hostileMcpServer>>;
  let site: StaticServer;
  let browser: Browser;
  let page: Page;
  let runbookText = '';
  const violations: string[] = [];

  beforeAll(async () => {
    mcp = await hostileMcpServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-hostile-'));
    await mkdir(path.join(dir, 'content', 'ops'), { recursive: true });
    await mkdir(path.join(dir, 'evaluation'), { recursive: true });
    await writeFile(path.join(dir, 'content', 'ops', 'hostile.md'), RUNBOOK);
    // Every region, each fed evidence whose every string carries markup, scripts or control characters.
    await writeFile(
      path.join(dir, 'content', 'ops', 'every-region.md'),
      `# Every region\n\n${REGION_IDS.filter((id) => id !== 'mcp.catalog').map((id) => `## ${id}\n\n<!-- proofbook:start ${id} -->\n<!-- proofbook:end ${id} -->\n`).join('\n')}`,
    );
    for (const [id, view] of allViews()) {
      if (id === 'mcp.catalog') continue; // the hostile MCP server lists the catalog for real
      await writeEvidence({
        evaluationDir: path.join(dir, 'evaluation'),
        id,
        outcome: { status: view.status, summary: view.summary, facts: hostile(view.facts) as Record<string, unknown>, transcript: [] },
        startedAt: '2026-12-01T00:00:00.000Z',
        durationMs: 5,
        redactor: new Redactor(),
      });
    }
    await mkdir(path.join(dir, 'secrets'), { recursive: true });
    // Any key will do: the hostile server asks for none, and it must never reach the site.
    await writeFile(path.join(dir, 'secrets', 'litellm.env'), 'LITELLM_MASTER_KEY=sk-hostile-test-0123456789\n');
    await writeFile(path.join(dir, 'evaluation', 'report.html'), '<script>window.__pwned = 6; document.title = "XSS-EVIDENCE"</script>');
    await writeFile(
      path.join(dir, 'proofbook.config.yaml'),
      ['runbooks: [content]', 'evaluationDir: evaluation', 'secretsFiles: [secrets/litellm.env]', 'gateway:', '  configFile: config.yaml', '  composeFile: docker-compose.yml', 'hosts:', '  - name: lan', `    url: ${mcp.url}`, 'probes:', '  mcp.catalog:', '    servers: [mcp_postgres]', '    timeoutMs: 10000', ''].join('\n'),
    );
    const stderr: string[] = [];
    const code = await main({ argv: ['--only', 'mcp.catalog', '--config', path.join(dir, 'proofbook.config.yaml')], stdout: () => {}, stderr: (l) => stderr.push(l), lockWaitMs: 1000 });
    expect(code, stderr.join('\n')).not.toBe(EXIT_CODE.usage);
    runbookText = await readFile(path.join(dir, 'content', 'ops', 'hostile.md'), 'utf8');
    await buildSite({ configPath: path.join(dir, 'proofbook.config.yaml'), outDir: path.join(dir, 'dist') });
    site = await serveStatic(path.join(dir, 'dist'));
    browser = await launchChromium();
    page = await browser.newPage();
    await page.exposeFunction('__reportViolation', (text: string) => void violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { __reportViolation(t: string): void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await mcp?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the hostile names into the runbook as code in one table row, with no raw HTML', () => {
    const region = runbookText.slice(runbookText.indexOf('<!-- proofbook:start mcp.catalog'), runbookText.indexOf('<!-- proofbook:end mcp.catalog'));
    const rows = region.split('\n').filter((line) => line.startsWith('| mcp_postgres'));
    expect(rows).toHaveLength(1);
    // The catalog lists each server's tools without the `mcp_postgres-` prefix.
    expect(rows[0]).toContain('`a␊b`');
    expect(rows[0]).toContain(`\`c${XSS}\``);
    expect(region.replace(/`[^`\n]*`/g, '')).not.toContain('<img');
  });

  it('shows the names as text on the runbook page, and no script runs: not the tool names, not the runbook’s own raw HTML', async () => {
    await page.goto(`${site.url}/ops/hostile/`);
    await page.waitForLoadState('load');
    await page.waitForTimeout(300); // an onerror handler would have fired by now
    expect(await page.title()).not.toMatch(/XSS/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const codes = await page.locator('table code').allTextContents();
    expect(codes).toContain('a␊b');
    expect(codes).toContain(`c${XSS}`);
    // The runbook's own <script> and onerror= were refused by the policy, not merely absent.
    expect(violations.some((v) => v.startsWith('script-src'))).toBe(true);
    await page.locator('a', { hasText: 'a javascript: link' }).click().catch(() => undefined);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('a page of every region, each rendered from hostile evidence: no script runs, and the hostile text is shown as text', async () => {
    violations.length = 0;
    await page.goto(`${site.url}/ops/every-region/`);
    await page.waitForLoadState('load');
    await page.waitForTimeout(300);
    expect(await page.title()).not.toMatch(/XSS/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const text = (await page.locator('main').textContent()) ?? '';
    // Shown as text (outside code, the site's typography curls the quotes).
    expect(text).toContain('<script>document.title=');
    expect(text).toContain('<img src=x onerror=');
    const injected = await page.locator('main script:not([src^="/_astro/"]), main img[onerror], main [onclick]').evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 200)));
    expect(injected).toEqual([]);
    expect(await page.locator('main a[href^="javascript:" i]').count()).toBe(0);
  });

  it('the status page shows the same names without running them', async () => {
    await page.goto(`${site.url}/status/`);
    await page.waitForTimeout(300);
    expect(await page.title()).not.toMatch(/XSS/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('an .html file in evaluation/ is not served from the site’s origin', async () => {
    const response = await page.goto(`${site.url}/evidence/report.html`);
    expect(response?.status()).toBe(404);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
