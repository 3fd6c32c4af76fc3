/**
 * Probe isolation: one probe hangs and one throws while the others pass. The hanging and the
 * throwing probes are test doubles — a fault the real system cannot be made to produce on
 * demand; everything else (runner, evidence store, rewrite, CLI) is the real code.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import type { Probe } from '../../../src/probes/types.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

const passing = (id: string): Probe => ({
  id,
  run: async () => ({ status: 'pass', summary: `${id} is fine`, facts: { id }, transcript: [{ at: new Date().toISOString(), kind: 'note', text: 'ok' }] }),
});

const hanging: Probe = {
  id: 'fault.hangs',
  // never answers (ignores its AbortSignal, like a stuck socket)
  run: () => new Promise(() => {}),
};

const throwing: Probe = {
  id: 'fault.throws',
  run: async () => {
    throw new Error('connection reset by peer', { cause: Object.assign(new Error('read ECONNRESET'), { name: 'SocketError' }) });
  },
};

describe('runner isolation', () => {
  it('turns a hanging and a throwing probe into errors; the others pass and keep their evidence', async () => {
    workspace = await createOfflineWorkspace();
    // Earlier evidence that a failing run must not erase.
    await workspace.record({}, '2026-11-20T10:00:00.000Z');
    const earlier = await readdir(path.join(workspace.evaluationDir, 'mcp.catalog'));

    const config = await readFile(workspace.configPath, 'utf8');
    await writeFile(workspace.configPath, config.replace('timeoutMs: 2000', 'timeoutMs: 300'));
    const stdout: string[] = [];
    const probes = [passing('ok.one'), hanging, throwing, passing('ok.two'), { ...hanging, id: 'mcp.catalog' }];
    const started = Date.now();
    const code = await main({ argv: ['--config', workspace.configPath], probes, defaultTimeoutMs: 500, stdout: (l) => stdout.push(l), stderr: (l) => stdout.push(l) });
    const text = stdout.join('\n');

    expect(code).toBe(EXIT_CODE.failed);
    expect(Date.now() - started).toBeLessThan(10_000); // timeouts, not hangs
    expect(text).toMatch(/fault\.throws\s+error .*probe crashed: connection reset by peer/);
    expect(text).toMatch(/mcp\.catalog\s+error .*timed out after 300 ms/);
    expect(text).toContain('failed: fault.hangs, fault.throws, mcp.catalog');
    expect(text).toMatch(/ok\.one\s+pass/);

    // What went wrong is in the evidence: the crash with its cause, and the timeout.
    const resultOf = async (id: string) => {
      const files = (await readdir(path.join(workspace.evaluationDir, id))).filter((f) => /Z\.json$/.test(f)).sort();
      return JSON.parse(await readFile(path.join(workspace.evaluationDir, id, files.at(-1)!), 'utf8')) as { facts: Record<string, unknown> };
    };
    expect((await resultOf('fault.throws')).facts).toMatchObject({
      crash: { name: 'Error', message: 'connection reset by peer', cause: { name: 'SocketError', message: 'read ECONNRESET' } },
    });
    expect((await resultOf('fault.hangs')).facts).toEqual({ timedOut: true, timeoutMs: 500 });

    // The passing probes' evidence is there; the earlier catalog evidence is still there too.
    for (const id of ['ok.one', 'ok.two']) {
      const files = await readdir(path.join(workspace.evaluationDir, id));
      expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(2); // result + transcript
    }
    const catalogNow = await readdir(path.join(workspace.evaluationDir, 'mcp.catalog'));
    expect(catalogNow).toEqual(expect.arrayContaining(earlier));
  }, 60_000);
});
