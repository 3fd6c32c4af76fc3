/**
 * The code-server path of `vscode.list` / `vscode.invoke` without the lab: which code-server the
 * option selects, a configured code-server that cannot start (a real spawn of a missing file: the
 * probe errors with the log's path, never falls back), and how VS Code's MCP output channel, as
 * the workbench draws it (no-break spaces, long lines wrapped), becomes a server's error. The
 * output text below is what VS Code 1.139.1 showed for the lab's gateway with a wrong key; real
 * code-server through the real gateway is in tests/e2e/probes/vscode-list/.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { parseConfig } from '../../../../src/probes/config.ts';
import { channelServer, codeServerSetup, type CodeServerRun } from '../../../../src/probes/vscode-list/code-server-run.ts';
import { vscodeError } from '../../../../src/probes/vscode-list/code-server-observe.ts';
import { vscodeInvokeProbe } from '../../../../src/probes/vscode-invoke/probe.ts';
import { vscodeListProbe } from '../../../../src/probes/vscode-list/probe.ts';
import { loadProbes } from '../../../../src/probes/registry.ts';
import { runProbes } from '../../../../src/probes/runner.ts';
import { runProbe } from '../../../helpers/probe-context.ts';

const KEY = 'sk-unit-code-server-key-0123456789';
const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('codeServerSetup', () => {
  it('is the fallback when unset, the given bin (relative to the config) when set', () => {
    expect(codeServerSetup(undefined, '/repo')).toBeUndefined();
    expect(codeServerSetup({ bin: 'tools/code-server' }, '/repo')).toEqual({ bin: '/repo/tools/code-server', chromium: '/usr/bin/chromium' });
    expect(codeServerSetup({ bin: '/opt/cs', chromium: '/opt/chromium' }, '/repo')).toEqual({ bin: '/opt/cs', chromium: '/opt/chromium' });
  });
});

describe('a configured code-server that does not start', () => {
  const workspace = async (probe: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-code-server-unit-'));
    scratch.push(dir);
    await mkdir(path.join(dir, '.vscode'));
    await writeFile(
      path.join(dir, '.vscode', 'mcp.json'),
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'key', password: true }],
        servers: { lan: { type: 'http', url: 'http://127.0.0.1:9/mcp/', headers: { Authorization: 'Bearer ${input:key}' } } },
      }),
    );
    const config = await parseConfig(
      stringify({
        gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres'] } },
        hosts: [{ name: 'lan', url: 'http://127.0.0.1:9' }],
        probes: { [probe]: { file: '.vscode/mcp.json', inputs: { key: 'UNIT_KEY' }, codeServer: { bin: 'no-such-code-server' } } },
      }),
      path.join(dir, 'proofbook.config.yaml'),
    );
    return { config, secrets: [{ key: 'UNIT_KEY', value: KEY, file: path.join(dir, 'secrets.env'), line: 1 }] };
  };

  for (const probe of [vscodeListProbe, vscodeInvokeProbe]) {
    it(`${probe.id}: errors with code-server's log and makes no request of its own`, async () => {
      const { config, secrets } = await workspace(probe.id);
      const http = createHttpClient(config.hosts);
      try {
        const outcome = await runProbe(probe as typeof vscodeListProbe, { config, http, secrets });
        expect(outcome.status).toBe('error');
        expect(outcome.summary).toMatch(/^code-server did not report: cannot start .*no-such-code-server: .*ENOENT.*; see \/.*\/code-server\.log$/);
        expect(outcome.facts.path).toBe('code-server');
        expect(outcome.transcript.filter((e) => e.kind === 'http')).toEqual([]); // no fallback
        expect(JSON.stringify(outcome)).not.toContain(KEY);
      } finally {
        await http.close();
      }
    });
  }
});

/**
 * vscode.list and vscode.invoke in one run share one code-server run (src/probes/vscode-list/
 * code-server-shared.ts). A code-server that cannot start, or one that never answers (a script
 * that sleeps: a test double for a hung code-server), shows which run each probe waited on: the
 * error names the run's own scratch folder.
 */
describe('one code-server run for vscode.list and vscode.invoke', () => {
  const workspace = async (options: { bin?: string; invoke?: Record<string, unknown>; listTimeoutMs?: number } = {}) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-code-server-unit-'));
    scratch.push(dir);
    await mkdir(path.join(dir, '.vscode'));
    const mcpJson = JSON.stringify({
      inputs: [{ type: 'promptString', id: 'key', password: true }],
      servers: { lan: { type: 'http', url: 'http://127.0.0.1:9/mcp/', headers: { Authorization: 'Bearer ${input:key}' } } },
    });
    await writeFile(path.join(dir, '.vscode', 'mcp.json'), mcpJson);
    await mkdir(path.join(dir, 'other', '.vscode'), { recursive: true });
    await writeFile(path.join(dir, 'other', '.vscode', 'mcp.json'), mcpJson);
    const list = { file: '.vscode/mcp.json', inputs: { key: 'UNIT_KEY' }, codeServer: { bin: options.bin ?? 'no-such-code-server' }, ...(options.listTimeoutMs ? { timeoutMs: options.listTimeoutMs } : {}) };
    const config = await parseConfig(
      stringify({
        gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres'] } },
        hosts: [{ name: 'lan', url: 'http://127.0.0.1:9' }],
        probes: { 'vscode.list': list, 'vscode.invoke': options.invoke ?? {} },
      }),
      path.join(dir, 'proofbook.config.yaml'),
    );
    return { dir, config, secrets: [{ key: 'UNIT_KEY', value: KEY, file: path.join(dir, 'secrets.env'), line: 1 }] };
  };
  const logOf = (summary: string) => /see (\/\S+\/code-server\.log)$/.exec(summary)?.[1];

  it('starts one run when both are in the run and agree, two when each runs alone or they open different files', async () => {
    const { config, secrets } = await workspace();
    const probes = await loadProbes(['vscode.list', 'vscode.invoke']);
    const http = createHttpClient(config.hosts);
    try {
      const together = await runProbes(probes, { config, http, secrets }, { timeoutMs: () => 30_000 });
      expect(together.map((r) => r.outcome.status)).toEqual(['error', 'error']);
      const [listLog, invokeLog] = together.map((r) => logOf(r.outcome.summary));
      expect(listLog).toBeDefined();
      expect(invokeLog).toBe(listLog);

      const alone = await Promise.all(probes.map((probe) => runProbes([probe], { config, http, secrets }, { timeoutMs: () => 30_000 })));
      const logs = alone.map(([r]) => logOf(r!.outcome.summary));
      expect(logs[0]).toBeDefined();
      expect(logs[1]).toBeDefined();
      expect(logs[0]).not.toBe(logs[1]);
    } finally {
      await http.close();
    }
    const other = await workspace({ invoke: { file: 'other/.vscode/mcp.json' } });
    const http2 = createHttpClient(other.config.hosts);
    try {
      const apart = await runProbes(await loadProbes(['vscode.list', 'vscode.invoke']), { config: other.config, http: http2, secrets: other.secrets }, { timeoutMs: () => 30_000 });
      const [a, b] = apart.map((r) => logOf(r.outcome.summary));
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      expect(a).not.toBe(b);
    } finally {
      await http2.close();
    }
  });

  it('lets each probe stop at its own deadline; the run goes on for the one still waiting', async () => {
    const { dir } = await workspace();
    const hung = path.join(dir, 'hung-code-server');
    await writeFile(hung, '#!/bin/sh\nexec sleep 30\n');
    await chmod(hung, 0o755);
    const { config, secrets } = await workspace({ bin: hung, listTimeoutMs: 1_000, invoke: { timeoutMs: 4_000 } });
    const http = createHttpClient(config.hosts);
    try {
      const results = await runProbes(await loadProbes(['vscode.list', 'vscode.invoke']), { config, http, secrets }, { timeoutMs: () => 30_000 });
      const [list, invoke] = results;
      expect(list!.outcome.summary).toMatch(/^code-server did not report: stopped waiting: /);
      expect(list!.durationMs).toBeLessThan(3_000);
      // vscode.list stopping did not stop the run: vscode.invoke waited on it to its own deadline (the run's is the same, the longer of the two).
      expect(invoke!.outcome.summary).toMatch(/^code-server did not report: /);
      expect(invoke!.durationMs).toBeGreaterThanOrEqual(3_500);
    } finally {
      await http.close();
    }
  });
});

describe('VS Code\'s words for a server without tools', () => {
  const nbsp = (text: string) => text.replaceAll(' ', '\u00a0');
  const run = (outputs: string[], lenses: Record<string, string[]> = {}): CodeServerRun => ({
    report: { tools: [], errors: [], calls: [], servers: Object.entries(lenses).map(([name, l]) => ({ name, lenses: l })) },
    command: [],
    resolution: '',
    shownEnv: {},
    prompts: [],
    outputs,
    durationMs: 0,
  });
  const lan = nbsp(
    '2026-12-03 16:36:17.409 [info] Starting server litellm-lan\n2026-12-03 16:36:17.410 [info] Connection state: Starting\n' +
      '2026-12-03 16:36:17.479 [info] Connection state: Running\n2026-12-03 16:36:17.853 [info] Connection state: Error 500 status \nsending message to ' +
      'http://litellm.linuxserver.lan:39333/mcp/: \n{"error":"MCP request failed","details":""}',
  );
  const external = nbsp('2026-12-03 16:36:17.984 [info] Starting server litellm-lan-2\n2026-12-03 16:36:18.173 [info] Connection state: Error Error sending \nmessage to https://x/mcp/');

  it('is the last error line of its own output channel, unwrapped', () => {
    expect(vscodeError(run([external, lan]), 'litellm-lan')).toBe(
      'VS Code: Error 500 status sending message to http://litellm.linuxserver.lan:39333/mcp/: {"error":"MCP request failed","details":""}',
    );
    expect(vscodeError(run([lan, external]), 'litellm-lan-2')).toBe('VS Code: Error Error sending message to https://x/mcp/');
  });

  it('names the server whose channel the output view draws (its no-break spaces read as spaces): the probe tells the extension it has read that one', () => {
    expect(channelServer(lan)).toBe('litellm-lan');
    expect(channelServer(external)).toBe('litellm-lan-2');
    expect(channelServer(nbsp('2026-12-03 16:36:17.410 [info] Connection state: Starting'))).toBeUndefined();
    expect(channelServer('')).toBeUndefined();
  });

  it('falls back to the code lenses VS Code shows above the server, then to saying it lists no tool', () => {
    expect(vscodeError(run([], { a: ['Error', 'Restart'] }), 'a')).toBe('VS Code shows Error · Restart and lists no tool');
    expect(vscodeError(run([]), 'a')).toBe('VS Code lists no tool from it');
  });
});
