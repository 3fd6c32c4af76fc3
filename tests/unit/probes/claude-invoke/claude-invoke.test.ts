/**
 * `claude.invoke` with the real Claude Code CLI (`claude -p --output-format stream-json`, offline),
 * one folder per behaviour under tests/fixtures/claude-invoke/<case>/ (the folder is the project,
 * copied to a scratch folder):
 *   .mcp.json      the team's file; `{{MCP_PORT}}` stands for the port of the MCP stand-in
 *   settings.json  Claude Code settings; `{{MODEL_ORIGIN}}` stands for the scripted model's address
 *   case.json      {options: probes."claude.invoke", secrets: {NAME: value}}
 *   expected.json  {status, summary?, cells: ["host:aspect:status"], runs}
 * Two stand-ins: the gateway (tests/helpers/mcp-stand-in.ts) and the model — the lab's scripted
 * model server (src/lab/scripted-model.ts, the test double for the LLM). Claude Code is real. The
 * real gateway is in tests/e2e/probes/claude-invoke/.
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startScriptedModel } from '../../../../src/lab/scripted-model.ts';
import { parseConfig } from '../../../../src/probes/config.ts';
import type { ClaudeInvokeFacts } from '../../../../src/probes/claude-invoke/facts.ts';
import { parseEvents, readEvents } from '../../../../src/probes/claude-invoke/events.ts';
import { debugReason } from '../../../../src/probes/claude-invoke/verdict.ts';
import { startMcpStandIn, type McpStandIn } from '../../../helpers/mcp-stand-in.ts';
import { probeDefinition, runProbeCases } from '../../../helpers/probe-cases.ts';

const FIXTURES = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'claude-invoke');
const GOOD_KEY = 'sk-fixture-good-key-0123456789';

interface CaseSpec {
  options: Record<string, unknown>;
  secrets: Record<string, string>;
}

describe('claude.invoke fixtures (real claude -p)', () => {
  let gateway: McpStandIn;
  let model: Server;
  let modelOrigin: string;
  const scratch: string[] = [];
  const saved = { ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN: process.env.ANTHROPIC_AUTH_TOKEN, ANTHROPIC_BASE_URL: process.env.ANTHROPIC_BASE_URL };
  beforeAll(async () => {
    for (const name of Object.keys(saved)) delete process.env[name]; // the model comes from the case's settings, or there is none
    gateway = await startMcpStandIn(GOOD_KEY);
    model = (await startScriptedModel({ port: 0 })).server;
    modelOrigin = `http://127.0.0.1:${(model.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await gateway.close();
    await new Promise((resolve) => model.close(resolve));
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  });

  runProbeCases<CaseSpec, ClaudeInvokeFacts>(probeDefinition('claude.invoke'), FIXTURES, {
    workspace: async ({ source }) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-claude-invoke-'));
      scratch.push(dir);
      await cp(source, dir, { recursive: true });
      for (const name of ['.mcp.json', 'settings.json']) {
        const file = path.join(dir, name);
        const text = await readFile(file, 'utf8').catch(() => undefined);
        if (text !== undefined) await writeFile(file, text.replaceAll('{{MCP_PORT}}', String(gateway.port)).replaceAll('{{MODEL_ORIGIN}}', modelOrigin));
      }
      return dir;
    },
    config: ({ dir, spec }) =>
      parseConfig(
        stringify({
          gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres', 'mcp_filesystem'] } },
          hosts: [{ name: 'lan', url: `http://127.0.0.1:${gateway.port}` }],
          probes: { 'claude.invoke': spec.options },
        }),
        path.join(dir, 'proofbook.config.yaml'),
      ),
    secrets: (config, { spec }) =>
      Object.entries(spec.secrets).map(([key, value], index) => ({ key, value, file: path.join(config.rootDir, 'secrets.env'), line: index + 1 })),
    actual: (outcome) => ({
      status: outcome.status,
      cells: outcome.facts.clientMatrix.map((c) => `${c.host}:${c.aspect}:${c.status}`),
      model: outcome.facts.model,
      runs: outcome.facts.runs,
    }),
    normalize: (json, { dir }) =>
      json.replaceAll(dir, '<project>').replaceAll(`127.0.0.1:${gateway?.port}`, '127.0.0.1:{{MCP_PORT}}').replaceAll(modelOrigin ?? '{{MODEL_ORIGIN}}', '{{MODEL_ORIGIN}}'),
    check: ({ outcome, spec }) => {
      for (const value of Object.values(spec.secrets)) expect(JSON.stringify(outcome)).not.toContain(value);
      for (const entry of outcome.transcript) {
        expect(entry.command).toEqual(expect.arrayContaining(['--output-format', 'stream-json', '--strict-mcp-config', '--allowedTools']));
        expect(entry.env).toMatchObject({ CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ENABLE_TOOL_SEARCH: 'false' });
      }
      for (const cell of outcome.facts.clientMatrix) expect(cell.client).toBe('claude');
    },
  });
});

describe('claude -p events', () => {
  it('reads the server status, the tools offered, the call and its result', () => {
    const stdout = [
      { type: 'system', subtype: 'init', mcp_servers: [{ name: 'gw', status: 'connected' }], tools: ['Bash', 'mcp__gw__b', 'mcp__gw__a', 'mcp__other__c'] },
      { type: 'assistant', message: { content: [{ type: 'tool_use', id: 't1', name: 'mcp__gw__a', input: { x: 1 } }] } },
      { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok' }] }] } },
      { type: 'assistant', message: { content: [{ type: 'text', text: 'done' }] } },
      { type: 'result', is_error: false, result: 'done' },
    ].map((e) => JSON.stringify(e)).join('\n');
    expect(readEvents(parseEvents(`${stdout}\nnot json\n`), 'gw', 'mcp__gw__a')).toEqual({
      serverStatus: 'connected',
      toolsOffered: ['a', 'b'],
      call: { name: 'mcp__gw__a', input: { x: 1 } },
      result: { text: 'ok', isError: false },
      messages: ['done'],
    });
  });

  it('takes a failed server\'s reason from the debug log', () => {
    const log = '2026-01-01T00:00:00Z [DEBUG] MCP server "gw": Starting connection\n' +
      '2026-01-01T00:00:00Z [DEBUG] MCP server "gw": HTTP Connection failed after 21ms: Error POSTing to endpoint: {"error":"MCP request failed"} (code: X)\n';
    expect(debugReason(log, 'gw')).toBe('HTTP Connection failed after 21ms: Error POSTing to endpoint: {"error":"MCP request failed"} (code: X)');
    expect(debugReason(log, 'other')).toBeUndefined();
  });
});
