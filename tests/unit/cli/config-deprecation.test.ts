/**
 * A config that still sets `probes."mcp.catalog".servers`/`path` loads as before, and each run of
 * refresh-docs, verify and init says once, at the line the user wrote, where the field belongs now.
 */
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { main as init } from '../../../src/cli/init.ts';
import { main as refreshDocs } from '../../../src/cli/refresh-docs.ts';
import { main as verify } from '../../../src/cli/verify.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { CONFIG, createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

const NEW_PLACE = '  mcp:\n    servers: [mcp_postgres, mcp_filesystem]\n';
// The servers at their old place: line 11, under `probes:` → `mcp.catalog:`.
const LEGACY_CONFIG = CONFIG.replace(NEW_PLACE, '').replace('  mcp.catalog:\n', '  mcp.catalog:\n    servers: [mcp_postgres, mcp_filesystem]\n');

async function legacyWorkspace(): Promise<OfflineWorkspace> {
  const ws = await createOfflineWorkspace();
  await writeFile(ws.configPath, LEGACY_CONFIG);
  await ws.record({}, '2026-11-20T10:00:00.000Z');
  return ws;
}

const warningOf = (configPath: string) => `${configPath}:11:5: probes."mcp.catalog".servers moved to gateway.mcp.servers; move it there (it still works)`;

function capture() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, hooks: { stdout: (line: string) => stdout.push(line), stderr: (line: string) => stderr.push(line) } };
}

describe('probes."mcp.catalog".servers in a config', () => {
  it('refresh-docs warns once and runs as before', async () => {
    workspace = await legacyWorkspace();
    expect(LEGACY_CONFIG).not.toContain(NEW_PLACE);
    const run = capture();
    const code = await refreshDocs({ argv: ['--config', workspace.configPath, '--dry-run'], ...run.hooks, lockWaitMs: 300 });
    expect(code).toBe(EXIT_CODE.ok);
    expect(run.stderr).toEqual([warningOf(workspace.configPath)]);
  });

  it('verify warns once and verifies as before', async () => {
    workspace = await legacyWorkspace();
    const run = capture();
    const code = await verify({ argv: ['--config', workspace.configPath], cwd: workspace.dir, ...run.hooks });
    expect(code).toBe(EXIT_CODE.ok);
    expect(run.stderr).toEqual([warningOf(workspace.configPath)]);
  });

  it('init warns once about the config it would extend', async () => {
    workspace = await legacyWorkspace();
    const run = capture();
    const code = await init({ argv: [workspace.dir, '--dry-run'], ...run.hooks });
    expect(code).toBe(EXIT_CODE.ok);
    expect(run.stderr.filter((line) => line.includes('moved to'))).toEqual([warningOf(workspace.configPath)]);
  });

  it('says nothing once the field is at gateway.mcp', async () => {
    workspace = await createOfflineWorkspace();
    await workspace.record({}, '2026-11-20T10:00:00.000Z');
    const refreshRun = capture();
    expect(await refreshDocs({ argv: ['--config', workspace.configPath, '--dry-run'], ...refreshRun.hooks, lockWaitMs: 300 })).toBe(EXIT_CODE.ok);
    const verifyRun = capture();
    expect(await verify({ argv: ['--config', workspace.configPath], cwd: workspace.dir, ...verifyRun.hooks })).toBe(EXIT_CODE.ok);
    expect([...refreshRun.stderr, ...verifyRun.stderr].filter((line) => line.includes('moved to'))).toEqual([]);
  });
});
