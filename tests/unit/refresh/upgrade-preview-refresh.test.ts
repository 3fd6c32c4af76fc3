/**
 * refresh-docs with a stored upgrade preview, on the repository's own runbooks (the region sits in
 * CODEXMCP.md's phase 5): the region is drawn from the newest preview.json, nothing else in the
 * runbooks moves — no plan item, no "status since", not the evidence index — and `--check` holds
 * once refreshed. A preview.json that is a link is refused by the preflight: exit 2, nothing written.
 */
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { probeViews } from '../../../src/evidence/history.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { findRegions } from '../../../src/rewrite/regions.ts';
import type { UpgradePreview } from '../../../src/upgrade/preview.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const now = () => new Date('2026-12-03T12:00:00.000Z');
  const code = await main({ argv: ['--config', workspace.configPath, ...argv], stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), lockWaitMs: 300, now });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = entry.isFile() ? await readFile(file, 'utf8') : entry.isDirectory() ? 'dir' : 'other';
  }
  return out;
}

/** The document with the upgrade.preview region's content cut out. */
function withoutPreview(text: string): string {
  const region = findRegions(text, 'CODEXMCP.md').find((r) => r.id === 'upgrade.preview')!;
  return text.slice(0, region.markerStart) + '[preview]' + text.slice(region.contentEnd);
}

const PLAN_FILE = 'content/litellm/CODEXMCP.md';

async function storePreview(before: string): Promise<UpgradePreview> {
  const folder = path.join(workspace.evaluationDir, 'upgrade-preview', '1.110.2');
  const after = 'upgrade-preview/1.110.2/mcp.catalog/2026-12-03T10-00-00-000Z.json';
  await mkdir(path.dirname(path.join(workspace.evaluationDir, after)), { recursive: true });
  await writeFile(path.join(workspace.evaluationDir, after), '{"id":"mcp.catalog","status":"fail"}\n');
  const preview: UpgradePreview = {
    schema: 1,
    from: '1.77.1',
    to: '1.110.2',
    ranAt: '2026-12-03T10:00:00.000Z',
    labUpMs: 41_000,
    probesMs: 12_500,
    probes: [
      {
        id: 'mcp.catalog',
        before: { status: 'pass', summary: '2 tools via lan', evidence: before },
        after: { status: 'fail', summary: '0 tools via lan: the catalog is empty', evidence: after },
        cleared: [],
        added: [{ severity: 'fail', message: 'mcp_postgres lists no tools' }],
        change: 'changed',
      },
    ],
    cells: [],
    configCompatibility: [],
  };
  await writeFile(path.join(folder, 'preview.json'), `${JSON.stringify(preview, null, 2)}\n`);
  return preview;
}

describe('refresh-docs and the upgrade preview', () => {
  it('without a preview the region says how to make one, and --check holds', async () => {
    workspace = await createOfflineWorkspace();
    await workspace.record({}, '2026-12-03T11:00:00.000Z');
    expect((await run('--offline')).code).toBe(EXIT_CODE.ok);
    const plan = await readFile(path.join(workspace.dir, PLAN_FILE), 'utf8');
    expect(plan).toContain('_No upgrade preview yet: run `npm run proofbook -- upgrade-preview --to <version>` to run every probe against that version on a second lab._');
    expect((await run('--check')).code).toBe(EXIT_CODE.ok);
  });

  it('draws the stored preview into its region and moves nothing else: plan items, status since and the index stay', async () => {
    workspace = await createOfflineWorkspace();
    await workspace.record({}, '2026-12-03T11:00:00.000Z');
    expect((await run('--offline')).code).toBe(EXIT_CODE.ok);
    const content = path.join(workspace.dir, 'content');
    const before = await snapshot(content);
    const index = await readFile(path.join(workspace.evaluationDir, 'index.jsonl'), 'utf8');
    const views = await probeViews(workspace.evaluationDir);

    await storePreview(views.get('mcp.catalog')!.evidence);
    expect((await run('--check')).code).toBe(EXIT_CODE.check); // the region lags the preview
    const refreshed = await run('--offline');
    expect(refreshed.code, refreshed.stderr).toBe(EXIT_CODE.ok);
    const after = await snapshot(content);

    const plan = after['litellm/CODEXMCP.md']!;
    expect(plan).toContain('LiteLLM 1.77.1 → 1.110.2, previewed 2026-12-03 on a second lab (1 probe, 1 changed).');
    expect(plan).toContain('| `mcp.catalog` | ✅ pass | ❌ fail | new: mcp_postgres lists no tools | [before](../../evaluation/mcp.catalog/');
    expect(plan).toContain('[after](../../evaluation/upgrade-preview/1.110.2/mcp.catalog/2026-12-03T10-00-00-000Z.json)');
    // Only that region changed: every other runbook and every byte outside it are as they were.
    expect(withoutPreview(plan)).toBe(withoutPreview(before['litellm/CODEXMCP.md']!));
    expect({ ...after, 'litellm/CODEXMCP.md': '' }).toEqual({ ...before, 'litellm/CODEXMCP.md': '' });
    expect(await readFile(path.join(workspace.evaluationDir, 'index.jsonl'), 'utf8')).toBe(index);
    expect(await probeViews(workspace.evaluationDir)).toEqual(views);
    // Refreshed, --check holds (the preview's evidence links resolve) and a second refresh is a no-op.
    const check = await run('--check');
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(EXIT_CODE.ok);
    expect((await run('--offline')).code).toBe(EXIT_CODE.ok);
    expect(await snapshot(content)).toEqual(after);
  });

  it('a preview.json that is a symbolic link stops the refresh with exit 2 at the link, and nothing is written', async () => {
    workspace = await createOfflineWorkspace();
    await workspace.record({}, '2026-12-03T11:00:00.000Z');
    const views = await probeViews(workspace.evaluationDir);
    await storePreview(views.get('mcp.catalog')!.evidence);
    const file = path.join(workspace.evaluationDir, 'upgrade-preview', '1.110.2', 'preview.json');
    await writeFile(path.join(workspace.dir, 'elsewhere.json'), await readFile(file));
    await rm(file);
    await symlink(path.join(workspace.dir, 'elsewhere.json'), file);
    const before = await snapshot(workspace.dir);
    for (const mode of ['--offline', '--check']) {
      const result = await run(mode);
      expect(result.code).toBe(EXIT_CODE.usage);
      expect(result.stderr).toContain(`${file}:1:1: ${file} is a symbolic link`);
    }
    expect(await snapshot(workspace.dir)).toEqual(before);
  });
});
