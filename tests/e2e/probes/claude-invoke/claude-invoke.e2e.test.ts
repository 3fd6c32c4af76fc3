/**
 * `claude.invoke` end to end: the real Claude Code CLI runs `claude -p --output-format stream-json`
 * with the lab's Claude Code project (.lab/claude: the team's .mcp.json, and settings.json naming
 * the model) against the shared real lab — Traefik → LiteLLM 1.77.1 → the npm MCP servers →
 * PostgreSQL — through the LAN host (http) and the external one (https, the lab's CA).
 *
 * The ONLY test double is the lab's scripted model server (src/lab/scripted-messages.ts), standing
 * in for the LLM that decides to call a tool: no LLM is reachable here. Claude Code's MCP client,
 * the HTTP traffic, the gateway and the tool are real.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/probes/config.ts';
import { claudeInvokeProbe } from '../../../../src/probes/claude-invoke/probe.ts';
import { writeEvidence } from '../../../../src/evidence/store.ts';
import type { HttpClient } from '../../../../src/net/http-client.ts';
import type { EnvEntry } from '../../../../src/secrets/env-files.ts';
import { Redactor } from '../../../../src/secrets/redactor.ts';
import { closeLabWorkspace, openLabWorkspace, type SharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

const WRONG_KEY = 'sk-proofbook-wrong-key-000000000000';

describe('claude.invoke on the shared real lab', () => {
  let lab: SharedLab;
  let workspace: { dir: string; config: Config };
  let http: HttpClient;
  let secrets: EnvEntry[];

  const context = (config: Config): ProbeContextParts => ({ config, http, secrets });
  const withProbes = (probes: Record<string, unknown>): Config => ({ ...workspace.config, probes: { ...workspace.config.probes, ...probes } as unknown as Config['probes'] });

  beforeAll(async () => {
    ({ lab, workspace, http, secrets } = await openLabWorkspace(['LITELLM_MASTER_KEY', 'LITELLM_API_KEY', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL']));
  });
  afterAll(() => closeLabWorkspace({ http, workspace }));

  it('the lab\'s settings point claude -p at the scripted model', async () => {
    const settings = JSON.parse(await readFile(path.join(lab.dir, '.lab', 'claude', 'settings.json'), 'utf8'));
    expect(settings.env.ANTHROPIC_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('Claude Code lists the gateway\'s tools and completes `select 1` through both hosts; the evidence holds no key', async () => {
    const started = new Date().toISOString();
    const t0 = performance.now();
    const outcome = await runProbe(claudeInvokeProbe, context(workspace.config));
    const durationMs = Math.round(performance.now() - t0);
    expect(outcome.status, outcome.summary).toBe('pass');
    console.log(`claude.invoke (claude -p through the lab, two hosts) took ${durationMs} ms: ${outcome.transcript.map((e) => `${e.host} ${e.durationMs} ms`).join(', ')}`);
    const { facts } = outcome;
    expect(facts.runs.map((r) => [r.host, r.server, r.serverStatus, r.toolCall?.isError])).toEqual([
      ['lan', 'litellm-lan', 'connected', false],
      ['external', 'litellm-external', 'connected', false],
    ]);
    for (const run of facts.runs) {
      expect(run.toolCall).toMatchObject({ name: `mcp__${run.server}__mcp_postgres-query`, input: { sql: 'select 1' } });
      expect(run.toolCall?.result).toContain('"?column?": 1');
      expect(run.toolsOffered).toEqual(expect.arrayContaining(['mcp_postgres-query', 'mcp_filesystem-list_allowed_directories', 'mcp_filesystem-read_text_file']));
    }
    expect(facts.model.key).toMatch(/^ANTHROPIC_API_KEY in the env of .*settings\.json$/);
    expect(facts.clientMatrix.map((c) => [c.client, c.host, c.aspect, c.status])).toEqual([
      ['claude', 'lan', 'listing', 'pass'],
      ['claude', 'lan', 'invocation', 'pass'],
      ['claude', 'external', 'listing', 'pass'],
      ['claude', 'external', 'invocation', 'pass'],
    ]);

    // The evidence as refresh-docs writes it: the events, redacted.
    const redactor = new Redactor(secrets.map((e) => e.value));
    const evaluationDir = path.join(workspace.dir, 'evaluation');
    const result = await writeEvidence({ evaluationDir, id: 'claude.invoke', outcome, startedAt: started, durationMs, redactor });
    const transcript = await readFile(path.join(evaluationDir, result.evidence.transcript), 'utf8');
    const resultFile = await readFile(path.join(evaluationDir, result.evidence.result), 'utf8');
    const first = JSON.parse(transcript)[0] as { events: { type: string; subtype?: string; mcp_servers?: unknown }[] };
    // Claude Code starts every server of the team's file; the run for the LAN host calls through litellm-lan.
    expect(first.events[0]).toMatchObject({ type: 'system', subtype: 'init', mcp_servers: expect.arrayContaining([{ name: 'litellm-lan', status: 'connected', source: 'dynamic' }]) });
    for (const text of [transcript, resultFile, JSON.stringify(outcome)]) {
      expect(text).not.toContain(lab.secrets.masterKey);
      expect(text).not.toContain(lab.secrets.masterKey.slice(3));
    }
  });

  it('calls another tool through the LAN host only, when asked', async () => {
    const call = { server: 'mcp_filesystem', tool: 'list_allowed_directories', arguments: {}, expect: 'Allowed directories' };
    const outcome = await runProbe(claudeInvokeProbe, context(withProbes({ 'claude.invoke': { ...workspace.config.probes['claude.invoke'], hosts: ['lan'], call } })));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.runs.map((r) => r.toolCall?.name)).toEqual(['mcp__litellm-lan__mcp_filesystem-list_allowed_directories']);
    expect(outcome.facts.clientMatrix.map((c) => c.host)).toEqual(['lan', 'lan']);
  });

  it('fails, with the reason from Claude Code\'s debug log, when the key is wrong', async () => {
    process.env.PROOFBOOK_CLAUDE_WRONG_KEY = WRONG_KEY;
    try {
      const config = withProbes({ 'claude.invoke': { ...workspace.config.probes['claude.invoke'], hosts: ['lan'], env: { LITELLM_API_KEY: 'PROOFBOOK_CLAUDE_WRONG_KEY' } } });
      const outcome = await runProbe(claudeInvokeProbe, context(config));
      expect(outcome.status).toBe('fail');
      const run = outcome.facts.runs[0]!;
      expect(run.serverStatus).toBe('failed');
      expect(run.serverError).toContain('MCP request failed');
      console.log(`claude -p with a wrong key: ${run.serverError}`);
      expect(outcome.facts.clientMatrix.map((c) => [c.aspect, c.status])).toEqual([['listing', 'fail'], ['invocation', 'fail']]);
      expect(JSON.stringify(outcome)).not.toContain(WRONG_KEY);
    } finally {
      delete process.env.PROOFBOOK_CLAUDE_WRONG_KEY;
    }
  });
});
