/**
 * Fixture tests for the `vscode.config` and `claude.config` probes, one folder per behaviour
 * under tests/fixtures/client-configs/<case>/ (the folder is the workspace root):
 *   .vscode/mcp.json, .mcp.json, …   the client configs under test
 *   runbook.md                       the runbook that should have a Windows credential section
 *   case.json      {probe: "vscode.config" | "claude.config", options}
 *   expected.json  {status, findings: [{severity, code, file, line, column?, message}], cells: ["host:aspect:status"]}
 * Hosts: lan = http://litellm.linuxserver.lan, external = https://litellm.ai-servicers.com.
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 * Planted secrets contain "PLANTED"; no outcome may contain one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { claudeConfigProbe, markdownHeadings, vscodeConfigProbe, type ClientConfigFacts } from '../../../../src/probes/client-configs/probe.ts';
import { expandFiles, globToRegExp } from '../../../../src/probes/kit/client-shared.ts';
import { probeDefinition, runProbeCases } from '../../../helpers/probe-cases.ts';
import { probeInputs, runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

// Fingerprints are keyed with the workspace's salt: a fixed one keeps the fixtures' expected
// fingerprints stable, and writes no salt file into the fixture folders.
beforeAll(() => {
  process.env.PROOFBOOK_FINGERPRINT_SALT = 'proofbook-fixture-salt-0123456789';
});
afterAll(() => {
  delete process.env.PROOFBOOK_FINGERPRINT_SALT;
});

const REPO = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const root = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'client-configs');
const PLANTED = /sk-PLANTED[A-Za-z0-9]*/;

function workspaceConfig(dir: string, id: string, options: Record<string, unknown>): Config {
  const yaml = stringify({
    gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml' },
    hosts: [
      { name: 'lan', url: 'http://litellm.linuxserver.lan' },
      { name: 'external', url: 'https://litellm.ai-servicers.com' },
    ],
    probes: { 'mcp.catalog': { servers: ['mcp_postgres', 'mcp_filesystem'] }, [id]: options },
  });
  return parseConfig(yaml, path.join(dir, 'proofbook.config.yaml'));
}

function contextFor(config: Config, signal = new AbortController().signal): ProbeContextParts {
  return { config, signal };
}

interface CaseSpec {
  probe: 'vscode.config' | 'claude.config';
  options: Record<string, unknown>;
}

describe('vscode.config / claude.config fixtures', () => {
  runProbeCases<CaseSpec, ClientConfigFacts>(({ spec }) => probeDefinition(spec.probe), root, {
    config: ({ dir, spec }) => workspaceConfig(dir, spec.probe, spec.options),
    secrets: () => [],
    actual: (outcome) => ({
      status: outcome.status,
      findings: outcome.facts.findings,
      cells: outcome.facts.clientMatrix.map((c) => `${c.host}:${c.aspect}:${c.status}`),
    }),
    check: ({ outcome }) => {
      // No planted secret anywhere in what the probe returns.
      expect(JSON.stringify(outcome)).not.toMatch(PLANTED);
      // Every failing finding about a file names the line (the summary naming the first one is checked by runProbeCases).
      for (const finding of outcome.facts.findings.filter((f) => f.file && f.severity !== 'info')) expect(finding.line, finding.message).toBeGreaterThan(0);
      // Matrix cells: client, config aspect, one per host — unless the probe skipped.
      if (outcome.status !== 'skip') {
        expect(outcome.facts.clientMatrix.map((c) => [c.client, c.host, c.aspect])).toEqual([
          [outcome.facts.client, 'lan', 'config'],
          [outcome.facts.client, 'external', 'config'],
        ]);
      }
    },
  });
});

describe('vscode.config / claude.config', () => {
  it('pass on the lab\'s committed client examples and the repo\'s runbook', async () => {
    const configPath = path.join(REPO, 'proofbook.config.yaml');
    const config = parseConfig(readFileSync(configPath, 'utf8'), configPath);
    for (const probe of [vscodeConfigProbe, claudeConfigProbe]) {
      const outcome = await runProbe(probe, contextFor(config));
      expect(outcome.facts.findings, probe.id).toEqual([]);
      expect(outcome.status).toBe('pass');
      expect(outcome.facts.clientMatrix.map((c) => `${c.client}:${c.host}:${c.status}`)).toEqual([
        `${probe.id.split('.')[0]}:lan:pass`,
        `${probe.id.split('.')[0]}:external:pass`,
      ]);
      expect(outcome.facts.runbook).toMatchObject({ file: 'content/claude/CLAUDE.md', found: true, heading: 'Windows credential storage' });
      expect(outcome.facts.files[0]!.servers.map((s) => [s.host, s.url, s.keyReference])).toEqual([
        ['lan', 'http://litellm.linuxserver.lan:18080/mcp/', probe === vscodeConfigProbe ? '${input:litellm-key}' : '${LITELLM_API_KEY}'],
        ['external', 'https://litellm.ai-servicers.com:18443/mcp/', probe === vscodeConfigProbe ? '${input:litellm-key}' : '${LITELLM_API_KEY}'],
      ]);
    }
  });

  it('ignores ports by default: the lab\'s test workspaces move the hosts to free ports', async () => {
    const configPath = path.join(REPO, 'proofbook.config.yaml');
    const text = readFileSync(configPath, 'utf8').replace(':18080', ':23456').replace(':18443', ':23457');
    const outcome = await runProbe(claudeConfigProbe, contextFor(parseConfig(text, configPath)));
    expect(outcome.status).toBe('pass');
  });

  it('declares its inputs for the preflight: the expanded files as jsonc (VS Code) / json (Claude), the runbook as markdown', () => {
    const dir = path.join(root, 'vscode-glob-two-files');
    const config = workspaceConfig(dir, 'vscode.config', { files: ['**/mcp*.json'], runbook: 'runbook.md' });
    expect(probeInputs(vscodeConfigProbe, config)).toEqual([
      { file: path.join(dir, '.vscode', 'mcp.json'), format: 'jsonc' },
      { file: path.join(dir, 'config', 'mcp_servers.litellm.example.json'), format: 'jsonc' },
      { file: path.join(dir, 'runbook.md'), format: 'markdown' },
    ]);
    expect(probeInputs(claudeConfigProbe, workspaceConfig(dir, 'claude.config', {}))).toEqual([]);
    expect(probeInputs(claudeConfigProbe, workspaceConfig(path.join(root, 'claude-pass'), 'claude.config', { files: ['.mcp.json'] }))).toEqual([
      { file: path.join(root, 'claude-pass', '.mcp.json'), format: 'json' },
    ]);
  });

  it('stops when its signal is aborted', async () => {
    const dir = path.join(root, 'vscode-pass');
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    await expect(runProbe(vscodeConfigProbe, contextFor(workspaceConfig(dir, 'vscode.config', { files: ['.vscode/mcp.json'] }), controller.signal))).rejects.toThrow();
  });
});

describe('client-shared helpers', () => {
  it('expands *, ** and ? patterns, dot folders included', () => {
    expect(globToRegExp('**/mcp*.json').test('.vscode/mcp.json')).toBe(true);
    expect(globToRegExp('**/mcp*.json').test('mcp.json')).toBe(true);
    expect(globToRegExp('a/*.json').test('a/b/c.json')).toBe(false);
    const dir = path.join(root, 'vscode-glob-two-files');
    const [entry] = expandFiles(dir, ['**/mcp*.json']);
    expect(entry!.files.map((f) => path.relative(dir, f))).toEqual(['.vscode/mcp.json', 'config/mcp_servers.litellm.example.json']);
  });

  it('never walks into a link to a folder: `loop -> .` lists each file once (a link to a file still counts)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'proofbook-glob-loop-'));
    try {
      mkdirSync(path.join(dir, '.vscode'));
      writeFileSync(path.join(dir, '.vscode', 'mcp.json'), '{}');
      writeFileSync(path.join(dir, 'real.json'), '{}');
      symlinkSync('.', path.join(dir, 'loop'));
      symlinkSync('..', path.join(dir, '.vscode', 'up'));
      symlinkSync('real.json', path.join(dir, 'mcp-link.json'));
      const [entry] = expandFiles(dir, ['**/mcp*.json']);
      expect(entry!.files.map((f) => path.relative(dir, f))).toEqual(['.vscode/mcp.json', 'mcp-link.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds ATX headings outside code fences', () => {
    const headings = markdownHeadings('# T\n\n```\n## not\n```\n## Windows credential storage\n### Credential Manager\ntext\n## Empty\n');
    expect(headings.map((h) => [h.depth, h.text, h.line, h.hasBody])).toEqual([
      [1, 'T', 1, true],
      [2, 'Windows credential storage', 6, true],
      [3, 'Credential Manager', 7, true],
      [2, 'Empty', 9, false],
    ]);
  });
});
