/**
 * One refresh at a time: an exclusive lock file that names its holder.
 *
 * - Created with its identity in one atomic step: the identity is written to a temp file,
 *   which is then hard-linked to the lock's name (`link` fails if the lock exists). A contender
 *   never reads a lock without its holder's identity in it.
 * - The identity is the pid, the host, the boot id and the process's start time. A lock is taken
 *   over only when its holder is proven dead on this host: same host and boot, and the pid is
 *   gone or now belongs to a process that started later. A lock from another boot of this host
 *   died with that boot. A lock from another host (a shared folder) is never taken over: that is
 *   a LockBusyError that says how to clear it.
 * - A takeover is itself exclusive (`<lock>.takeover`, same atomic creation), so two contenders
 *   that both see a dead holder cannot both take over.
 * - `release()` removes the lock only while it is still this holder's.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT_CODE, ProofbookError } from '../model/errors.ts';

export class LockBusyError extends ProofbookError {
  readonly exitCode = EXIT_CODE.busy;
  readonly pid: number;
  readonly host: string;
  constructor(file: string, holder: Partial<LockIdentity>, waitedMs: number, otherHost = false) {
    const pid = holder.pid ?? 0;
    const who = holder.pid ? `pid ${pid}${holder.host ? ` on ${holder.host}` : ''}` : 'a holder it cannot name (the lock is unreadable)';
    super(
      otherHost
        ? `another refresh (${who}) holds ${file}; it runs on another host, so this one cannot tell whether it is alive. ` +
            `If no refresh is running on ${holder.host}, delete ${file} and run again.`
        : holder.pid
          ? `another refresh (${who}) holds ${file}; waited ${waitedMs} ms. Let it finish, or stop pid ${pid} if it hangs.`
          : `${file} is held by ${who}; waited ${waitedMs} ms. If no refresh is running, delete ${file} and run again.`,
    );
    this.name = 'LockBusyError';
    this.pid = pid;
    this.host = holder.host ?? '';
  }
}

export interface LockIdentity {
  pid: number;
  host: string;
  /** /proc/sys/kernel/random/boot_id: a new one after every boot ('' where there is none). */
  bootId: string;
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat field 22; '' where unknown). */
  startTime: string;
  /** Unique to this acquisition: `release()` removes only the lock that still carries it. */
  token: string;
}

export interface Lock {
  release(): Promise<void>;
}

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

const BOOT_ID = readText('/proc/sys/kernel/random/boot_id').trim();

/** A process's start time, which tells a reused pid from the original holder. */
function startTimeOf(pid: number): string {
  const stat = readText(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? '';
}

function identity(): LockIdentity {
  return { pid: process.pid, host: os.hostname(), bootId: BOOT_ID, startTime: startTimeOf(process.pid), token: randomBytes(8).toString('hex') };
}

/** The holder named in a lock file: this format, or the older one (`<pid>\n`). */
export function parseLock(text: string): Partial<LockIdentity> | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockIdentity>;
    if (parsed && typeof parsed.pid === 'number') return parsed;
  } catch {
    // the older format
  }
  const pid = /^(\d+)\n?$/.exec(text)?.[1];
  return pid ? { pid: Number(pid) } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type HolderState = 'alive' | 'dead' | 'other-host' | 'unknown';

/** Whether a lock's holder is proven dead on this host. */
export function holderState(holder: Partial<LockIdentity> | undefined, here = { host: os.hostname(), bootId: BOOT_ID }): HolderState {
  if (!holder?.pid) return 'unknown';
  if (holder.host !== undefined && holder.host !== here.host) return 'other-host';
  // Another boot of this host: every process of that boot is gone.
  if (holder.bootId && here.bootId && holder.bootId !== here.bootId) return 'dead';
  if (!isAlive(holder.pid)) return 'dead';
  // The pid is alive: is it still the holder, or a later process that reuses its number?
  const startTime = holder.startTime ? startTimeOf(holder.pid) : '';
  if (startTime && startTime !== holder.startTime) return 'dead';
  return 'alive';
}

/** Creates `file` holding `text`, or fails with EEXIST: never a moment without its content. */
async function createExclusive(file: string, text: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

export async function acquireLock(file: string, options: { waitMs?: number; pollMs?: number } = {}): Promise<Lock> {
  const waitMs = options.waitMs ?? 5_000;
  const deadline = Date.now() + waitMs;
  const me = identity();
  const text = `${JSON.stringify(me)}\n`;
  const held = (): Lock => ({
    async release() {
      // Only while it is still ours: a lock that was (wrongly) taken over is the new holder's.
      if (parseLock(await readFile(file, 'utf8').catch(() => ''))?.token === me.token) await rm(file, { force: true });
    },
  });
  for (;;) {
    try {
      await createExclusive(file, text);
      return held();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = await readFile(file, 'utf8').catch(() => undefined);
    if (seen === undefined) continue; // released meanwhile
    const holder = parseLock(seen);
    const state = holderState(holder);
    if (state === 'other-host') throw new LockBusyError(file, holder!, 0, true);
    if (state === 'dead' && (await takeOver(file, seen, text))) return held();
    if (Date.now() >= deadline) throw new LockBusyError(file, holder ?? {}, waitMs);
    await sleep((options.pollMs ?? 100) * (0.5 + Math.random()));
  }
}

/**
 * Replaces a dead holder's lock with ours, if it is still the one judged dead. One contender at
 * a time (the takeover file); the lock is replaced by an atomic rename, never deleted first.
 */
async function takeOver(file: string, judged: string, text: string): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await createExclusive(guard, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A contender is taking over; if it died doing so, clear its guard for the next round.
    const guardText = await readFile(guard, 'utf8').catch(() => undefined);
    if (guardText !== undefined && holderState(parseLock(guardText)) === 'dead') await rm(guard, { force: true });
    return false;
  }
  try {
    if ((await readFile(file, 'utf8').catch(() => undefined)) !== judged) return false;
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, file);
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}
