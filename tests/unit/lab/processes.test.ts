/**
 * ServiceManager stops what a lab service left behind: a service killed at start or crashed
 * (a LiteLLM that dies while its stdio MCP servers run) leaves its children in its process
 * group, and a stop must end them too.
 * Real processes (sh, sleep) in a temp runtime folder; nothing is a stand-in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceManager } from '../../../src/lab/processes.ts';

let dir: string;
const started: number[] = [];

/** The process runs (a zombie, waiting for its parent to reap it, does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-processes-'));
});
afterEach(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
  started.length = 0;
  await rm(dir, { recursive: true, force: true });
});

describe('ServiceManager.stop', () => {
  it('stops the children a dead service left running in its process group', async () => {
    const services = new ServiceManager(dir);
    const childFile = path.join(dir, 'child.pid');
    // A service that spawns a long-running child, as LiteLLM spawns its stdio MCP servers.
    const service = await services.start({ name: 'spawner', command: 'sh', args: ['-c', `sleep 300 & echo $! > ${childFile}; wait`] });
    started.push(service.pid);
    await until(async () => existsSync(childFile) && /^\d+\n$/.test(await readFile(childFile, 'utf8')), 'the child pid');
    const child = Number(await readFile(childFile, 'utf8'));
    started.push(child);

    process.kill(service.pid, 'SIGKILL'); // the service dies; its child lives on in its group
    await until(() => !alive(service.pid), 'the service to die');
    expect(alive(child)).toBe(true);
    expect(await services.isRunning('spawner')).toBe(false);

    await services.stopAll(); // returns once the group is gone (or SIGKILLed after its timeout)
    await until(() => !alive(child), 'the orphaned child to stop');
    expect(existsSync(path.join(dir, 'pids', 'spawner.pid'))).toBe(false);
  });
});
