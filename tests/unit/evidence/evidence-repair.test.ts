/**
 * The index and the artifacts after a failed or killed refresh (issue 13, medium 5 and low 17):
 * a line is appended whole or not at all (a full disk, here a file-size limit, cuts it back off);
 * a torn last line or artifacts no line lists are set aside by the next refresh, with a message,
 * and the chain verifies again — never a permanent exit 2, never a silent exit 0.
 */
import { spawnSync } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../src/check/chain.ts';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const made: string[] = [];
afterAll(async () => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function workspace(): Promise<{ dir: string; evaluation: string; index: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-repair-'));
  made.push(dir);
  await cp(path.join(REPO, 'tests', 'fixtures', 'bad-input', '_base'), dir, { recursive: true });
  return { dir, evaluation: path.join(dir, 'evaluation'), index: path.join(dir, 'evaluation', 'index.jsonl') };
}

async function refresh(dir: string, ...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main({ argv: [...argv, '--config', path.join(dir, 'proofbook.config.yaml')], stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), lockWaitMs: 1000 });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('index and artifacts after a failed or killed refresh', () => {
  it('a full disk: the line that did not fit is cut back off, and the index stays whole', async () => {
    const ws = await workspace();
    const before = await readFile(ws.index);
    // The next line (over 5 KB) crosses a 4 KiB file-size limit part-way.
    expect(before.length).toBeLessThan(4096 - 100);
    const script = [
      `import { appendIndex } from ${JSON.stringify(path.join(REPO, 'src', 'evidence', 'history.ts'))};`,
      `const entry = { id: 'x', status: 'pass', startedAt: '2026-12-01T00:00:00.000Z', result: 'x/2026-12-01T00-00-00-000Z.json', sha256: 'a'.repeat(64), fingerprint: 'b'.repeat(5000) };`,
      `try { await appendIndex(${JSON.stringify(ws.evaluation)}, entry); console.log('appended'); } catch (e) { console.log('failed', e.code); }`,
    ].join('\n');
    await writeFile(path.join(ws.dir, 'append.mjs'), script);
    // ulimit -f counts 1 KiB blocks: a 4 KiB file-size limit stands in for a full disk (EFBIG like ENOSPC).
    const child = spawnSync('bash', ['-c', `ulimit -f 4; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ws.dir, 'append.mjs'))}`], { encoding: 'utf8' });
    expect(child.stdout.trim()).toBe('failed EFBIG');
    expect(await readFile(ws.index)).toEqual(before);
    expect((await verifyChain({ evaluationDir: ws.evaluation })).problems).toEqual([]);
  });

  it('a torn last line: read as absent (no exit 2), moved aside by the next refresh with a warning; the chain verifies', async () => {
    const ws = await workspace();
    await appendFile(ws.index, '{"id":"gateway.config","status":"pa');
    const check = await refresh(ws.dir, '--dry-run');
    expect(check.code, check.stderr).toBe(EXIT_CODE.ok);
    const offline = await refresh(ws.dir, '--offline');
    expect(offline.code, offline.stderr).toBe(EXIT_CODE.ok);
    expect(offline.stderr).toMatch(/evaluation\/index\.jsonl ended in a torn line \(35 bytes, an append cut short\); moved it to evaluation\/index\.jsonl\.torn/);
    expect(await readFile(path.join(ws.evaluation, 'index.jsonl.torn'), 'utf8')).toBe('{"id":"gateway.config","status":"pa\n');
    const run = await refresh(ws.dir, '--only', 'gateway.config');
    expect([run.code, run.stderr]).toEqual([EXIT_CODE.ok, '']);
    const report = await verifyChain({ evaluationDir: ws.evaluation, deep: true });
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(2);
  });

  it('artifacts of a refresh killed before indexing them: renamed *.orphan with a warning; the chain verifies', async () => {
    const ws = await workspace();
    const orphan = path.join(ws.evaluation, 'gateway.config', '2026-11-30T10-00-00-000Z');
    await writeFile(`${orphan}.json`, '{"id":"gateway.config"}\n');
    await writeFile(`${orphan}.transcript.json`, '[]\n');
    expect((await verifyChain({ evaluationDir: ws.evaluation })).problems.map((p) => p.code)).toEqual(['artifact.unindexed']);
    const run = await refresh(ws.dir, '--only', 'gateway.config');
    expect(run.code, run.stderr).toBe(EXIT_CODE.ok);
    expect(run.stderr).toContain('1 result artifact(s) no index line lists');
    expect(run.stderr).toContain('evaluation/gateway.config/2026-11-30T10-00-00-000Z.json');
    const files = await readdir(path.join(ws.evaluation, 'gateway.config'));
    expect(files).toContain('2026-11-30T10-00-00-000Z.json.orphan');
    expect(files).toContain('2026-11-30T10-00-00-000Z.transcript.json.orphan');
    expect((await verifyChain({ evaluationDir: ws.evaluation, deep: true })).problems).toEqual([]);
    // Said once: the next refresh has nothing to set aside.
    expect((await refresh(ws.dir, '--only', 'gateway.config')).stderr).not.toContain('warning');
  });

  it('an upgrade preview’s runs (their own index under upgrade-preview/<version>/) are neither orphans nor unindexed', async () => {
    const ws = await workspace();
    const previewRun = path.join(ws.evaluation, 'upgrade-preview', '1.110.2', 'gateway.config');
    await mkdir(previewRun, { recursive: true });
    await writeFile(path.join(previewRun, '2026-11-30T10-00-00-000Z.json'), '{"id":"gateway.config"}\n');
    await writeFile(path.join(previewRun, '..', 'index.jsonl'), '');
    expect((await verifyChain({ evaluationDir: ws.evaluation })).problems).toEqual([]);
    const run = await refresh(ws.dir, '--only', 'gateway.config');
    expect([run.code, run.stderr]).toEqual([EXIT_CODE.ok, '']);
    expect(await readdir(previewRun)).toEqual(['2026-11-30T10-00-00-000Z.json']);
  });

  it('an index saved with a BOM (an editor’s) reads, appends and verifies as without', async () => {
    const ws = await workspace();
    await writeFile(ws.index, Buffer.concat([Buffer.from('\uFEFF'), await readFile(ws.index)]));
    expect((await refresh(ws.dir, '--offline')).code).toBe(EXIT_CODE.ok);
    const run = await refresh(ws.dir, '--only', 'gateway.config');
    expect([run.code, run.stderr]).toEqual([EXIT_CODE.ok, '']);
    const report = await verifyChain({ evaluationDir: ws.evaluation, deep: true });
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(2);
  });
});
