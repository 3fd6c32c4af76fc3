/**
 * `vscode.list` on its fallback path (no code-server: the MCP SDK with VS Code's URL and headers),
 * one folder per behaviour under tests/fixtures/vscode-list/<case>/ (the folder is the workspace,
 * copied to a scratch folder):
 *   .vscode/mcp.json  the team's file; `{{MCP_PORT}}` stands for the port of the MCP server below
 *   case.json         {options: probes."vscode.list", secrets: {NAME: value}, hostile?: true}
 *   expected.json     {status, path, findings, cells: ["host:aspect:status"], servers, variables}
 * The gateway here is tests/helpers/mcp-stand-in.ts — a stand-in for faults only (a refused key
 * answered as LiteLLM 1.77.1 does, hostile tool names); real code-server listing through the real
 * gateway is in tests/e2e/probes/vscode-list/.
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { parseConfig } from '../../../../src/probes/config.ts';
import type { VscodeListFacts } from '../../../../src/probes/vscode-list/facts.ts';
import { readMcpJson, resolveServer, substitution } from '../../../../src/probes/vscode-list/mcp-json.ts';
import { startMcpStandIn, type McpStandIn } from '../../../helpers/mcp-stand-in.ts';
import { probeDefinition, runProbeCases, secretsOfSpec } from '../../../helpers/probe-cases.ts';

const FIXTURES = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vscode-list');
const GOOD_KEY = 'sk-fixture-good-key-0123456789';
/** Tool names a hostile or broken gateway could list: they stay data (never a path, markup or a line break in the cell). */
export const HOSTILE_TOOLS = [
  { name: '../../etc/passwd', text: 'x' },
  { name: '<img src=x onerror=alert(1)>', text: 'x' },
  { name: 'line\nbreak](javascript:alert(1))', text: 'x' },
  { name: `long-${'x'.repeat(400)}`, text: 'x' },
];

interface CaseSpec {
  options: Record<string, unknown>;
  secrets: Record<string, string>;
  hostile?: boolean;
}

const configFor = (dir: string, port: number, id: string, options: Record<string, unknown>) =>
  parseConfig(
    stringify({
      gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres', 'mcp_filesystem'] } },
      hosts: [{ name: 'lan', url: `http://127.0.0.1:${port}` }],
      probes: { [id]: { file: '.vscode/mcp.json', ...options } },
    }),
    path.join(dir, 'proofbook.config.yaml'),
  );

describe('vscode.list fixtures (fallback path)', () => {
  let gateway: McpStandIn;
  let hostile: McpStandIn;
  const scratch: string[] = [];
  beforeAll(async () => {
    gateway = await startMcpStandIn(GOOD_KEY);
    hostile = await startMcpStandIn(GOOD_KEY, HOSTILE_TOOLS);
  });
  afterAll(async () => {
    await Promise.all([gateway.close(), hostile.close()]);
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });
  const portOf = (spec: CaseSpec) => (spec.hostile ? hostile : gateway).port;

  runProbeCases<CaseSpec, VscodeListFacts>(probeDefinition('vscode.list'), FIXTURES, {
    workspace: async ({ source, spec }) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-vscode-list-'));
      scratch.push(dir);
      await cp(source, dir, { recursive: true });
      const file = path.join(dir, '.vscode', 'mcp.json');
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined) await writeFile(file, text.replaceAll('{{MCP_PORT}}', String(portOf(spec))));
      return dir;
    },
    config: ({ dir, spec }) => configFor(dir, portOf(spec), 'vscode.list', spec.options),
    http: (config) => createHttpClient(config.hosts),
    secrets: secretsOfSpec,
    actual: (outcome) => ({
      status: outcome.status,
      path: outcome.facts.path,
      findings: outcome.facts.findings,
      cells: outcome.facts.clientMatrix.map((c) => `${c.host}:${c.aspect}:${c.status}`),
      servers: outcome.facts.servers,
      variables: outcome.facts.variables,
    }),
    normalize: (json, { dir, spec }) => json.replaceAll(dir, '<workspace>').replaceAll(`127.0.0.1:${portOf(spec)}`, '127.0.0.1:{{MCP_PORT}}'),
    check: ({ outcome, spec }) => {
      // No secret's value anywhere in what the probe returns; every cell is VS Code's listing.
      for (const value of Object.values(spec.secrets)) expect(JSON.stringify(outcome)).not.toContain(value);
      for (const cell of outcome.facts.clientMatrix) {
        expect(cell).toMatchObject({ client: 'vscode', aspect: 'listing' });
        expect(cell.note).not.toContain('\n');
      }
      expect(outcome.facts.path).toBe('fallback');
    },
  });
});

describe('.vscode/mcp.json as VS Code reads it', () => {
  const read = async (text: string, inputs: Record<string, string>, secrets: Record<string, string> = {}) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-vscode-mcp-json-'));
    try {
      const file = path.join(dir, '.vscode', 'mcp.json');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      const config = await configFor(dir, 1, 'vscode.list', {});
      const parsed = await readMcpJson(config, file);
      const entries = Object.entries(secrets).map(([key, value]) => ({ key, value, file: path.join(dir, 'secrets.env'), line: 1 }));
      const filled = substitution(parsed, file, inputs, { secrets: entries }, (f) => path.relative(dir, f));
      return { parsed, filled, servers: parsed.servers.map((s) => resolveServer(s, filled.fill)), dir };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('fills ${input:…} from the mapped variable and ${env:…} from the environment; the values are the secrets to redact', async () => {
    process.env.PROOFBOOK_TEST_TEAM = 'platform';
    try {
      const { servers, filled } = await read(
        '{"inputs":[{"type":"promptString","id":"k","password":true}],"servers":{"a":{"type":"http","url":"http://h/mcp/","headers":{"Authorization":"Bearer ${input:k}","x-team":"${env:PROOFBOOK_TEST_TEAM}"}}}}',
        { k: 'KEY_VAR' },
        { KEY_VAR: 'sk-secret-value-123' },
      );
      expect(servers[0]!.resolvedHeaders).toEqual({ Authorization: 'Bearer sk-secret-value-123', 'x-team': 'platform' });
      expect(filled.secrets).toEqual(['sk-secret-value-123', 'platform']);
      expect(filled.problems).toEqual([]);
      expect(JSON.stringify(filled.sources)).not.toContain('sk-secret-value-123');
    } finally {
      delete process.env.PROOFBOOK_TEST_TEAM;
    }
  });

  it('leaves a variable it cannot fill as written, as VS Code does, and says so', async () => {
    const { servers, filled } = await read('{"servers":{"a":{"url":"http://h/${command:pick}/mcp/","headers":{"x":"${unknownThing}"}}}}', {});
    expect(servers[0]!.resolvedUrl).toBe('http://h/${command:pick}/mcp/');
    expect(servers[0]!.resolvedHeaders.x).toBe('${unknownThing}');
    expect(filled.problems.map((p) => p.code)).toEqual(['variable.unresolved', 'variable.unresolved']);
  });

  it('takes comments and trailing commas, and reads a server without "type" but with a url as http', async () => {
    const { parsed } = await read('// c\n{"servers":{"a":{"url":"http://h/mcp/",/* x */},},}', {});
    expect(parsed.problem).toBeUndefined();
    expect(parsed.servers).toEqual([{ name: 'a', url: 'http://h/mcp/', headers: {}, line: 2 }]);
  });

  it('never runs or follows what the file names: a stdio server is read as data, a hostile key as a name', async () => {
    const { parsed } = await read('{"servers":{"__proto__":{"url":"http://h/"},"s":{"type":"stdio","command":"rm","args":["-rf","/"]}}}', {});
    expect(parsed.servers.map((s) => [s.name, s.type])).toEqual([['__proto__', undefined], ['s', 'stdio']]);
  });
});
