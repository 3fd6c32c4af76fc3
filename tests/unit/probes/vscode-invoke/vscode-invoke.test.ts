/**
 * `vscode.invoke` on its fallback path (no code-server: the MCP SDK with VS Code's URL and
 * headers), one folder per fault under tests/fixtures/vscode-invoke/<case>/ (copied to a scratch
 * folder; `{{MCP_PORT}}` in .vscode/mcp.json is the port of the gateway below):
 *   case.json      {options: probes."vscode.invoke", secrets: {NAME: value}}
 *   expected.json  {status, path, findings, cells, runs}
 * The gateway is tests/helpers/mcp-stand-in.ts — a stand-in for faults only: a refused key as
 * LiteLLM 1.77.1 answers it, an upstream error reported with `isError: false` (LiteLLM 1.77.1
 * drops the flag), a result flagged `isError`. A real call through the real gateway with real
 * code-server is in tests/e2e/probes/vscode-list/.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { stringify } from 'yaml';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { parseConfig } from '../../../../src/probes/config.ts';
import type { VscodeInvokeFacts } from '../../../../src/probes/vscode-invoke/facts.ts';
import { startMcpStandIn, type McpStandIn } from '../../../helpers/mcp-stand-in.ts';
import { probeDefinition, runProbeCases, secretsOfSpec } from '../../../helpers/probe-cases.ts';

const FIXTURES = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vscode-invoke');
const GOOD_KEY = 'sk-fixture-good-key-0123456789';

interface CaseSpec {
  options: Record<string, unknown>;
  secrets: Record<string, string>;
}

describe('vscode.invoke fixtures (fallback path)', () => {
  let gateway: McpStandIn;
  const scratch: string[] = [];
  beforeAll(async () => {
    gateway = await startMcpStandIn(GOOD_KEY, [
      { name: 'mcp_postgres-upstream-error', text: 'Error: relation "x" does not exist' },
      { name: 'mcp_postgres-flagged', text: 'refused', isError: true },
    ]);
  });
  afterAll(async () => {
    await gateway.close();
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  runProbeCases<CaseSpec, VscodeInvokeFacts>(probeDefinition('vscode.invoke'), FIXTURES, {
    workspace: async ({ source }) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-vscode-invoke-'));
      scratch.push(dir);
      await cp(source, dir, { recursive: true });
      const file = path.join(dir, '.vscode', 'mcp.json');
      await writeFile(file, (await readFile(file, 'utf8')).replaceAll('{{MCP_PORT}}', String(gateway.port)));
      return dir;
    },
    config: ({ dir, spec }) =>
      parseConfig(
        stringify({
          gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres'] } },
          hosts: [{ name: 'lan', url: `http://127.0.0.1:${gateway.port}` }],
          probes: { 'vscode.invoke': { file: '.vscode/mcp.json', ...spec.options } },
        }),
        path.join(dir, 'proofbook.config.yaml'),
      ),
    http: (config) => createHttpClient(config.hosts),
    secrets: secretsOfSpec,
    actual: (outcome) => ({
      status: outcome.status,
      path: outcome.facts.path,
      findings: outcome.facts.findings,
      cells: outcome.facts.clientMatrix.map((c) => `${c.host}:${c.aspect}:${c.status}`),
      runs: outcome.facts.runs,
    }),
    normalize: (json, { dir }) => json.replaceAll(dir, '<workspace>').replaceAll(`127.0.0.1:${gateway?.port}`, '127.0.0.1:{{MCP_PORT}}'),
    check: ({ outcome, spec }) => {
      for (const value of Object.values(spec.secrets)) expect(JSON.stringify(outcome)).not.toContain(value);
      for (const cell of outcome.facts.clientMatrix) expect(cell).toMatchObject({ client: 'vscode', aspect: 'invocation', status: 'fail' });
    },
  });
});
