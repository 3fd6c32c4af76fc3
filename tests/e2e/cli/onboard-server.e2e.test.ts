/**
 * Onboarding a third MCP server needs no code change: one entry in LiteLLM's config.yaml and
 * one line in proofbook.config.yaml. On a lab of its own (it changes the gateway's config),
 * `mcp_timescaledb` — a second instance of the real @modelcontextprotocol/server-postgres
 * against the lab's database, the "timescaledb" the plan's phase 5 names — is added; after
 * `refresh-docs` its tools are in the catalog evidence, in the runbook's rewritten
 * `mcp.catalog` region, in the `gateway.config` check, and on the built status dashboard.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as refreshDocs, type RefreshJson } from '../../../src/cli/refresh-docs.ts';
import { loadConfig, type Config } from '../../../src/probes/config.ts';
import { labDown, labUp } from '../../../src/lab/lab.ts';
import { findRegions } from '../../../src/rewrite/regions.ts';
import { buildSite } from '../../../src/site/build.ts';
import { createLabWorkspace, type LabWorkspace } from '../../helpers/lab-workspace.ts';

const SERVER = 'mcp_timescaledb';

/** The new server, as a team would add it under `mcp_servers:` (same shape as mcp_postgres). */
const LITELLM_ENTRY = `  ${SERVER}:
    transport: stdio
    description: Time-series metrics (read-only), onboarded without a code change
    command: sh
    args: ["-c", "exec mcp-server-postgres \\"$POSTGRES_URL\\""]
    env:
      POSTGRES_URL: os.environ/MCP_POSTGRES_URL
`;

describe('onboarding a third MCP server with no code change', () => {
  let workspace: LabWorkspace;
  let config: Config;
  let report: RefreshJson;

  beforeAll(async () => {
    workspace = await createLabWorkspace();
    // 1. LiteLLM's config.yaml: one more entry under mcp_servers.
    const litellmConfig = path.join(workspace.dir, 'lab', 'config.yaml');
    const before = await readFile(litellmConfig, 'utf8');
    expect(before).toMatch(/^mcp_servers:\n/m);
    await writeFile(litellmConfig, `${before.trimEnd()}\n${LITELLM_ENTRY}`);
    // 2. proofbook.config.yaml: one line — the gateway's server list (gateway.mcp.servers).
    const text = await readFile(workspace.configPath, 'utf8');
    const line = /^(\s*)servers: \[mcp_postgres, mcp_filesystem\]$/m;
    expect(text).toMatch(line);
    const edited = text.replace(line, `$1servers: [mcp_postgres, mcp_filesystem, ${SERVER}]`);
    expect(edited.split('\n').filter((l, i) => l !== text.split('\n')[i])).toHaveLength(1);
    await writeFile(workspace.configPath, edited);

    config = await loadConfig(workspace.configPath);
    await labUp(config); // its readiness check already asks for all three servers
    const out: string[] = [];
    const code = await refreshDocs({
      argv: ['--config', workspace.configPath, '--only', 'mcp.catalog,gateway.config,mcp.invoke', '--json'],
      stdout: (l) => out.push(l),
      stderr: () => {},
    });
    report = JSON.parse(out.join('\n')) as RefreshJson;
    expect(code, JSON.stringify(report.results.map((r) => [r.id, r.status, r.summary]))).toBeLessThanOrEqual(1);
  }, 600_000);

  afterAll(async () => {
    if (config) await labDown(config);
    await workspace?.remove();
  });

  it("lists the new server's tools in the catalog evidence", async () => {
    const catalog = report.results.find((r) => r.id === 'mcp.catalog')!;
    expect(['pass', 'warn']).toContain(catalog.status); // warn: LiteLLM 1.77.1 serves no legacy SSE
    const evidence = JSON.parse(await readFile(path.join(config.evaluationDir, catalog.evidence.result), 'utf8')) as {
      facts: { servers: { name: string; tools: string[]; missingTools: string[] }[] };
    };
    expect(evidence.facts.servers.map((s) => s.name)).toEqual(['mcp_postgres', 'mcp_filesystem', SERVER]);
    expect(evidence.facts.servers.find((s) => s.name === SERVER)).toEqual({ name: SERVER, tools: ['query'], missingTools: [] });
    expect(catalog.summary).toContain(`${SERVER} 1`);
    // LiteLLM's config as Proofbook checks it: the new server is expected (from the catalog's list) and found.
    const gatewayConfig = report.results.find((r) => r.id === 'gateway.config')!;
    expect(gatewayConfig.status, gatewayConfig.summary).toBe('pass');
    expect(JSON.stringify(gatewayConfig.facts)).toContain(SERVER);
  });

  it('rewrites the runbook regions with the new server', async () => {
    const file = path.join(workspace.dir, 'content', 'litellm', 'MCP-INTEGRATION-STATUS.md');
    const text = await readFile(file, 'utf8');
    const region = (id: string) => {
      const found = findRegions(text, file).find((r) => r.id === id)!;
      return text.slice(found.contentStart, found.contentEnd);
    };
    expect(region('mcp.catalog')).toMatch(new RegExp(`\\| ${SERVER} +\\| +1 \\| \`query\` +\\|`));
    expect(region('gateway.config')).toContain(SERVER);
    expect(report.docs.find((d) => d.file.endsWith('MCP-INTEGRATION-STATUS.md'))?.changed).toBe(true);
  });

  it('shows the new server on the built status dashboard', async () => {
    const started = performance.now();
    const { outDir } = await buildSite({ configPath: workspace.configPath, outDir: path.join(workspace.dir, 'site') });
    console.info(`site built in ${Math.round(performance.now() - started)} ms`);
    const status = await readFile(path.join(outDir, 'status', 'index.html'), 'utf8');
    // The topology's MCP server column, coloured by the catalog's evidence.
    expect(status).toContain(SERVER);
    const page = (await readdir(path.join(outDir, 'litellm'))).find((p) => p === 'mcp-integration-status');
    expect(page).toBeDefined();
    expect(await readFile(path.join(outDir, 'litellm', 'mcp-integration-status', 'index.html'), 'utf8')).toContain(SERVER);
  }, 300_000);
});
