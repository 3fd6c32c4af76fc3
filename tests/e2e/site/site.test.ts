/**
 * The site stage end to end: build a temporary copy of the workspace, serve it and
 * read it in real Chromium, as a reader would.
 */
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, SiteBuildError } from '../../../src/site/build.ts';
import { serveStatic, type StaticServer } from '../../../src/site/serve-static.ts';
import { launchChromium } from '../../helpers/chromium.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

// Only what the schema requires: the site reads nothing but `runbooks`.
const CONFIG = `runbooks: [content]
gateway:
  configFile: lab/config.yaml
  composeFile: lab/docker-compose.yml
hosts:
  - name: lan
    url: http://litellm.linuxserver.lan
probes:
  mcp.catalog:
    servers: [mcp_postgres, mcp_filesystem]
`;

const ASIDES = `# Notes with asides

:::note
The catalog was checked: [evidence](../../evaluation/site-test/sample.json).
:::

:::caution[Before an upgrade]
- [ ] Re-run the catalog check
:::

![Topology](img/topology.svg)
`;

describe('site', () => {
  let workspace: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'proofbook-site-'));
    // The evidence the runbooks link to comes along, as the site publishes it too.
    await cp(path.join(REPO, 'content'), path.join(workspace, 'content'), { recursive: true });
    if (existsSync(path.join(REPO, 'evaluation'))) {
      await cp(path.join(REPO, 'evaluation'), path.join(workspace, 'evaluation'), { recursive: true });
    }
    await writeFile(path.join(workspace, 'proofbook.config.yaml'), CONFIG);
    // An evidence link like the ones refresh-docs writes, whatever state the repo's runbooks are in.
    await mkdir(path.join(workspace, 'evaluation', 'site-test'), { recursive: true });
    await writeFile(path.join(workspace, 'evaluation', 'site-test', 'sample.json'), '{"ok":true}\n');
    await appendFile(
      path.join(workspace, 'content', 'litellm', 'MCP-INTEGRATION-STATUS.md'),
      '\nSample [evidence](../../evaluation/site-test/sample.json).\n',
    );
    // Starlight's asides, as a runbook written for a Starlight site has them: the aside's icon is
    // HTML that Starlight adds without a source position (the build used to crash on it).
    await writeFile(path.join(workspace, 'content', 'litellm', 'ASIDES.md'), ASIDES);
    await mkdir(path.join(workspace, 'content', 'litellm', 'img'), { recursive: true });
    await writeFile(path.join(workspace, 'content', 'litellm', 'img', 'topology.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>');
    const { outDir, durationMs } = await buildSite({
      configPath: path.join(workspace, 'proofbook.config.yaml'),
      outDir: path.join(workspace, 'site'),
    });
    console.info(`site built in ${durationMs} ms`);
    server = await serveStatic(outDir);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('publishes a runbook with its heading as title and its tables as tables', async () => {
    await page.goto(`${server.url}/litellm/mcp-integration-status/`);
    expect(await page.title()).toBe('MCP Integration Status | Proofbook');
    // Starlight prints the title as the one <h1>; the runbook's own `#` heading is not repeated.
    expect(await page.locator('h1').allTextContents()).toEqual(['MCP Integration Status']);
    // refresh-docs may add tables to the catalog region; the hand-written one comes first.
    const table = page.locator('.sl-markdown-content table').first();
    expect(await table.locator('th').allTextContents()).toEqual(['Server', 'Transport', 'Source']);
    // The proofbook:start/end HTML comments stay invisible and do not swallow what follows them.
    const text = await page.locator('.sl-markdown-content').innerText();
    expect(text).not.toContain('<!--');
    expect(text).not.toContain('proofbook:start mcp.catalog');
    expect(text).toContain('Known limitations');
  });

  it('has no broken links in the runbook', async () => {
    await page.goto(`${server.url}/litellm/mcp-integration-status/`);
    const hrefs = await page.locator('.sl-markdown-content a[href]').evaluateAll((anchors) =>
      anchors.map((a) => (a as HTMLAnchorElement).href),
    );
    const local = [...new Set(hrefs.map((href) => href.split('#')[0]!))].filter((href) => href.startsWith(server.url));
    expect(local).toContain(`${server.url}/claude/claude/`);
    expect(local).toContain(`${server.url}/evidence/site-test/sample.json`);
    for (const href of local) expect({ href, status: (await fetch(href)).status }).toEqual({ href, status: 200 });
  });

  it('groups the sidebar by project folder', async () => {
    await page.goto(`${server.url}/litellm/mcp-integration-status/`);
    const groups = page.locator('#starlight__sidebar details > summary');
    expect((await groups.allTextContents()).map((text) => text.trim())).toEqual(['claude', 'litellm']);
  });

  it('turns relative links between runbooks into site links', async () => {
    await page.goto(`${server.url}/litellm/mcp-integration-status/`);
    await page.locator('.sl-markdown-content').getByRole('link', { name: 'the Claude runbook' }).click();
    await page.waitForURL(`${server.url}/claude/claude/`);
    expect(await page.locator('h1').textContent()).toBe('Claude and VS Code clients');

    await page.locator('.sl-markdown-content').getByRole('link', { name: 'integration status' }).click();
    await page.waitForURL(`${server.url}/litellm/mcp-integration-status/#tool-catalog`);
    expect(await page.locator('#tool-catalog').textContent()).toBe('Tool catalog');
  });

  it('publishes Starlight asides, with the evidence a note cites inside it', async () => {
    await page.goto(`${server.url}/litellm/asides/`);
    expect(await page.locator('h1').textContent()).toBe('Notes with asides');
    await expect.poll(() => page.locator('.starlight-aside--note .starlight-aside__content details.pb-evidence').count()).toBe(1);
    expect(await page.locator('.starlight-aside--caution .starlight-aside__title').textContent()).toContain('Before an upgrade');
    // A relative image beside the runbook is bundled by Astro and shown.
    expect(await page.locator('.sl-markdown-content img[alt="Topology"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
  });

  it('lists every runbook on the home page', async () => {
    await page.goto(`${server.url}/`);
    const links = page.locator('.sl-markdown-content a');
    const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(expect.arrayContaining(['/claude/claude/', '/litellm/claude/', '/litellm/mcp-integration-status/', '/litellm/codexmcp/']));
    // One link per runbook in the workspace, no more.
    const runbooks = (await readdir(path.join(workspace, 'content'), { recursive: true })).filter((f) => String(f).endsWith('.md'));
    expect(hrefs).toHaveLength(runbooks.length);
  });

  it('logs no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});

describe('buildSite', () => {
  it('reports the command, exit code and output when the build fails', async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), 'proofbook-site-bad-'));
    try {
      await writeFile(path.join(workspace, 'proofbook.config.yaml'), 'runbooks: [content]\n');
      const failure = await buildSite({
        configPath: path.join(workspace, 'proofbook.config.yaml'),
        outDir: path.join(workspace, 'site'),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SiteBuildError);
      const { command, exitCode, output } = failure as SiteBuildError;
      expect(command).toContain('astro build');
      expect(exitCode).not.toBe(0);
      expect(output).toContain('Invalid Proofbook config');
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  }, 120_000);
});
