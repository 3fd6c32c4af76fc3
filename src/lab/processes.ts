/**
 * Starts lab services as detached process groups with a pid file each, and stops exactly
 * those: a pid file records the pid and the command, and a stop only signals a process
 * whose command line still matches (a recycled pid is left alone) — or, when the service itself
 * has died, what it spawned and left running in its process group.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceSpec {
  /** Short name: pid file `<name>.pid`, log file `<name>.log`. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text its /proc cmdline must contain to be recognised as ours (default: the command's basename). */
  processName?: string;
  /** Signal that asks the service for a clean, quick shutdown (PostgreSQL: SIGINT). */
  stopSignal?: NodeJS.Signals;
}

interface PidRecord {
  pid: number;
  processName: string;
  command: string;
  args: string[];
  startedAt: string;
  stopSignal: NodeJS.Signals;
}

export interface RunningService {
  name: string;
  pid: number;
  logFile: string;
}

export class ServiceManager {
  readonly pidDir: string;
  readonly logDir: string;

  constructor(runtimeDir: string) {
    this.pidDir = path.join(runtimeDir, 'pids');
    this.logDir = path.join(runtimeDir, 'logs');
  }

  logFile(name: string): string {
    return path.join(this.logDir, `${name}.log`);
  }

  async start(spec: ServiceSpec): Promise<RunningService> {
    await mkdir(this.pidDir, { recursive: true });
    await mkdir(this.logDir, { recursive: true });
    const logFile = this.logFile(spec.name);
    const out = openSync(logFile, 'w');
    try {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env ?? process.env,
        detached: true, // its own process group: stopping it also stops what it spawned
        stdio: ['ignore', out, out],
      });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('error', (error) => reject(new Error(`cannot start ${spec.name} (${spec.command}): ${error.message}`)));
        child.once('spawn', () => resolve(child.pid!));
      });
      child.unref();
      const record: PidRecord = {
        pid,
        processName: spec.processName ?? path.basename(spec.command),
        command: spec.command,
        args: spec.args,
        startedAt: new Date().toISOString(),
        stopSignal: spec.stopSignal ?? 'SIGTERM',
      };
      await writeFile(this.pidFile(spec.name), JSON.stringify(record));
      return { name: spec.name, pid, logFile };
    } finally {
      closeSync(out);
    }
  }

  /** True while the recorded process is alive and is still the one we started. */
  async isRunning(name: string): Promise<boolean> {
    const record = await this.readRecord(name);
    return record !== undefined && isOurs(record);
  }

  /** Stops every service that has a pid file, the last started first. Returns the names stopped. */
  async stopAll(timeoutMs = 15_000): Promise<string[]> {
    let files: string[];
    try {
      files = (await readdir(this.pidDir)).filter((f) => f.endsWith('.pid'));
    } catch {
      return [];
    }
    const records = await Promise.all(files.map(async (f) => ({ name: f.slice(0, -4), record: await this.readRecord(f.slice(0, -4)) })));
    records.sort((a, b) => (b.record?.startedAt ?? '').localeCompare(a.record?.startedAt ?? ''));
    const stopped: string[] = [];
    for (const { name } of records) {
      if (await this.stop(name, timeoutMs)) stopped.push(name);
    }
    return stopped;
  }

  async stop(name: string, timeoutMs = 15_000): Promise<boolean> {
    const record = await this.readRecord(name);
    if (!record) return false;
    let stopped = false;
    if (isOurs(record)) {
      signalGroup(record.pid, record.stopSignal);
      const deadline = Date.now() + timeoutMs;
      while (isAlive(record.pid) && Date.now() < deadline) await sleep(100);
      if (isAlive(record.pid)) signalGroup(record.pid, 'SIGKILL');
      stopped = true;
    } else if (orphanedGroup(record.pid)) {
      // The service died (LiteLLM killed, crashed) but what it spawned still runs in its group.
      // Still ours: while a process is in group <pid>, Linux gives that pid to no new process.
      signalGroup(record.pid, record.stopSignal);
      const deadline = Date.now() + timeoutMs;
      while (orphanedGroup(record.pid) && Date.now() < deadline) await sleep(100);
      if (orphanedGroup(record.pid)) signalGroup(record.pid, 'SIGKILL');
    }
    await rm(this.pidFile(name), { force: true });
    return stopped;
  }

  private pidFile(name: string): string {
    return path.join(this.pidDir, `${name}.pid`);
  }

  private async readRecord(name: string): Promise<PidRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.pidFile(name), 'utf8'));
    } catch {
      return undefined;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid is alive and its command line still names the program we started. */
function isOurs(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  try {
    // /proc is Linux-only, as is the lab.
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.includes(record.processName);
  } catch {
    return false;
  }
}

/**
 * The group's leader `pid` is gone (or a zombie) while other live processes are still in its
 * process group. A live process that holds the pid is a stranger's (the pid was reused), never this.
 */
function orphanedGroup(pid: number): boolean {
  let leaderLives = false;
  let members = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (!stat || stat.state === 'Z') continue; // a zombie runs nothing
    if (Number(entry) === pid) leaderLives = true;
    else if (stat.pgrp === pid) members = true;
  }
  return members && !leaderLives;
}

/** State and process group from /proc/<pid>/stat (its command name may hold spaces and parentheses). */
function procStat(pid: string): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , pgrp] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, pgrp: Number(pgrp) };
  } catch {
    return undefined; // exited meanwhile
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
