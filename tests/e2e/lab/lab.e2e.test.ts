/**
 * End to end on the real lab: LiteLLM 1.77.1, Traefik v3, PostgreSQL and the npm MCP servers,
 * in a throwaway workspace on free ports. Nothing here is a stand-in.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import type { Config } from '../../../src/probes/config.ts';
import { clientMatrix, CLIENT_ORDER } from '../../../src/evidence/client-matrix.ts';
import { probeViews } from '../../../src/evidence/history.ts';
import { unobservedCells } from '../../../src/evidence/matrix-observations.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { findRegions } from '../../../src/rewrite/regions.ts';
import { buildSite } from '../../../src/site/build.ts';
import { serveStatic } from '../../../src/site/serve-static.ts';
import { launchChromium } from '../../helpers/chromium.ts';
import { run } from '../../helpers/cli-workspace.ts';
import { sharedLab, type SharedLab } from '../../helpers/shared-lab.ts';

let lab: SharedLab;
let workspace: { dir: string; configPath: string };
let config: Config;
const STATUS_DOC = 'content/litellm/MCP-INTEGRATION-STATUS.md';

/** refresh-docs on the test's workspace. */
function refresh(argv: string[] = []) {
  return run(main, ['--config', workspace.configPath, ...argv]);
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function outsideRegions(text: string): string {
  let out = '';
  let cursor = 0;
  for (const region of findRegions(text, 'doc.md')) {
    out += text.slice(cursor, region.markerStart);
    cursor = region.contentEnd;
  }
  return out + text.slice(cursor);
}

beforeAll(async () => {
  lab = await sharedLab();
  ({ config, ...workspace } = await lab.docsWorkspace());
});

afterAll(async () => rm(workspace.dir, { recursive: true, force: true }));

describe('the walking skeleton on the real lab', () => {
  const outputs: string[] = [];

  it('lists both servers\' tools through Traefik, writes evidence and rewrites only the region', async () => {
    const before = await readFile(path.join(workspace.dir, STATUS_DOC), 'utf8');
    const run = await refresh();
    outputs.push(run.stdout, run.stderr);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    for (const id of ['traefik.labels', 'traefik.routes', 'gateway.health', 'gateway.config', 'secrets.audit', 'mcp.invoke']) {
      expect(run.stdout).toMatch(new RegExp(`${id.replace('.', '\\.')}\\s+pass`));
    }
    // Two honest warnings about LiteLLM 1.77.1 itself: a rejected key answers 500 on /mcp/,
    // and /mcp/sse never opens an SSE session (only keep-alive pings, the seed's old log).
    expect(run.stdout).toMatch(/gateway\.auth\s+warn/);
    expect(run.stdout).toMatch(/mcp\.catalog\s+warn .*\/mcp\/sse/);

    const evidence = await filesUnder(path.join(config.evaluationDir, 'mcp.catalog'));
    const resultFile = evidence.find((f) => f.endsWith('.json') && !f.endsWith('.transcript.json'))!;
    expect(path.basename(resultFile)).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    const result = JSON.parse(await readFile(resultFile, 'utf8'));
    expect(result).toMatchObject({ id: 'mcp.catalog', status: 'warn' });
    const servers = Object.fromEntries(result.facts.servers.map((s: { name: string; tools: string[] }) => [s.name, s.tools]));
    expect(servers.mcp_postgres).toContain('query');
    expect(servers.mcp_filesystem).toEqual(expect.arrayContaining(['list_allowed_directories', 'read_text_file']));

    // The transcript is the raw exchange through Traefik, with the key redacted.
    const transcript = JSON.parse(await readFile(path.join(config.evaluationDir, result.evidence.transcript), 'utf8'));
    expect(transcript[0]).toMatchObject({ method: 'POST', status: 200 });
    expect(transcript[0].url).toContain(`${new URL(config.hostByName('lan').url).host}/mcp/`);
    expect(transcript[0].requestHeaders.authorization).toBe('Bearer [REDACTED]'); // the key as clients send it
    expect(transcript[0].requestHeaders['x-mcp-servers']).toBe('mcp_postgres,mcp_filesystem');

    const after = await readFile(path.join(workspace.dir, STATUS_DOC), 'utf8');
    expect(after).toContain('| mcp_postgres | 1 | `query` |');
    expect(after).toContain(`(../../evaluation/${result.evidence.result})`);
    // Outside the regions only the footer's date moves: the date the doc's status last changed.
    const today = result.startedAt.slice(0, 10);
    expect(outsideRegions(after)).toBe(outsideRegions(before).replace('*Last Updated: 2025-09-18*', `*Last Updated: ${today}*`));

    // The plan's bound items now say what the evidence shows, nothing else in the plan moved.
    const plan = await readFile(path.join(workspace.dir, 'content/litellm/CODEXMCP.md'), 'utf8');
    expect(plan).toContain(`capturing tool catalog events; store log under \`projects/litellm/evaluation/lan-mcp-tools-<date>.log\`. ⚠️ Warning: ${result.summary} (${today}, [evidence](../../evaluation/${result.evidence.result})).`);
    expect(plan).toContain(`Inspect Traefik labels in \`projects/litellm/docker-compose.yml\`; confirm both hosts map to LiteLLM service. ✅ Completed ${today}`);
    expect(plan).not.toContain('(contains keep-alive pings)');
    expect(plan).toContain('⚠️ Pending since 2025-09-18 (owner: security): needs security approval.');
  });

  it('the PR gate passes on what the refresh just wrote, and every client-matrix cell is an observation', async () => {
    const check = await refresh(['--check']);
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
    // Every client × host × config/listing/invocation cites a transcript that observed it, or says why not.
    const views = await probeViews(config.evaluationDir);
    const hosts = config.hosts.map((host) => host.name);
    const rows = clientMatrix(views, hosts);
    const gaps = await unobservedCells({ rows, clients: CLIENT_ORDER, hosts, views, evaluationDir: config.evaluationDir });
    expect(gaps).toEqual([]);
    expect(CLIENT_ORDER).toEqual(['codex', 'openwebui', 'vscode', 'claude']);
  });

  it('keeps earlier evidence and reports a wrong key as a failure, exit 1', async () => {
    const earlier = await filesUnder(config.evaluationDir);
    const saved = process.env.LITELLM_MASTER_KEY;
    process.env.LITELLM_MASTER_KEY = 'sk-this-key-is-wrong-0123456789';
    try {
      const run = await refresh();
      outputs.push(run.stdout, run.stderr);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/mcp\.catalog\s+fail .*cannot list tools at .*HTTP 500 .*check LITELLM_MASTER_KEY/);
      expect(run.stdout).not.toContain('sk-this-key-is-wrong');
    } finally {
      if (saved === undefined) delete process.env.LITELLM_MASTER_KEY;
      else process.env.LITELLM_MASTER_KEY = saved;
    }
    const now = await filesUnder(config.evaluationDir);
    expect(now).toEqual(expect.arrayContaining(earlier));
    expect(now.length).toBe(earlier.length + 2 * PROBE_IDS.length); // a result and a transcript for each probe
  });

  it('publishes the generated catalog on the site, read in real Chromium', async () => {
    await refresh(); // back to a passing catalog after the wrong-key run
    const { outDir } = await buildSite({ configPath: workspace.configPath, outDir: path.join(workspace.dir, 'dist') });
    const server = await serveStatic(outDir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/litellm/mcp-integration-status/`);
      const catalog = page.locator('table', { hasText: 'mcp_filesystem' }).filter({ hasText: 'Names' });
      await expect(catalog.locator('tr', { hasText: 'mcp_postgres' }).textContent()).resolves.toContain('query');
      expect(await catalog.locator('tbody tr').count()).toBe(2);
      // The evidence link of the region opens the published, redacted evidence.
      const evidence = await page.locator('a[href*="mcp.catalog/"]', { hasText: 'evidence' }).first().getAttribute('href');
      const response = await page.goto(new URL(evidence!, page.url()).toString());
      expect(response?.status()).toBe(200);
      expect(await response?.json()).toMatchObject({ id: 'mcp.catalog', status: 'warn' });
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('leaks none of the lab\'s generated secrets into evidence, runbooks, the site or the console', async () => {
    const secrets = [lab.secrets.masterKey, lab.secrets.postgresPassword, lab.secrets.postgresAdminPassword, lab.secrets.postgresUrl];
    const files = [
      ...(await filesUnder(config.evaluationDir)),
      ...(await filesUnder(path.join(workspace.dir, 'content'))),
      ...(await filesUnder(path.join(workspace.dir, 'dist'))),
    ];
    expect(files.filter((f) => f.includes(`${path.sep}dist${path.sep}`)).length).toBeGreaterThan(5);
    const haystacks = [...(await Promise.all(files.map((f) => readFile(f, 'utf8')))), ...outputs];
    for (const secret of secrets) {
      const hits = haystacks.filter((text) => text.includes(secret));
      expect(hits, `a generated secret appears in ${hits.length} file(s)/output(s)`).toEqual([]);
    }
  });
});
