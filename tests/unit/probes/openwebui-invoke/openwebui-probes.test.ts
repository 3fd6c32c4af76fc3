/**
 * Tests for `openwebui.list` and `openwebui.invoke`, one folder per behaviour:
 *   tests/fixtures/openwebui-list/<case>/, tests/fixtures/openwebui-invoke/<case>/
 *     case.json      {standIn: {connections?, verify?, models?, completionStatus?, assistant?},
 *                     token: "right" | "wrong" | "none", url: false (no URL configured), options: {...}}
 *     expected.json  {status, summary, cells: ["host:aspect:status"], limitation?, tools?}
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 *
 * Open WebUI here is AN HTTP STAND-IN (tests/helpers/openwebui-stand-in.ts), for faults: a wrong
 * token, a failing verify, a tool error, a model that never calls, a documented limitation that is
 * observed or contradicted, hostile tool names and descriptions from the gateway. The real Open
 * WebUI runs in tests/e2e/probes/openwebui. Everything else (HTTP client, recording, redaction,
 * the verdicts) is real. Planted secrets contain "PLANTED"; no outcome may contain one.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { openwebuiInvokeProbe, type OpenWebuiInvokeFacts } from '../../../../src/probes/openwebui-invoke/probe.ts';
import { matchesTool, withLimitation } from '../../../../src/probes/openwebui-invoke/verdict.ts';
import type { OpenWebuiListFacts } from '../../../../src/probes/openwebui-list/probe.ts';
import type { ClientMatrixCell, ProbeOutcome } from '../../../../src/probes/types.ts';
import type { EnvEntry } from '../../../../src/secrets/env-files.ts';
import { probeDefinition, runProbeCases, type ProbeCase } from '../../../helpers/probe-cases.ts';
import { runProbe } from '../../../helpers/probe-context.ts';
import { gatewayConnection, startOpenWebuiStandIn, type StandIn, type StandInBehaviour } from '../../../helpers/openwebui-stand-in.ts';

const fixtures = path.join(import.meta.dirname, '..', '..', '..', 'fixtures');
const KEY = 'sk-PLANTEDgatewaykey1234567890';
const TOKEN = 'PLANTEDadmintoken0987654321';
const PLANTED = /PLANTED/;

interface Spec {
  standIn?: Omit<StandInBehaviour, 'token'>;
  token?: 'right' | 'wrong' | 'none';
  url?: false;
  options?: Record<string, unknown>;
}

const standIns = new Map<string, StandIn>();
afterAll(async () => {
  for (const standIn of standIns.values()) await standIn.close();
});

/** The case's stand-in: `$KEY` anywhere is the planted gateway key; connections default to the gateway's. */
function behaviour(spec: Spec): Omit<StandInBehaviour, 'token'> {
  const planted = JSON.parse(JSON.stringify(spec.standIn ?? {}).replaceAll('$KEY', KEY)) as Omit<StandInBehaviour, 'token'>;
  return { ...planted, connections: planted.connections ?? [gatewayConnection(KEY)] };
}

async function caseConfig(id: string, probeCase: ProbeCase<Spec>): Promise<Config> {
  const { spec } = probeCase;
  const standIn = await startOpenWebuiStandIn({ ...behaviour(spec), token: TOKEN });
  standIns.set(`${id}/${probeCase.name}`, standIn);
  const yaml = stringify({
    gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml' },
    hosts: [
      { name: 'lan', url: 'http://litellm.linuxserver.lan' },
      { name: 'external', url: 'https://litellm.ai-servicers.com' },
    ],
    probes: {
      'mcp.catalog': { servers: ['mcp_postgres', 'mcp_filesystem'] },
      'openwebui.config': { host: 'lan' },
      [id]: { ...(spec.url === false ? {} : { url: standIn.url }), ...spec.options },
    },
  });
  return parseConfig(yaml, path.join(probeCase.dir, 'proofbook.config.yaml'));
}

function caseSecrets(spec: Spec): EnvEntry[] {
  if (spec.token === 'none') return [];
  return [{ key: 'OPENWEBUI_ADMIN_TOKEN', value: spec.token === 'wrong' ? 'PLANTEDwrongtoken000000000' : TOKEN, file: 'admin.env', line: 1 }];
}

const cells = (matrix: ClientMatrixCell[]) => matrix.map((c) => `${c.host}:${c.aspect}:${c.status}`);
const normalizeFor = (id: string) => (json: string, probeCase: ProbeCase<Spec>) => json.replaceAll(standIns.get(`${id}/${probeCase.name}`)?.url ?? '\u0000', '<open-webui>');
const noPlanted = ({ outcome }: { outcome: ProbeOutcome<object> }) => expect(JSON.stringify(outcome)).not.toMatch(PLANTED);

describe('openwebui.list fixtures', () => {
  delete process.env.OPENWEBUI_ADMIN_TOKEN;
  runProbeCases<Spec, OpenWebuiListFacts>(probeDefinition('openwebui.list'), path.join(fixtures, 'openwebui-list'), {
    config: (probeCase) => caseConfig('openwebui.list', probeCase),
    secrets: (_config, probeCase) => caseSecrets(probeCase.spec),
    http: (config) => createHttpClient(config.hosts),
    actual: (outcome) => ({ status: outcome.status, cells: cells(outcome.facts.clientMatrix), tools: outcome.facts.live?.tools ?? [] }),
    normalize: normalizeFor('openwebui.list'),
    check: noPlanted,
  });
});

describe('openwebui.invoke fixtures', () => {
  runProbeCases<Spec, OpenWebuiInvokeFacts>(probeDefinition('openwebui.invoke'), path.join(fixtures, 'openwebui-invoke'), {
    config: (probeCase) => caseConfig('openwebui.invoke', probeCase),
    secrets: (_config, probeCase) => caseSecrets(probeCase.spec),
    http: (config) => createHttpClient(config.hosts),
    actual: (outcome) => ({ status: outcome.status, cells: cells(outcome.facts.clientMatrix), ...(outcome.facts.limitation ? { limitation: outcome.facts.limitation } : {}) }),
    normalize: normalizeFor('openwebui.invoke'),
    check: (result) => {
      noPlanted(result);
      // The chat the probe created is deleted whenever it got one.
      const requests = standIns.get(`openwebui.invoke/${result.name}`)!.requests.map((r) => `${r.method} ${r.path}`);
      if (requests.includes('POST /api/v1/chats/new')) expect(requests.at(-1)).toBe('DELETE /api/v1/chats/chat-1');
    },
  });
});

describe('openwebui.invoke', () => {
  it('sends a chat bound to a saved chat with the gateway connection as tool server, and the instruction the scripted model reads', async () => {
    const standIn = await startOpenWebuiStandIn({ token: TOKEN, connections: [gatewayConnection(KEY)], assistant: { done: true, output: [] } });
    standIns.set('request-shape', standIn);
    const config = await caseConfig('openwebui.invoke', { name: 'request-shape', source: '', dir: fixtures, spec: { options: { url: standIn.url } } });
    const http = createHttpClient(config.hosts);
    await runProbe(openwebuiInvokeProbe, { config, http, secrets: caseSecrets({}) });
    await http.close();
    const completion = JSON.parse(standIn.requests.find((r) => r.path === '/api/chat/completions')!.body!);
    expect(completion).toMatchObject({ model: 'scripted', stream: true, chat_id: 'chat-1', parent_id: null, tool_ids: ['server:mcp:litellm'] });
    expect(completion.user_message).toMatchObject({ role: 'user', parentId: null, content: completion.messages[0].content });
    expect(completion.messages[0].content).toMatch(/^Use the MCP server "litellm": call its tool "mcp_postgres-query" once with the JSON arguments \{"sql":"select 1"\}/);
  });

  it('recognises Open WebUI\'s cut-and-hashed names of tools over 64 characters', () => {
    const wanted = { connectionId: 'a-very-long-connection-identifier', server: 'mcp_filesystem', tool: 'list_directory_with_sizes' };
    const full = `${wanted.connectionId}_${wanted.server}-${wanted.tool}`;
    expect(full.length).toBeGreaterThan(64);
    expect(matchesTool(`${full.slice(0, 55)}_0123abcd`, wanted)).toBe(true);
    expect(matchesTool(`${full.slice(0, 55)}_not-hex!`, wanted)).toBe(false);
    expect(matchesTool('litellm_mcp_postgres-query', { connectionId: 'litellm', server: 'mcp_postgres', tool: 'query' })).toBe(true);
  });

  it('weighs a documented limitation: observed only on a failed call, contradicted by a successful one', () => {
    const text = 'catalog only';
    expect(withLimitation({ kind: 'done', summary: 'ok' }, text)).toEqual({ status: 'fail', summary: 'documented limitation no longer observed: catalog only (ok)', observed: false });
    expect(withLimitation({ kind: 'failed', summary: 'error' }, text)).toEqual({ status: 'known-limitation', summary: 'catalog only (observed: error)', observed: true });
    expect(withLimitation({ kind: 'no-call', summary: 'no call' }, text).status).toBe('fail');
    expect(withLimitation({ kind: 'done', summary: 'ok' }, undefined).status).toBe('pass');
    expect(withLimitation({ kind: 'failed', summary: 'error' }, undefined).status).toBe('fail');
  });
});
