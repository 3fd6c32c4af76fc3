/**
 * `claude.list` end to end: the real Claude Code CLI (@anthropic-ai/claude-code) runs
 * `claude mcp list` in the lab's Claude Code project (.lab/claude/.mcp.json, written from the
 * team's example lab/clients/claude/.mcp.json) against the shared real lab — Traefik → LiteLLM
 * 1.77.1 → the npm MCP servers — on both hosts: the LAN one over http and the external one over
 * https with the lab's CA, each reached by its own name through a hosts file in a private mount
 * namespace. No test double: `claude mcp list` asks no model.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/probes/config.ts';
import { claudeListProbe } from '../../../../src/probes/claude-list/probe.ts';
import type { HttpClient } from '../../../../src/net/http-client.ts';
import type { EnvEntry } from '../../../../src/secrets/env-files.ts';
import { closeLabWorkspace, openLabWorkspace, type SharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

const WRONG_KEY = 'sk-proofbook-wrong-key-000000000000';

describe('claude.list on the shared real lab', () => {
  let lab: SharedLab;
  let workspace: { dir: string; config: Config };
  let http: HttpClient;
  let secrets: EnvEntry[];
  let project: string;

  const context = (config: Config): ProbeContextParts => ({ config, http, secrets });
  /** The workspace's config (proofbook.config.yaml: the lab's project, the key mapped to the master key) with other claude.list options. */
  const withList = (options: Record<string, unknown>): Config => ({
    ...workspace.config,
    probes: { ...workspace.config.probes, 'claude.list': { ...workspace.config.probes['claude.list'], ...options } } as unknown as Config['probes'],
  });

  beforeAll(async () => {
    ({ lab, workspace, http, secrets } = await openLabWorkspace(['LITELLM_MASTER_KEY', 'LITELLM_API_KEY']));
    project = path.join(lab.dir, '.lab', 'claude');
  });
  afterAll(() => closeLabWorkspace({ http, workspace }));

  it('the lab wrote the team\'s .mcp.json with its hosts\' URLs and the key as ${LITELLM_API_KEY}', async () => {
    const file = await readFile(path.join(project, '.mcp.json'), 'utf8');
    expect(file).toContain(`"url": "${workspace.config.hostByName('lan').url}/mcp/"`);
    expect(file).toContain(`"url": "${workspace.config.hostByName('external').url}/mcp/"`);
    expect(file).toContain('"Authorization": "Bearer ${LITELLM_API_KEY}"');
    expect(file).not.toContain(lab.secrets.masterKey);
  });

  it('passes: Claude Code connects to the gateway on both hosts; the evidence holds no key', async () => {
    const t0 = performance.now();
    expect(workspace.config.probes['claude.list']).toMatchObject({ project, env: { LITELLM_API_KEY: 'LITELLM_MASTER_KEY' } });
    const outcome = await runProbe(claudeListProbe, context(workspace.config));
    console.log(`claude.list (claude mcp list through the lab) took ${Math.round(performance.now() - t0)} ms`);
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.servers.map((s) => [s.name, s.state, s.host])).toEqual([
      ['litellm-lan', 'connected', 'lan'],
      ['litellm-external', 'connected', 'external'],
    ]);
    expect(outcome.facts.clientMatrix.map((c) => [c.client, c.host, c.aspect, c.status])).toEqual([
      ['claude', 'lan', 'listing', 'pass'],
      ['claude', 'external', 'listing', 'pass'],
    ]);
    expect(outcome.facts.resolution).toMatch(/^a hosts file in a private mount namespace: litellm\.linuxserver\.lan → 127\.0\.0\.1, litellm\.ai-servicers\.com → 127\.0\.0\.1/);
    expect(outcome.facts.variables).toEqual([{ name: 'LITELLM_API_KEY', source: expect.stringMatching(/^\(set, from LITELLM_MASTER_KEY in .*litellm\.env:\d+\)$/) }]);
    const entry = outcome.transcript[0]!;
    expect(entry).toMatchObject({ command: ['claude', 'mcp', 'list'], exitCode: 0 });
    expect((entry.env as Record<string, string>).NODE_EXTRA_CA_CERTS).toMatch(/certs\/ca\.pem\)$/); // the external host's caFile
    expect(JSON.stringify(outcome)).not.toContain(lab.secrets.masterKey);
    expect(JSON.stringify(outcome)).not.toContain(lab.secrets.masterKey.slice(3));
  });

  it('passes in a project inside a git checkout too (the repo\'s own lab folder): the approval reaches Claude Code there', async () => {
    // Regression: with the approval only in .claude.json's project entry, Claude Code 2.1 left both
    // servers "⏸ Pending approval" when the project folder was inside a git repository.
    const checkout = await mkdtemp(path.join(os.tmpdir(), 'proofbook-claude-git-'));
    try {
      await execa('git', ['init', '-q', checkout]);
      const inside = path.join(checkout, '.lab', 'claude');
      await mkdir(inside, { recursive: true });
      await copyFile(path.join(project, '.mcp.json'), path.join(inside, '.mcp.json'));
      const outcome = await runProbe(claudeListProbe, context(withList({ project: inside })));
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.facts.servers.map((s) => s.state)).toEqual(['connected', 'connected']);
    } finally {
      await rm(checkout, { recursive: true, force: true });
    }
  });

  it('fails with the reason Claude Code printed when the key is wrong', async () => {
    process.env.PROOFBOOK_CLAUDE_WRONG_KEY = WRONG_KEY;
    try {
      const outcome = await runProbe(claudeListProbe, context(withList({ env: { LITELLM_API_KEY: 'PROOFBOOK_CLAUDE_WRONG_KEY' } })));
      expect(outcome.status).toBe('fail');
      const lan = outcome.facts.servers.find((s) => s.name === 'litellm-lan')!;
      expect(lan.state).toBe('failed');
      const cells = outcome.facts.clientMatrix;
      expect(cells.map((c) => [c.host, c.status])).toEqual([['lan', 'fail'], ['external', 'fail']]);
      expect(cells[0]!.note).toMatch(/^claude mcp list: litellm-lan ✘ Failed to connect — /);
      expect(outcome.summary).toContain(`litellm-lan ✘ ${lan.status}`);
      expect(outcome.summary).toContain('the gateway refused the key');
      console.log(`claude mcp list with a wrong key: ${lan.status}`);
      expect(JSON.stringify(outcome)).not.toContain(WRONG_KEY);
    } finally {
      delete process.env.PROOFBOOK_CLAUDE_WRONG_KEY;
    }
  });

  it('really resolves the names itself: asked to use DNS, Claude Code cannot find the lab\'s hosts', async () => {
    const outcome = await runProbe(claudeListProbe, context(withList({ resolve: 'dns' })));
    expect(outcome.status).toBe('fail');
    expect(outcome.facts.servers.map((s) => s.status)).toEqual([expect.stringContaining('ENOTFOUND'), expect.stringContaining('ENOTFOUND')]);
    expect(outcome.summary).toContain('the host name does not resolve where Claude Code runs');
  });
});
