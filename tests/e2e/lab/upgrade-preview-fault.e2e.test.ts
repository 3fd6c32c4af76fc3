/**
 * `proofbook upgrade-preview` when the second lab does not start (issue 18): a clear error naming
 * the version, the component and its log, and nothing else touched — the current lab keeps
 * running, the workspace's runbooks and evidence stay byte-identical, and none of the second
 * lab's processes is left behind.
 *
 * FAULT DOUBLE, said so here: a LiteLLM that dies at start. The product has no hook for it; while
 * the real `upgrade-preview --to 1.110.2` runs on the shared lab, this test watches the second
 * lab's pid folder and SIGKILLs the real LiteLLM 1.110.2 the moment its pid file appears (the
 * format of src/lab/processes.ts). Everything else is real: the first lab, the second lab's
 * PostgreSQL, Traefik, Open WebUI and scripted model.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as proofbook } from '../../../src/cli/proofbook.ts';
import { main as refreshDocs } from '../../../src/cli/refresh-docs.ts';
import { ServiceManager } from '../../../src/lab/processes.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { run, snapshot } from '../../helpers/cli-workspace.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';

const TARGET = '1.110.2';
let workspace: { dir: string; configPath: string };
let labDir: string;

interface PidRecord {
  pid: number;
  startedAt: string;
}

/**
 * Watches `pidDir` until stopped: records every service started after `since` (name → pid) and
 * SIGKILLs `victim`'s process once, as soon as its pid file names a live one.
 */
function watchPids(pidDir: string, victim: string, since: string) {
  const seen = new Map<string, number>();
  let killed: number | undefined;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      for (const file of await readdir(pidDir).catch(() => [] as string[])) {
        if (!file.endsWith('.pid')) continue;
        const record = await readFile(path.join(pidDir, file), 'utf8').then((t) => JSON.parse(t) as PidRecord).catch(() => undefined);
        if (!record || record.startedAt < since) continue; // a stale file from an earlier run
        seen.set(file.slice(0, -4), record.pid);
        if (file === `${victim}.pid` && killed === undefined) {
          process.kill(record.pid, 'SIGKILL'); // the fault: LiteLLM dies at start
          killed = record.pid;
        }
      }
      await sleep(20);
    }
  })();
  return {
    seen,
    killed: () => killed,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

/** Live processes whose process group is one of `leaders` (a lab service and what it spawned). */
async function liveInGroups(leaders: number[]): Promise<string[]> {
  const live: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid pgrp …: comm may hold spaces, so split after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') continue; // a zombie waits for its parent to reap it: it runs nothing
    if (leaders.includes(Number(fields[2]))) live.push(`${entry} (${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}, group ${fields[2]})`);
  }
  return live;
}

beforeAll(async () => {
  const lab = await sharedLab();
  labDir = lab.dir;
  workspace = await lab.docsWorkspace();
  // Some current evidence and its index to leave alone (two probes suffice: nothing may change).
  const first = await run(refreshDocs, ['--config', workspace.configPath, '--only', 'gateway.health,traefik.labels']);
  expect(first.code, first.stderr).not.toBe(EXIT_CODE.usage);
  expect(existsSync(path.join(workspace.dir, 'evaluation', 'index.jsonl'))).toBe(true);
}, 300_000);

afterAll(async () => rm(workspace.dir, { recursive: true, force: true }));

describe('upgrade-preview when the second lab does not start', () => {
  it(`exits 1 naming LiteLLM ${TARGET}, the component and its log; the first lab, the runbooks and the evidence are untouched; nothing of the second lab runs`, async () => {
    const runtimeDir = `${labDir}/.lab-preview-${TARGET}`;
    const before = await snapshot(workspace.dir, 'base64');
    const since = new Date().toISOString();
    const watcher = watchPids(path.join(runtimeDir, 'pids'), 'litellm', since);
    let result;
    try {
      result = await run(proofbook, ['upgrade-preview', '--to', TARGET, '--config', workspace.configPath]);
    } finally {
      await watcher.stop();
    }
    expect(watcher.killed(), 'the second lab never wrote litellm.pid').toBeDefined();

    expect(result.code, result.stderr).toBe(EXIT_CODE.failed);
    const logFile = path.join(runtimeDir, 'logs', 'litellm.log');
    expect(result.stderr).toContain(`the lab with LiteLLM ${TARGET} did not start`);
    expect(result.stderr).toMatch(/litellm: exited before/);
    expect(result.stderr).toContain(`log: ${logFile}`);
    expect(existsSync(logFile)).toBe(true);
    console.info(`upgrade-preview with a LiteLLM that dies at start: exit ${result.code}; second lab's services seen: ${[...watcher.seen.keys()].join(', ')}\n${result.stderr.split('\n').at(-2)}\n${result.stderr.split('\n').at(-1)}`);

    // Nothing written: every byte of content/ and evaluation/ as it was, no preview folder.
    expect(await snapshot(workspace.dir, 'base64')).toEqual(before);
    expect(existsSync(path.join(workspace.dir, 'evaluation', 'upgrade-preview'))).toBe(false);

    // The first lab still runs; nothing of the second does (no pid file, no process in a service's group).
    expect(await new ServiceManager(`${labDir}/.lab`).isRunning('litellm')).toBe(true);
    expect([...watcher.seen.keys()]).toEqual(expect.arrayContaining(['litellm', 'traefik', 'postgres']));
    const leftPidFiles = (await readdir(path.join(runtimeDir, 'pids')).catch(() => [] as string[])).filter((f) => f.endsWith('.pid'));
    expect(leftPidFiles).toEqual([]);
    expect(await liveInGroups([...watcher.seen.values()])).toEqual([]);
  }, 300_000);
});
