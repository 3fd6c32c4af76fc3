/**
 * One refresh at a time: an exclusive lock file holding the owner's pid. A lock whose pid is
 * gone (a killed refresh) is taken over; a live one is waited for briefly, then reported.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export class LockBusyError extends Error {
  readonly exitCode = 4;
  readonly pid: number;
  constructor(file: string, pid: number, waitedMs: number) {
    super(`another refresh (pid ${pid}) holds ${file}; waited ${waitedMs} ms. Let it finish, or stop pid ${pid} if it hangs.`);
    this.name = 'LockBusyError';
    this.pid = pid;
  }
}

export interface Lock {
  release(): Promise<void>;
}

export async function acquireLock(file: string, options: { waitMs?: number; pollMs?: number } = {}): Promise<Lock> {
  const waitMs = options.waitMs ?? 5_000;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (!Number.isFinite(pid) || !isAlive(pid)) {
      await rm(file, { force: true }); // stale: its owner died without releasing it
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(file, pid, waitMs);
    await sleep(options.pollMs ?? 100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
