/**
 * What a client probe runs, recorded while it runs, so the bare baseline is the same command:
 * every process it spawns (file, arguments, environment, folder, start, end, exit code) and every
 * HTTP request it makes through the probe context's fetch (method, URL, headers, body, answer).
 *
 * Spawns are seen by wrapping `child_process.spawn` (execa and the code-server run import it by
 * name: `syncBuiltinESMExports` carries the wrapper to those bindings). The temporary folders the
 * probe removes at its end (Claude Code's HOME, the hosts-file scratch, code-server's user data)
 * are what its commands read, so their removal is held back until the baseline has run them.
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import type { Fetch } from '../../src/net/http-client.ts';

export interface SpawnRecord {
  file: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  start: number;
  end: number;
  exitCode: number | null;
}

export interface FetchRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
  responseText: string;
}

export interface Recording {
  spawns: SpawnRecord[];
  fetches: FetchRecord[];
  /** The folders the probe removed, removed now. */
  cleanUp(): Promise<void>;
}

/** Runs `fn` with spawns and temporary-folder removals recorded; `fetch` records requests when the probe uses it. */
export async function recording(fn: (fetch: (inner: Fetch) => Fetch) => Promise<void>): Promise<Recording> {
  const spawns: SpawnRecord[] = [];
  const fetches: FetchRecord[] = [];
  const held: string[] = [];
  const spawn = childProcess.spawn;
  const rm = fsPromises.rm;
  childProcess.spawn = ((file: string, args: readonly string[], options: childProcess.SpawnOptions = {}) => {
    const record: SpawnRecord = { file, args: [...args], env: { ...(options.env ?? process.env) }, ...(options.cwd ? { cwd: String(options.cwd) } : {}), start: performance.now(), end: 0, exitCode: null };
    spawns.push(record);
    const child: ChildProcess = spawn(file, args, options);
    child.once('exit', (code) => {
      record.end = performance.now();
      record.exitCode = code;
    });
    return child;
  }) as typeof childProcess.spawn;
  fsPromises.rm = (async (target: string, options?: Parameters<typeof rm>[1]) => {
    if (String(target).startsWith(os.tmpdir())) held.push(String(target));
    else await rm(target, options);
  }) as typeof rm;
  syncBuiltinESMExports();
  const wrapFetch = (inner: Fetch): Fetch => async (input, init = {}) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const response = await inner(input, init);
    const record: FetchRecord = {
      method: init.method ?? 'GET',
      url: String(input),
      headers,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
      status: response.status,
      responseText: '',
    };
    fetches.push(record);
    // The answer is read by the probe; a copy is read here for the ids the baseline carries over.
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      record.responseText = await response.clone().text().catch(() => '');
    }
    return response;
  };
  try {
    await fn(wrapFetch);
  } finally {
    childProcess.spawn = spawn;
    fsPromises.rm = rm;
    syncBuiltinESMExports();
  }
  return { spawns, fetches, cleanUp: async () => void (await Promise.all(held.map((dir) => rm(dir, { recursive: true, force: true })))) };
}
