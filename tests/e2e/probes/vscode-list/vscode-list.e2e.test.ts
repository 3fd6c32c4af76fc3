/**
 * `vscode.list` and `vscode.invoke` end to end against the shared real lab (Traefik → LiteLLM
 * 1.77.1 → the npm MCP servers), with the team's lab/clients/vscode/.vscode/mcp.json as the lab writes it (.lab/vscode, its hosts' URLs;
 * comments, `${input:litellm-key}` answered with the lab's master key) on both hosts: the LAN one
 * over http and the external one over https with the lab's CA. No test double.
 * - fallback: the probes connect with the MCP SDK to exactly VS Code's URLs and headers;
 * - code-server: real VS Code (code-server 4.139.1 from `npm run lab:toolchain`) in headless
 *   Chromium lists and invokes through the gateway (skipped, saying so, when it is not installed).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/probes/config.ts';
import { vscodeInvokeProbe } from '../../../../src/probes/vscode-invoke/probe.ts';
import { vscodeListProbe } from '../../../../src/probes/vscode-list/probe.ts';
import { codeServerSetup } from '../../../../src/probes/vscode-list/code-server-run.ts';
import type { HttpClient } from '../../../../src/net/http-client.ts';
import type { EnvEntry } from '../../../../src/secrets/env-files.ts';
import { closeLabWorkspace, openLabWorkspace, type SharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';
import { loadProbes } from '../../../../src/probes/registry.ts';
import { runProbes } from '../../../../src/probes/runner.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';

/** VS Code's IPC sockets in the temporary folder (code-server leaves them behind when it is stopped). */
const vscodeSockets = () => readdirSync(os.tmpdir()).filter((name) => /^vscode-(ipc|git)-.*\.sock$/.test(name));

describe('vscode.list and vscode.invoke on the shared real lab', () => {
  let lab: SharedLab;
  let workspace: { dir: string; config: Config };
  let http: HttpClient;
  let secrets: EnvEntry[];

  const context = (config: Config): ProbeContextParts => ({ config, http, secrets });
  /** The workspace's config (proofbook.config.yaml's vscode.list: the key's input mapped to the master key) with the lab's copy of the team's file and other vscode.list options. */
  // The lab's config observes with code-server (`codeServer` under vscode.list): here each test says which path it takes.
  const withOptions = (id: 'vscode.list' | 'vscode.invoke', options: Record<string, unknown>): Config => {
    const probes = workspace.config.probes as Record<string, Record<string, unknown>>;
    const { codeServer: _list, ...listBase } = probes['vscode.list'] ?? {};
    const { codeServer: _invoke, ...invoke } = probes['vscode.invoke'] ?? {};
    const list = { ...listBase, file: path.join(lab.dir, '.lab', 'vscode', '.vscode', 'mcp.json') };
    return {
      ...workspace.config,
      probes: { ...probes, 'vscode.list': list, 'vscode.invoke': invoke, [id]: { ...(id === 'vscode.list' ? list : invoke), ...options } } as unknown as Config['probes'],
    };
  };
  const noKey = (outcome: unknown) => {
    expect(JSON.stringify(outcome)).not.toContain(lab.secrets.masterKey);
    expect(JSON.stringify(outcome)).not.toContain(lab.secrets.masterKey.slice(3));
  };

  beforeAll(async () => {
    ({ lab, workspace, http, secrets } = await openLabWorkspace(['LITELLM_MASTER_KEY']));
  });
  afterAll(() => closeLabWorkspace({ http, workspace }));

  it('fallback: lists the gateway\'s tools on both hosts with VS Code\'s URLs and headers; the evidence holds no key', async () => {
    const t0 = performance.now();
    const outcome = await runProbe(vscodeListProbe, context(withOptions('vscode.list', {})));
    console.log(`vscode.list (fallback) took ${Math.round(performance.now() - t0)} ms`);
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.path).toBe('fallback');
    expect(outcome.facts.servers.map((s) => [s.name, s.state, s.host])).toEqual([
      ['litellm-lan', 'listed', 'lan'],
      ['litellm-external', 'listed', 'external'],
    ]);
    expect(outcome.facts.servers[0]!.tools).toEqual(expect.arrayContaining(['mcp_postgres-query', 'mcp_filesystem-list_allowed_directories']));
    expect(outcome.facts.clientMatrix.map((c) => [c.client, c.host, c.aspect, c.status])).toEqual([
      ['vscode', 'lan', 'listing', 'pass'],
      ['vscode', 'external', 'listing', 'pass'],
    ]);
    expect(outcome.facts.variables).toEqual([{ variable: '${input:litellm-key}', source: expect.stringMatching(/^\(typed at the prompt: LITELLM_MASTER_KEY from .*litellm\.env:\d+\)$/) }]);
    const posts = outcome.transcript.filter((e) => e.kind === 'http' && e.method === 'POST');
    expect(posts.map((e) => new URL(e.url as string).host)).toEqual(expect.arrayContaining(['lan', 'external'].map((h) => new URL(workspace.config.hostByName(h).url).host)));
    expect((posts[0]!.requestHeaders as Record<string, string>).authorization).toBe('Bearer [REDACTED]');
    noKey(outcome);
  });

  it('fallback: a wrong key typed at the prompt fails the listing with the gateway\'s answer', async () => {
    process.env.PROOFBOOK_E2E_WRONG_KEY = 'sk-proofbook-wrong-key-000000000000';
    try {
      const outcome = await runProbe(vscodeListProbe, context(withOptions('vscode.list', { inputs: { 'litellm-key': 'PROOFBOOK_E2E_WRONG_KEY' } })));
      expect(outcome.status).toBe('fail');
      expect(outcome.facts.clientMatrix.map((c) => c.status)).toEqual(['fail', 'fail']);
      expect(outcome.facts.servers[0]!.error).toMatch(/HTTP 500|HTTP 401/);
    } finally {
      delete process.env.PROOFBOOK_E2E_WRONG_KEY;
    }
  });

  it('fallback: calls mcp_postgres-query through both hosts', async () => {
    const outcome = await runProbe(vscodeInvokeProbe, context(withOptions('vscode.list', {})));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.path).toBe('fallback');
    expect(outcome.facts.runs.map((r) => [r.server, r.outcome, r.listed])).toEqual([
      ['litellm-lan', 'ok', true],
      ['litellm-external', 'ok', true],
    ]);
    expect(outcome.facts.runs[0]!.result).toContain('"?column?": 1');
    expect(outcome.facts.clientMatrix.map((c) => [c.host, c.aspect, c.status])).toEqual([
      ['lan', 'invocation', 'pass'],
      ['external', 'invocation', 'pass'],
    ]);
    noKey(outcome);
  });

  const installed = codeServerSetup('auto', process.cwd()) !== undefined;
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    console.log(`${what} took ${Math.round(performance.now() - t0)} ms`);
    return result;
  };

  it.skipIf(!installed)('code-server: VS Code lists the gateway\'s tools on both hosts, the key typed at its prompt; the evidence holds no key', async () => {
    const outcome = await timed('vscode.list (code-server)', () => runProbe(vscodeListProbe, context(withOptions('vscode.list', { codeServer: 'auto' }))));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.path).toBe('code-server');
    expect(outcome.facts.vscodeVersion).toBe('1.139.1');
    expect(outcome.facts.servers.map((s) => [s.name, s.state, s.host])).toEqual([
      ['litellm-lan', 'listed', 'lan'],
      ['litellm-external', 'listed', 'external'],
    ]);
    // VS Code's own names: its prefix, then the gateway's <server>-<tool>.
    for (const server of outcome.facts.servers) expect(server.tools.filter((t) => /^mcp_.*mcp_postgres-query$/.test(t))).toHaveLength(1);
    expect(outcome.facts.clientMatrix.map((c) => [c.host, c.aspect, c.status, c.note])).toEqual([
      ['lan', 'listing', 'pass', expect.stringMatching(/^VS Code \(code-server\) discovered litellm-lan: \d+ tools$/)],
      ['external', 'listing', 'pass', expect.stringMatching(/^VS Code \(code-server\) discovered litellm-external: \d+ tools$/)],
    ]);
    const run = outcome.transcript.find((e) => e.kind === 'command')!;
    expect(run.command).toEqual(expect.arrayContaining(['code-server', '--auth', 'none']));
    expect(run.prompts).toEqual(expect.arrayContaining([expect.stringMatching(/^answered: LiteLLM API key/)]));
    expect(JSON.stringify(run.outputs)).toMatch(/Discovered \d+ tools/);
    // Each server's channel is shown until the probe has read it, not for a fixed while: one channel each, each read.
    expect(run.outputs).toHaveLength(2);
    const steps: string[] = (run as { report?: { steps?: string[] } }).report?.steps ?? [];
    expect(steps.filter((step) => / ms: output of .+ read$/.test(step)).map((step) => step.replace(/^\d+ ms: /, ''))).toEqual([
      'output of litellm-lan read',
      'output of litellm-external read',
    ]);
    noKey(outcome);
  });

  it.skipIf(!installed)('code-server: VS Code calls mcp_postgres-query through both hosts with vscode.lm.invokeTool, at once; it leaves no socket in the temporary folder', async () => {
    const socketsBefore = new Set(vscodeSockets());
    const outcome = await timed('vscode.invoke (code-server)', () => runProbe(vscodeInvokeProbe, context(withOptions('vscode.list', { codeServer: 'auto' }))));
    expect(vscodeSockets().filter((name) => !socketsBefore.has(name))).toEqual([]);
    // Both calls were made before either answered (the extension's steps, in the transcript).
    const steps: string[] = (outcome.transcript as { report?: { steps?: string[] } }[]).find((entry) => entry.report)?.report?.steps ?? [];
    const firstAnswer = steps.findIndex((step) => /: answered: /.test(step));
    expect(steps.filter((step, i) => /: invoking /.test(step) && i < firstAnswer)).toHaveLength(2);
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.path).toBe('code-server');
    expect(outcome.facts.runs.map((r) => [r.server, r.outcome, r.listed])).toEqual([
      ['litellm-lan', 'ok', true],
      ['litellm-external', 'ok', true],
    ]);
    for (const run of outcome.facts.runs) {
      expect(run.tool).toMatch(/^mcp_.*mcp_postgres-query$/);
      expect(run.result).toContain('"?column?": 1');
    }
    expect(outcome.facts.clientMatrix.map((c) => [c.host, c.aspect, c.status])).toEqual([
      ['lan', 'invocation', 'pass'],
      ['external', 'invocation', 'pass'],
    ]);
    noKey(outcome);
  });

  it.skipIf(!installed)('code-server: in one run, vscode.list and vscode.invoke observe through one VS Code: the same run in both transcripts, both pass', async () => {
    const config = withOptions('vscode.list', { codeServer: 'auto' });
    const started = performance.now();
    const results = await runProbes(await loadProbes(['vscode.list', 'vscode.invoke']), { config, http, secrets }, { timeoutMs: () => 180_000 });
    console.log(`vscode.list + vscode.invoke (one code-server run) took ${Math.round(performance.now() - started)} ms`);
    const [list, invoke] = results.map((r) => r.outcome as ProbeOutcome<{ path: string; servers?: { state: string }[]; runs?: { outcome: string }[] }>);
    expect(list!.status, list!.summary).toBe('pass');
    expect(invoke!.status, invoke!.summary).toBe('pass');
    expect(list!.facts.path).toBe('code-server');
    expect(list!.facts.servers!.map((s) => s.state)).toEqual(['listed', 'listed']);
    expect(invoke!.facts.runs!.map((r) => r.outcome)).toEqual(['ok', 'ok']);
    const runOf = (outcome: ProbeOutcome) => outcome.transcript.find((e) => e.kind === 'command')!;
    expect(runOf(list!).sharedBy).toEqual(['vscode.list', 'vscode.invoke']);
    // One VS Code: the extension's one report (its steps carry the run's own timings) in both.
    expect(runOf(invoke!).report).toEqual(runOf(list!).report);
    expect((runOf(list!).report as { calls: unknown[] }).calls).toHaveLength(2);
    noKey(results);
  });

  it.skipIf(!installed)('code-server: VS Code runs with the environment the probe gives it: no login shell of the machine\'s user runs (its rc files could change trust, proxies or the report path)', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'proofbook-e2e-home-'));
    const marker = path.join(home, 'login-shell-ran');
    for (const rc of ['.bash_profile', '.bashrc', '.profile']) await writeFile(path.join(home, rc), `touch '${marker}'\n`);
    const saved = { HOME: process.env.HOME, SHELL: process.env.SHELL };
    Object.assign(process.env, { HOME: home, SHELL: '/bin/bash' });
    try {
      const outcome = await runProbe(vscodeListProbe, context(withOptions('vscode.list', { codeServer: 'auto' })));
      expect(outcome.status, outcome.summary).toBe('pass');
      // VS Code resolves a login shell's environment unless it was started from a shell (VSCODE_CLI=1), as `code .` is.
      expect(existsSync(marker)).toBe(false);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(home, { recursive: true, force: true });
    }
  });

  it.skipIf(!installed)('code-server: a wrong key typed at the prompt fails both cells with VS Code\'s error', async () => {
    process.env.PROOFBOOK_E2E_WRONG_KEY = 'sk-proofbook-wrong-key-000000000000';
    try {
      const outcome = await runProbe(vscodeListProbe, context(withOptions('vscode.list', { codeServer: 'auto', inputs: { 'litellm-key': 'PROOFBOOK_E2E_WRONG_KEY' } })));
      expect(outcome.status).toBe('fail');
      expect(outcome.facts.servers.map((s) => s.state)).toEqual(['failed', 'failed']);
      expect(outcome.facts.servers[0]!.error).toMatch(/^VS Code: Error 500 status sending message to http:\/\/litellm\.linuxserver\.lan:\d+\/mcp\//);
      expect(outcome.facts.clientMatrix.map((c) => c.status)).toEqual(['fail', 'fail']);
      expect(outcome.facts.clientMatrix[0]!.note).toContain('VS Code: Error 500');
      expect(JSON.stringify(outcome)).not.toContain(process.env.PROOFBOOK_E2E_WRONG_KEY);
      noKey(outcome);
    } finally {
      delete process.env.PROOFBOOK_E2E_WRONG_KEY;
    }
  });
});
