/**
 * The refresh lock (issue 13, medium 4): one holder at a time, named with its identity from the
 * moment the lock exists; taken over only from a holder proven dead on this host; never from
 * another host; released only by its holder. The stress test runs many real refresh processes
 * at once and checks that the evidence index chain still verifies.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../src/check/chain.ts';
import { acquireLock, holderState, LockBusyError, parseLock } from '../../../src/fs/lock.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const made: string[] = [];
afterAll(async () => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-lock-'));
  made.push(dir);
  return dir;
}

describe('the refresh lock', () => {
  it('is created with its holder’s identity, and a second acquirer waits, then names the holder', async () => {
    const file = path.join(await tempDir(), '.proofbook.lock');
    const lock = await acquireLock(file);
    const holder = parseLock(await readFile(file, 'utf8'))!;
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(holder.token).toMatch(/^[0-9a-f]{16}$/);
    // Same process, same identity: alive, so the second acquirer must wait, not take over.
    await expect(acquireLock(file, { waitMs: 150, pollMs: 20 })).rejects.toThrow(LockBusyError);
    await lock.release();
    await (await acquireLock(file, { waitMs: 150 })).release();
  });

  it('takes over a holder proven dead: a pid that is gone, a reused pid, another boot', () => {
    expect(holderState({ pid: 999_999_999, host: os.hostname() })).toBe('dead');
    // Our own pid, but a start time that is not ours: the number was reused by a later process.
    expect(holderState({ pid: process.pid, host: os.hostname(), startTime: '1' })).toBe('dead');
    expect(holderState({ pid: process.pid, host: os.hostname(), bootId: 'another-boot' }, { host: os.hostname(), bootId: 'this-boot' })).toBe('dead');
    expect(holderState({ pid: process.pid, host: os.hostname() })).toBe('alive');
    expect(holderState({ pid: process.pid, host: 'build-server-2' })).toBe('other-host');
    expect(holderState(undefined)).toBe('unknown');
  });

  it('never takes over a lock held on another host: exit-4 error that says how to clear it', async () => {
    const file = path.join(await tempDir(), '.proofbook.lock');
    await writeFile(file, `${JSON.stringify({ pid: 1, host: 'build-server-2', bootId: 'x', startTime: '1', token: 'abc' })}\n`);
    const error = await acquireLock(file, { waitMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as LockBusyError).exitCode).toBe(4);
    expect((error as Error).message).toContain(`If no refresh is running on build-server-2, delete ${file}`);
  });

  it('an empty or unreadable lock is not taken for a dead one', async () => {
    const file = path.join(await tempDir(), '.proofbook.lock');
    await writeFile(file, '');
    await expect(acquireLock(file, { waitMs: 100, pollMs: 20 })).rejects.toThrow(/unreadable/);
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('release() leaves alone a lock that is no longer this holder’s', async () => {
    const file = path.join(await tempDir(), '.proofbook.lock');
    const lock = await acquireLock(file);
    const other = `${JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'someone-else' })}\n`;
    await writeFile(file, other);
    await lock.release();
    expect(await readFile(file, 'utf8')).toBe(other);
  });

  it('16 refreshes started at once, 2 rounds: every run waits its turn and the index chain verifies', async () => {
    const dir = await tempDir();
    await cp(path.join(REPO, 'tests', 'fixtures', 'bad-input', '_base'), dir, { recursive: true });
    const stderrOfOthers: string[] = []; // what a run that neither ran nor gave up said, for the failure message
    const refresh = () =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [path.join(REPO, 'scripts', 'refresh-docs.ts'), '--only', 'gateway.config', '--config', path.join(dir, 'proofbook.config.yaml')], {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, CI: 'true' },
        });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (code) => {
          if (code !== 0 && code !== 4) stderrOfOthers.push(`exit ${code}: ${stderr.slice(-2000)}`);
          resolve(code ?? -1);
        });
      });
    const codes: number[] = [];
    for (let round = 0; round < 2; round++) codes.push(...(await Promise.all(Array.from({ length: 16 }, refresh))));
    // 0: ran; 4: gave up waiting for the lock. Anything else is a crash or a broken chain.
    expect(codes.filter((c) => c !== 0 && c !== 4), stderrOfOthers.join('\n')).toEqual([]);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThan(4);
    const report = await verifyChain({ evaluationDir: path.join(dir, 'evaluation'), deep: true });
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(1 + codes.filter((c) => c === 0).length);
  }, 600_000);

  it('`refresh-docs | true`: a reader that closes the pipe neither crashes the run nor leaves the lock behind', async () => {
    const dir = await tempDir();
    await cp(path.join(REPO, 'tests', 'fixtures', 'bad-input', '_base'), dir, { recursive: true });
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO, 'scripts', 'refresh-docs.ts'))} --only gateway.config --config ${JSON.stringify(path.join(dir, 'proofbook.config.yaml'))} | true; exit \${PIPESTATUS[0]}`;
    const result = spawnSync('bash', ['-c', command], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(result.stderr).not.toMatch(/EPIPE|at .*\.ts:\d+/);
    expect(result.status).toBe(0);
    expect(existsSync(path.join(dir, '.proofbook.lock'))).toBe(false);
    expect((await verifyChain({ evaluationDir: path.join(dir, 'evaluation') })).entries).toBe(2);
  });
});
