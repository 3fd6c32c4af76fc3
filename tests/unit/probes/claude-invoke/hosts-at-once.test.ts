/**
 * claude.invoke runs claude -p through every host at once (it was the refresh's slowest probe
 * because it ran them one after another): two hosts, each a gateway stand-in
 * (tests/helpers/mcp-stand-in.ts) that holds its tool call until the other host's call has arrived
 * too (or 60 s passed, after which it answers anyway). The model is the lab's scripted model (the
 * test double for the LLM); Claude Code is real. Run one after another, the calls never overlap.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startScriptedModel } from '../../../../src/lab/scripted-model.ts';
import { parseConfig } from '../../../../src/probes/config.ts';
import { claudeInvokeProbe } from '../../../../src/probes/claude-invoke/probe.ts';
import { startMcpStandIn, type McpStandIn } from '../../../helpers/mcp-stand-in.ts';
import { runProbe } from '../../../helpers/probe-context.ts';

const KEY = 'sk-fixture-good-key-0123456789';
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

it('calls the tool through both hosts at once, and reports them in the config\'s host order', async () => {
  let inFlight = 0;
  let overlapped = false;
  let bothArrived!: () => void;
  const both = new Promise<void>((resolve) => (bothArrived = resolve));
  const holdUntilBoth = async () => {
    inFlight++;
    if (inFlight === 2) {
      overlapped = true;
      bothArrived();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([both, new Promise((resolve) => (timer = setTimeout(resolve, 60_000)))]);
    clearTimeout(timer);
    inFlight--;
  };
  // Two host names (the probe tells hosts apart by name): 127.0.0.1 and 127.0.0.2, both loopback.
  const addresses = ['127.0.0.1', '127.0.0.2'];
  const gateways: McpStandIn[] = [await startMcpStandIn(KEY, [], holdUntilBoth, addresses[0]), await startMcpStandIn(KEY, [], holdUntilBoth, addresses[1])];
  for (const gateway of gateways) cleanups.push(() => gateway.close());
  const model: Server = (await startScriptedModel({ port: 0 })).server;
  cleanups.push(() => new Promise((resolve) => model.close(resolve)));

  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-claude-hosts-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const fixture = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'claude-invoke', 'called');
  await cp(path.join(fixture, 'settings.json'), path.join(dir, 'settings.json'));
  const settings = await readFile(path.join(dir, 'settings.json'), 'utf8');
  await writeFile(path.join(dir, 'settings.json'), settings.replaceAll('{{MODEL_ORIGIN}}', `http://127.0.0.1:${(model.address() as AddressInfo).port}`));
  const server = (gateway: McpStandIn) => ({
    type: 'http',
    url: `http://${addresses[gateways.indexOf(gateway)]}:${gateway.port}/mcp/`,
    headers: { Authorization: `Bearer \${LITELLM_API_KEY}`, 'x-mcp-servers': 'mcp_postgres' },
  });
  await writeFile(path.join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { 'litellm-lan': server(gateways[0]!), 'litellm-second': server(gateways[1]!) } }));
  const config = parseConfig(
    stringify({
      gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres'] } },
      hosts: gateways.map((gateway, i) => ({ name: i ? 'second' : 'lan', url: `http://${addresses[i]}:${gateway.port}` })),
      probes: { 'claude.invoke': { settings: 'settings.json', call: { server: 'mcp_postgres', tool: 'query', arguments: { sql: 'select 1' }, expect: '"?column?": 1' } } },
    }),
    path.join(dir, 'proofbook.config.yaml'),
  );

  const saved = { ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN: process.env.ANTHROPIC_AUTH_TOKEN, ANTHROPIC_BASE_URL: process.env.ANTHROPIC_BASE_URL };
  for (const name of Object.keys(saved)) delete process.env[name];
  cleanups.push(async () => {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  });
  const outcome = await runProbe(claudeInvokeProbe, { config, secrets: [{ key: 'LITELLM_API_KEY', value: KEY, file: path.join(dir, 'secrets.env'), line: 1 }] });

  expect(outcome.status).toBe('pass');
  expect(overlapped).toBe(true);
  expect(outcome.facts.runs.map((run) => `${run.host} ${run.server} ${run.toolCall?.isError}`)).toEqual(['lan litellm-lan false', 'second litellm-second false']);
  expect(outcome.facts.clientMatrix.map((cell) => `${cell.host}:${cell.aspect}:${cell.status}`)).toEqual(['lan:listing:pass', 'lan:invocation:pass', 'second:listing:pass', 'second:invocation:pass']);
  expect(outcome.transcript.map((entry) => entry.host)).toEqual(['lan', 'second']);
}, 180_000);
