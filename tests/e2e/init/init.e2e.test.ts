/**
 * `proofbook init` on the real shared lab: the hand-written fixture runbooks (tests/fixtures/adopt)
 * go into a docs workspace whose existing config points at the lab; init adds region markers and
 * appends its bindings to that config; a live refresh then changes only what Proofbook owns
 * (regions, bound items' status, `Last Updated` dates) and a second refresh changes nothing.
 */
import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main as initMain, type InitReport } from '../../../src/cli/init.ts';
import { main as refreshDocs, type RefreshJson } from '../../../src/cli/refresh-docs.ts';
import { loadConfig } from '../../../src/probes/config.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { run } from '../../helpers/cli-workspace.ts';
import { mask, owned, snapshot } from '../../helpers/outside-regions.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';

const FIXTURE = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'adopt', 'projects');
const DOCS = ['claude/CLAUDE.md', 'litellm/CLAUDE.md', 'litellm/CODEXMCP.md', 'litellm/MCP-INTEGRATION-STATUS.md'];
const GATEWAY_PROBES = ['traefik.labels', 'traefik.routes', 'gateway.health', 'gateway.auth', 'gateway.config', 'secrets.audit', 'mcp.catalog', 'mcp.invoke'];

describe('proofbook init, then a live refresh on the shared lab', () => {
  let dir: string;
  let configPath: string;
  let init: InitReport;
  const before: Record<string, string> = {};

  beforeAll(async () => {
    const docs = await (await sharedLab()).docsWorkspace();
    dir = docs.dir;
    configPath = docs.configPath;
    await rm(path.join(dir, 'content'), { recursive: true, force: true });
    for (const doc of DOCS) await cp(path.join(FIXTURE, doc), path.join(dir, 'content', doc));
    const result = await run(initMain, ['--yes', '--json', dir]);
    expect(result.code, result.stderr).toBe(0);
    init = JSON.parse(result.stdout) as InitReport;
    for (const doc of DOCS) before[doc] = await readFile(path.join(dir, 'content', doc), 'utf8');
  }, 900_000);

  it('extends the existing config with its bindings, and the config stays valid', async () => {
    expect(init.config.action).toBe('update');
    expect(init.regions.length).toBeGreaterThanOrEqual(5);
    const config = await loadConfig(configPath, { knownProbes: PROBE_IDS });
    for (const item of init.bound) expect(config.plan.bindings).toContainEqual({ match: item.match, file: item.file, probes: item.probes });
  });

  it('the live refresh changes only regions, bound statuses and dates; a second refresh changes nothing', async () => {
    const first = await run(refreshDocs, ['--config', configPath, '--only', GATEWAY_PROBES.join(','), '--json']);
    const report = JSON.parse(first.stdout) as RefreshJson;
    expect(report.results.map((r) => r.id).sort()).toEqual([...GATEWAY_PROBES].sort());
    for (const doc of DOCS) {
      const after = await readFile(path.join(dir, 'content', doc), 'utf8');
      const lines = report.docs.find((d) => d.file === path.join('content', doc))?.items.map((i) => i.line) ?? [];
      const ranges = owned(before[doc]!, after, doc, lines);
      expect(mask(after, ranges.after), doc).toBe(mask(before[doc]!, ranges.before));
    }
    const runbook = await readFile(path.join(dir, 'content', 'litellm', 'CLAUDE.md'), 'utf8');
    expect(runbook).toMatch(/\| lan \| `http:\/\/litellm\.linuxserver\.lan:\d+` \| web \| `litellm-lan` \|/);
    expect(runbook).toMatch(/\| mcp_postgres +\| +1 \| `query` +\|/);

    const snap = await snapshot(path.join(dir, 'content'));
    const second = await run(refreshDocs, ['--config', configPath, '--offline', '--json']);
    expect((JSON.parse(second.stdout) as RefreshJson).written).toEqual([]);
    expect(await snapshot(path.join(dir, 'content'))).toEqual(snap);
  }, 300_000);
});
