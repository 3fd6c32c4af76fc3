/** refresh-docs as a CLI: exit codes, --check/--dry-run/--json, stability, all-or-nothing, the lock. */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  // A fixed clock: --check fails claims on evidence older than check.maxAgeHours (24 h by default).
  const now = () => new Date('2026-11-22T12:00:00.000Z');
  const code = await main({ argv: ['--config', workspace.configPath, ...argv], stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), lockWaitMs: 300, now });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Object.fromEntries(await Promise.all(files.map(async (f) => [path.relative(dir, f), await readFile(f, 'utf8')])));
}

const PLAN = `# Plan

1. Run scripted curl (SSE) test capturing tool catalog events. ✅ Completed 2025-09-18 (contains keep-alive pings).
2. Something nobody bound. ⚠️ Pending.
`;

describe('refresh-docs --check', () => {
  it('exits 3 with a unified diff when docs lag the evidence, and 0 once they are refreshed', async () => {
    workspace = await createOfflineWorkspace({ 'content/litellm/CODEXMCP.md': PLAN });
    await workspace.record({}, '2026-11-20T10:00:00.000Z');
    const before = await snapshot(path.join(workspace.dir, 'content'));

    const check = await run('--check');
    expect(check.code).toBe(EXIT_CODE.check);
    expect(check.stdout).toContain('--- a/content/litellm/CODEXMCP.md');
    expect(check.stdout).toContain('+1. Run scripted curl (SSE) test capturing tool catalog events. ✅ Completed 2026-11-20 ([evidence](../../evaluation/mcp.catalog/2026-11-20T10-00-00-000Z.json)).');
    expect(check.stdout).toMatch(/would change: .*CODEXMCP\.md/);
    expect(await snapshot(path.join(workspace.dir, 'content'))).toEqual(before);

    const dry = await run('--dry-run');
    expect(dry.code).toBe(EXIT_CODE.ok);
    expect(dry.stdout).toContain('nothing written');
    expect(await snapshot(path.join(workspace.dir, 'content'))).toEqual(before);
  });

  it('keeps every doc byte-identical while results are unchanged (dates mean "status since")', async () => {
    workspace = await createOfflineWorkspace({ 'content/litellm/CODEXMCP.md': PLAN });
    const content = path.join(workspace.dir, 'content');
    await workspace.record({}, '2026-11-20T10:00:00.000Z');
    expect((await run('--offline')).code).toBe(EXIT_CODE.ok);
    const first = await snapshot(content);
    expect(first['litellm/CODEXMCP.md']).toContain('✅ Completed 2026-11-20 ([evidence](../../evaluation/mcp.catalog/2026-11-20T10-00-00-000Z.json)).');

    // Two more passing runs with the same results: nothing moves, not even a date.
    await workspace.record({}, '2026-11-21T10:00:00.000Z');
    await workspace.record({}, '2026-11-22T10:00:00.000Z');
    const again = await run('--offline', '--json');
    expect(JSON.parse(again.stdout).written).toEqual([]);
    expect(await snapshot(content)).toEqual(first);
    expect((await run('--check')).code).toBe(EXIT_CODE.ok);

    // A failure is a status change: the item says since when, and links the run that showed it.
    await workspace.record({ status: 'fail', summary: 'no tools from mcp_postgres' }, '2026-11-23T10:00:00.000Z');
    const check = await run('--check');
    expect(check.code).toBe(EXIT_CODE.check);
    expect(check.stdout).toContain('+1. Run scripted curl (SSE) test capturing tool catalog events. ❌ Failed: no tools from mcp_postgres (2026-11-23, [evidence](../../evaluation/mcp.catalog/2026-11-23T10-00-00-000Z.json)).');
    await run('--offline');
    const failed = await snapshot(content);
    expect(failed['litellm/MCP-INTEGRATION-STATUS.md']).toContain('❌ **fail** since 2026-11-23 — no tools from mcp_postgres');
  });

  it('writes nothing anywhere when one doc has an error, and names file:line:col', async () => {
    workspace = await createOfflineWorkspace({
      'content/litellm/CODEXMCP.md': PLAN,
      'content/claude/BROKEN.md': '# Broken\n\n<!-- proofbook:start mcp.catalog -->\nnever closed\n',
    });
    await workspace.record({}, '2026-11-20T10:00:00.000Z');
    const before = await snapshot(path.join(workspace.dir, 'content'));
    const result = await run('--dry-run');
    expect(result.code).toBe(EXIT_CODE.usage);
    expect(result.stderr).toMatch(/content\/claude\/BROKEN\.md:3:1: region "mcp\.catalog" is never closed/);
    expect(await snapshot(path.join(workspace.dir, 'content'))).toEqual(before);
  });

  it('refuses a file that is not UTF-8, with its line and column', async () => {
    workspace = await createOfflineWorkspace();
    await writeFile(path.join(workspace.dir, 'content', 'latin1.md'), Buffer.from('# Caf\xe9\n', 'latin1'));
    const result = await run('--check');
    expect(result.code).toBe(EXIT_CODE.usage);
    expect(result.stderr).toMatch(/latin1\.md:1:6: not valid UTF-8/);
  });

  it('reports a binding to an unknown probe in the config with its line', async () => {
    workspace = await createOfflineWorkspace();
    const config = await readFile(workspace.configPath, 'utf8');
    await writeFile(workspace.configPath, config.replace('probes: [mcp.catalog]', 'probes: [mcp.catalogue]'));
    const result = await run('--check');
    expect(result.code).toBe(EXIT_CODE.usage);
    expect(result.stderr).toMatch(/proofbook\.config\.yaml:\d+:\d+: plan\.bindings\.0\.probes\.0: unknown probe "mcp\.catalogue"/);
  });
});

describe('one refresh at a time', () => {
  it('waits for the lock, then exits 4 naming the holder\'s pid', async () => {
    workspace = await createOfflineWorkspace();
    const holder = spawn('sleep', ['30']);
    try {
      await writeFile(path.join(workspace.dir, '.proofbook.lock'), `${holder.pid}\n`);
      const result = await run('--only', 'mcp.catalog');
      expect(result.code).toBe(EXIT_CODE.busy);
      expect(result.stderr).toContain(`another refresh (pid ${holder.pid}) holds`);
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock whose owner is gone', async () => {
    workspace = await createOfflineWorkspace();
    await writeFile(path.join(workspace.dir, '.proofbook.lock'), '999999999\n');
    const result = await run('--only', 'mcp.catalog');
    expect(result.code).toBe(EXIT_CODE.failed); // it ran: the probe fails for want of a gateway
  });
});

describe('usage', () => {
  it('exits 2 on an unknown option or probe id', async () => {
    workspace = await createOfflineWorkspace();
    expect((await run('--bogus')).code).toBe(EXIT_CODE.usage);
    expect((await run('--only', 'nope')).stderr).toContain('unknown probe id(s) nope');
  });
});
