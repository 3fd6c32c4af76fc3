/**
 * `claude.list` with the real Claude Code CLI (`claude mcp list`, offline), one folder per
 * behaviour under tests/fixtures/claude-list/<case>/ (the folder is the project, copied to a
 * scratch folder):
 *   .mcp.json      the team's file; `{{MCP_PORT}}` stands for the port of the MCP server below
 *   case.json      {options: probes."claude.list", secrets: {NAME: value}}
 *   expected.json  {status, findings, cells: ["host:aspect:status"], servers, variables}
 * The gateway here is tests/helpers/mcp-stand-in.ts, which answers a key other than the fixtures'
 * good one as LiteLLM 1.77.1 does: a stand-in so these tests need no lab. The real gateway is in
 * tests/e2e/probes/claude-list/.
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../../../src/probes/config.ts';
import type { ClaudeListFacts } from '../../../../src/probes/claude-list/facts.ts';
import { failureHint, parseListing } from '../../../../src/probes/claude-list/listing.ts';
import { judgeListing } from '../../../../src/probes/claude-list/verdict.ts';
import { Findings } from '../../../../src/probes/kit/findings.ts';
import { startMcpStandIn, type McpStandIn } from '../../../helpers/mcp-stand-in.ts';
import { probeDefinition, runProbeCases } from '../../../helpers/probe-cases.ts';

const FIXTURES = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'claude-list');
const GOOD_KEY = 'sk-fixture-good-key-0123456789';

interface CaseSpec {
  options: Record<string, unknown>;
  secrets: Record<string, string>;
}

describe('claude.list fixtures (real claude mcp list)', () => {
  let gateway: McpStandIn;
  const scratch: string[] = [];
  beforeAll(async () => {
    gateway = await startMcpStandIn(GOOD_KEY);
  });
  afterAll(async () => {
    await gateway.close();
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  runProbeCases<CaseSpec, ClaudeListFacts>(probeDefinition('claude.list'), FIXTURES, {
    workspace: async ({ source }) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-claude-list-'));
      scratch.push(dir);
      await cp(source, dir, { recursive: true });
      const file = path.join(dir, '.mcp.json');
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined) await writeFile(file, text.replaceAll('{{MCP_PORT}}', String(gateway.port)));
      return dir;
    },
    config: ({ dir, spec }) =>
      parseConfig(
        stringify({
          gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', mcp: { servers: ['mcp_postgres', 'mcp_filesystem'] } },
          hosts: [{ name: 'lan', url: `http://127.0.0.1:${gateway.port}` }],
          probes: { 'claude.list': spec.options },
        }),
        path.join(dir, 'proofbook.config.yaml'),
      ),
    secrets: (config, { spec }) =>
      Object.entries(spec.secrets).map(([key, value], index) => ({ key, value, file: path.join(config.rootDir, 'secrets.env'), line: index + 1 })),
    actual: (outcome) => ({
      status: outcome.status,
      findings: outcome.facts.findings,
      cells: outcome.facts.clientMatrix.map((c) => `${c.host}:${c.aspect}:${c.status}`),
      servers: outcome.facts.servers,
      variables: outcome.facts.variables,
    }),
    normalize: (json, { dir }) => json.replaceAll(dir, '<project>').replaceAll(`127.0.0.1:${gateway?.port}`, '127.0.0.1:{{MCP_PORT}}'),
    check: ({ outcome, spec }) => {
      // No value of a secret anywhere in what the probe returns; the transcript shows where each variable came from.
      for (const value of Object.values(spec.secrets)) expect(JSON.stringify(outcome)).not.toContain(value);
      if (outcome.transcript.length) {
        expect(outcome.transcript[0]).toMatchObject({ kind: 'command', command: ['claude', 'mcp', 'list'], exitCode: 0 });
        expect((outcome.transcript[0]!.env as Record<string, string>).CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC).toBe('1');
      }
      for (const cell of outcome.facts.clientMatrix) expect(cell).toMatchObject({ client: 'claude', aspect: 'listing' });
    },
  });
});

describe('claude mcp list output', () => {
  it('reads each server line and the config diagnostics', () => {
    const listing = parseListing(
      'Checking MCP server health…\n\n' +
        'litellm-lan: http://litellm.linuxserver.lan:18080/mcp/ (HTTP) - ✔ Connected\n' +
        'litellm-external: https://litellm.ai-servicers.com/mcp/ (HTTP) - ✘ Failed to connect — HTTP 500: Error POSTing to endpoint: {"error":"MCP request failed"}\n' +
        'other: http://x/mcp - ⏸ Pending approval (run `claude` to approve)\n\n' +
        'MCP config diagnostics ⚠\n\n[Has warnings] Project config (shared via .mcp.json)\nLocation: /p/.mcp.json\n' +
        ' └ [Warning] [other] mcpServers.other: Missing environment variables: X\n',
    );
    expect(listing.servers.map((s) => [s.name, s.state, s.target])).toEqual([
      ['litellm-lan', 'connected', 'http://litellm.linuxserver.lan:18080/mcp/ (HTTP)'],
      ['litellm-external', 'failed', 'https://litellm.ai-servicers.com/mcp/ (HTTP)'],
      ['other', 'pending-approval', 'http://x/mcp'],
    ]);
    expect(listing.servers[1]!.status).toBe('Failed to connect — HTTP 500: Error POSTing to endpoint: {"error":"MCP request failed"}');
    expect(listing.diagnostics).toEqual(['[Warning] [other] mcpServers.other: Missing environment variables: X']);
  });

  it('warns, not passes, a server Claude Code connected to but could not fetch the tools of (LiteLLM 1.110.2 under load)', () => {
    const config = parseConfig(
      'gateway: { configFile: c.yaml, composeFile: d.yml, mcp: { servers: [mcp_postgres] } }\n' +
        'hosts: [{ name: lan, url: "http://litellm.linuxserver.lan:18080" }, { name: external, url: "https://litellm.ai-servicers.com" }]\nprobes: {}\n',
      '/ws/proofbook.config.yaml',
    );
    const listing = parseListing(
      'litellm-lan: http://litellm.linuxserver.lan:18080/mcp/ (HTTP) - ✔ Connected · tools fetch failed — Request timed out\n' +
        'litellm-external: https://litellm.ai-servicers.com/mcp/ (HTTP) - ✔ Connected\n',
    );
    const findings = new Findings();
    const fileServers = [
      { name: 'litellm-lan', host: 'lan', line: 3 },
      { name: 'litellm-external', host: 'external', line: 9 },
    ];
    const judged = judgeListing({ config, listing, fileServers, variables: ['LITELLM_API_KEY'], unreachable: {}, findings });
    expect(judged.servers.map((s) => s.state)).toEqual(['connected', 'connected']);
    expect(findings.list).toEqual([
      expect.objectContaining({
        severity: 'warn',
        code: 'server.tools',
        message: expect.stringMatching(/^claude mcp list: litellm-lan ✔ Connected · tools fetch failed — Request timed out — Claude Code connected but could not fetch the server's tools \(Request timed out\), so it offers none/),
      }),
    ]);
    expect(findings.status()).toBe('warn');
    expect(judged.cells.map((c) => `${c.host}:${c.aspect}:${c.status}`)).toEqual(['lan:listing:warn', 'external:listing:pass']);
  });

  it('names the usual cause of a failure', () => {
    expect(failureHint('HTTP 500: Error POSTing to endpoint: {"error":"MCP request failed"}', ['LITELLM_API_KEY'])).toContain('the gateway refused the key: check that ${LITELLM_API_KEY}');
    expect(failureHint('ENOTFOUND: getaddrinfo ENOTFOUND litellm.linuxserver.lan', [])).toContain('does not resolve');
    expect(failureHint('something new', [])).toBe('');
  });
});
