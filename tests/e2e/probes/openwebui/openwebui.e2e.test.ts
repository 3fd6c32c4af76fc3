/**
 * `openwebui.list` and `openwebui.invoke` end to end on the shared real lab: the real Open WebUI
 * 0.12.4 (from its hash lock, without PyTorch) started by the lab from the lab's .env, its admin
 * signed up by the lab, its MCP connection to the gateway through Traefik (LAN host) → LiteLLM
 * 1.77.1 → the npm MCP servers → PostgreSQL, and its chats through LiteLLM.
 *
 * The ONLY test double is the lab's scripted model server (src/lab/scripted-chat.ts), LiteLLM's
 * model `scripted`, standing in for the LLM that decides to call a tool: no LLM is reachable
 * here. Open WebUI's MCP client, its tool loop, the HTTP traffic, the gateway and the tool are real.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/probes/config.ts';
import { openwebuiInvokeProbe } from '../../../../src/probes/openwebui-invoke/probe.ts';
import { openwebuiListProbe } from '../../../../src/probes/openwebui-list/probe.ts';
import { writeEvidence } from '../../../../src/evidence/store.ts';
import type { HttpClient } from '../../../../src/net/http-client.ts';
import type { EnvEntry } from '../../../../src/secrets/env-files.ts';
import { Redactor } from '../../../../src/secrets/redactor.ts';
import type { Probe, ProbeOutcome } from '../../../../src/probes/types.ts';
import { closeLabWorkspace, openLabWorkspace, type SharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

describe('openwebui.list and openwebui.invoke on the shared real lab', () => {
  let lab: SharedLab;
  let workspace: { dir: string; config: Config };
  let http: HttpClient;
  let secrets: EnvEntry[];

  const context = (config: Config): ProbeContextParts => ({ config, http, secrets });
  const withProbes = (probes: Record<string, unknown>): Config => ({ ...workspace.config, probes: { ...workspace.config.probes, ...probes } as unknown as Config['probes'] });
  /** Runs a probe and writes its evidence as refresh-docs does; returns the outcome and the written text. */
  async function runAndRecord<F extends object, O>(probe: Probe<F, O>, config: Config): Promise<{ outcome: ProbeOutcome<F>; written: string; durationMs: number }> {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const outcome = await runProbe(probe, context(config));
    const durationMs = Math.round(performance.now() - t0);
    const evaluationDir = path.join(workspace.dir, 'evaluation');
    const redactor = new Redactor(secrets.map((e) => e.value));
    const result = await writeEvidence({ evaluationDir, id: probe.id, outcome, startedAt, durationMs, redactor });
    const written = (await readFile(path.join(evaluationDir, result.evidence.result), 'utf8')) + (await readFile(path.join(evaluationDir, result.evidence.transcript), 'utf8'));
    return { outcome, written, durationMs };
  }
  const expectNoSecret = (text: string) => {
    for (const entry of secrets) if (entry.value.length >= 8) expect(text, `${entry.key} leaked`).not.toContain(entry.value);
  };

  beforeAll(async () => {
    ({ lab, workspace, http, secrets } = await openLabWorkspace(['OPENWEBUI_ADMIN_TOKEN']));
  });
  afterAll(() => closeLabWorkspace({ http, workspace }));

  it('the lab signed up Open WebUI\'s admin into a secrets file the workspace lists', () => {
    expect(secrets.find((e) => e.key === 'OPENWEBUI_ADMIN_TOKEN')?.value).toMatch(/\S{20,}/);
    expect(workspace.config.secretsFiles.some((f) => f.endsWith('openwebui-admin.env'))).toBe(true);
  });

  it('openwebui.list: the admin API lists the MCP connection and Open WebUI\'s verify lists the gateway\'s tools; no secret in the evidence', async () => {
    const { outcome, written, durationMs } = await runAndRecord(openwebuiListProbe, workspace.config);
    console.log(`openwebui.list took ${durationMs} ms`);
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.live).toMatchObject({ checked: true, listed: true, verified: true });
    expect(outcome.facts.live?.tools).toEqual(expect.arrayContaining(['mcp_postgres-query', 'mcp_filesystem-list_allowed_directories']));
    expect(outcome.facts.clientMatrix).toEqual([
      { client: 'openwebui', host: 'lan', aspect: 'listing', status: 'pass', note: expect.stringMatching(/verify listed \d+ tool/) },
      { client: 'openwebui', host: 'external', aspect: 'listing', status: 'skip', note: 'this Open WebUI is set up against lan only (probes."openwebui.config".host); nothing of it goes through external' },
    ]);
    expect(outcome.transcript.map((e) => `${e.method} ${new URL(String(e.url)).pathname} ${e.status}`)).toEqual([
      'GET /api/v1/configs/tool_servers 200',
      'POST /api/v1/configs/tool_servers/verify 200',
    ]);
    expectNoSecret(written);
  });

  it('openwebui.invoke: a chat with the scripted model calls query through the gateway; the saved chat shows it completed', async () => {
    const { outcome, written, durationMs } = await runAndRecord(openwebuiInvokeProbe, workspace.config);
    console.log(`openwebui.invoke took ${durationMs} ms`);
    expect(outcome.status, outcome.summary).toBe('pass');
    const { facts } = outcome;
    expect(facts.toolServer).toEqual({ id: 'litellm', toolId: 'server:mcp:litellm' });
    expect(facts.model).toBe('scripted');
    expect(facts.chat?.toolCall).toMatchObject({ name: 'litellm_mcp_postgres-query', arguments: '{"sql":"select 1"}', callStatus: 'completed', outputStatus: 'completed' });
    expect(facts.chat?.toolCall?.result).toContain('"?column?": 1');
    expect(facts.limitation).toBeUndefined();
    expect(facts.clientMatrix.map((c) => [c.client, c.host, c.aspect, c.status])).toEqual([
      ['openwebui', 'lan', 'invocation', 'pass'],
      ['openwebui', 'external', 'invocation', 'skip'],
    ]);
    // The chat is deleted afterwards: the probe leaves nothing in the team's Open WebUI.
    expect(outcome.transcript.at(-1)).toMatchObject({ method: 'DELETE', status: 200 });
    expectNoSecret(written);
  });

  it('openwebui.invoke with the old "catalog only" limitation documented: the call succeeds, so the invocation cell fails', async () => {
    const limitation = 'catalog only: Open WebUI lists the gateway\'s MCP tools, but tool calls through the gateway are not supported';
    const config = withProbes({ 'openwebui.invoke': { ...(workspace.config.probes as Record<string, object>)['openwebui.invoke'], limitation } });
    const outcome = await runProbe(openwebuiInvokeProbe, context(config));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/^documented limitation no longer observed: catalog only/);
    expect(outcome.facts.limitation).toEqual({ documented: limitation, observed: false });
  });
});
