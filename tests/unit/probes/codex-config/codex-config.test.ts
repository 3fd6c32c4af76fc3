/**
 * Fixture tests for the `codex.config` probe, one folder per behaviour under
 * tests/fixtures/codex-config/<case>/:
 *   config.toml    Codex's config under test (the folder is the CODEX_HOME)
 *   *.env          the secrets files (default: the shared ../shared.env)
 *   case.json      optional: {options} for probes."codex.config"
 *   expected.json  {status, findings: [{severity, code, file, line, column?, message}]}
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 *
 * `codex --version` is the real binary from @openai/codex, except in `old-codex`, where a two-line
 * script stands in for a Codex release older than 0.47 (only its `--version` is asked).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { ProbeOptionsSchema } from '../../../../src/probes/options.ts';
import { codexConfigProbe, type CodexConfigFacts } from '../../../../src/probes/codex-config/probe.ts';
import { CodexConfigOptionsSchema } from '../../../../src/probes/codex-config/options.ts';
import { readSecretsFiles } from '../../../../src/secrets/env-files.ts';
import { probeDefinition, runProbeCase, runProbeCases, type ProbeCaseSetup } from '../../../helpers/probe-cases.ts';
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
const root = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'codex-config');

/** A workspace at `dir` whose Codex home is `codexHome` (relative to it). */
function workspaceConfig(dir: string, codexHome: string, secretsFiles: string[], options: Record<string, unknown> = {}): Config {
  const yaml = stringify({
    gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml' },
    secretsFiles,
    hosts: [
      { name: 'lan', url: 'http://litellm.linuxserver.lan:18080', resolveTo: '127.0.0.1' },
      { name: 'external', url: 'https://litellm.ai-servicers.com' },
    ],
    probes: {
      'mcp.catalog': { servers: ['mcp_postgres', 'mcp_filesystem'] },
      'codex.config': { codexHome, ...options },
    },
  });
  return parseConfig(yaml, path.join(dir, 'proofbook.config.yaml'));
}

async function contextFor(config: Config): Promise<ProbeContextParts> {
  const { entries } = await readSecretsFiles(config.secretsFiles);
  return { config, secrets: entries };
}

interface CaseSpec {
  options?: Record<string, unknown>;
}

/** The workspace is the fixtures folder, so files show as `<case>/config.toml` and `shared.env`. */
const caseSetup: ProbeCaseSetup<CaseSpec, CodexConfigFacts> = {
  config: ({ name, dir, spec }) => {
    const own = readdirSync(dir).filter((f) => f.endsWith('.env')).sort().map((f) => `${name}/${f}`);
    const options = { ...spec.options, ...(typeof spec.options?.codexBin === 'string' ? { codexBin: `./${name}/${spec.options.codexBin.replace(/^\.\//, '')}` } : {}) };
    return workspaceConfig(root, name, own.length ? own : ['shared.env'], options);
  },
  check: ({ name, outcome }) => {
    // Every finding says where: config.toml and a line.
    for (const finding of outcome.facts.findings) {
      expect(finding.file).toBe(`${name}/config.toml`);
      expect(finding.line).toBeGreaterThan(0);
    }
    // The summary names the first problem with its location.
    const first = outcome.facts.findings.find((f) => f.severity === 'fail') ?? outcome.facts.findings.find((f) => f.severity === 'warn');
    if (first) expect(outcome.summary).toContain(`${name}/config.toml:${first.line}`);
    // The matrix: one config cell for the lan host with the probe's status; the external host is not covered.
    expect(outcome.facts.clientMatrix.map((c) => [c.client, c.host, c.aspect, c.status])).toEqual([
      ['codex', 'lan', 'config', outcome.status],
      ['codex', 'external', 'config', 'skip'],
    ]);
  },
};

async function runCase(name: string) {
  return (await runProbeCase(probeDefinition('codex.config'), root, name, caseSetup)).outcome;
}

beforeAll(() => {
  // The fixtures decide where the key comes from; a developer's exported key must not.
  delete process.env.LITELLM_MASTER_KEY;
  delete process.env.PROOFBOOK_FIXTURE_UNSET_KEY;
});

describe('codex.config fixtures', () => {
  runProbeCases(probeDefinition('codex.config'), root, caseSetup);

  it('point every finding at the line that causes it', async () => {
    const lineOf = (name: string, text: string) =>
      readFileSync(path.join(root, name, 'config.toml'), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
    const at = async (name: string) => (await runCase(name)).facts.findings.filter((f) => f.severity !== 'info').map((f) => [f.code, f.line]);
    expect(await at('inline-token')).toContainEqual(['token.inline', lineOf('inline-token', 'Authorization =')]);
    expect(await at('inline-bearer-token')).toContainEqual(['token.inline', lineOf('inline-bearer-token', 'bearer_token =')]);
    expect(await at('wrong-url')).toContainEqual(['server.url-mismatch', lineOf('wrong-url', 'url =')]);
    expect(await at('unknown-key')).toEqual([
      ['servers-header.missing', lineOf('unknown-key', '[mcp_servers.litellm]')],
      ['server.unknown-key', lineOf('unknown-key', 'type =')],
      ['server.unknown-key', lineOf('unknown-key', 'headers =')],
      ['server.unknown-key', lineOf('unknown-key', 'tool_timout_sec')],
    ]);
    expect(await at('syntax-error')).toEqual([['toml.syntax', lineOf('syntax-error', 'url =')]]);
    expect(await at('env-unset')).toContainEqual(['token.env-unset', lineOf('env-unset', 'bearer_token_env_var')]);
  });
});

describe('codex.config', () => {
  it('never puts an inline key into the outcome (only its fingerprint)', async () => {
    for (const [name, secret] of [
      ['inline-token', 'sk-inline-pasted-key-9f8e7d6c5b4a'],
      ['inline-bearer-token', 'sk-inline-bearer-token-1a2b3c4d5e6f'],
    ] as const) {
      const outcome = await runCase(name);
      expect(outcome.status).toBe('fail');
      const text = JSON.stringify(outcome);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(3));
      expect(outcome.summary).toMatch(/fingerprint [0-9a-f]{8}/);
      expect(outcome.summary).toContain('bearer_token_env_var = "LITELLM_MASTER_KEY"');
    }
    // Nor the key from the secrets file, nor an env header's values.
    for (const name of ['good', 'env-headers']) expect(JSON.stringify(await runCase(name))).not.toContain('sk-fixture-master-key-0123456789');
  });

  it('passes on the lab template, and the facts say where the key comes from', async () => {
    const config = workspaceConfig(REPO, 'lab/clients/codex', ['tests/fixtures/codex-config/shared.env']);
    const outcome = await runProbe(codexConfigProbe, await contextFor(config));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.facts.entry).toMatchObject({
      url: 'http://litellm.linuxserver.lan:18080/mcp/',
      transport: 'streamable_http',
      httpHeaders: ['x-mcp-servers'],
      xMcpServers: { via: 'http_headers', servers: ['mcp_postgres', 'mcp_filesystem'] },
      token: { via: 'bearer_token_env_var', envVar: 'LITELLM_MASTER_KEY', set: true, source: 'tests/fixtures/codex-config/shared.env:2' },
      unknownKeys: [],
    });
    expect(outcome.facts.model).toEqual({ model: 'lab-scripted-model', provider: 'lab', wireApi: 'responses' });
    expect(outcome.facts.codexVersion).toMatch(/^\d+\.\d+\.\d+$/);
    // Codex reads only its environment: a key that is only in a secrets file is an info finding, not a failure.
    expect(outcome.facts.findings.map((f) => [f.severity, f.code])).toEqual([['info', 'token.from-secrets-file']]);
  });

  it('declares config.toml as an optional toml input', () => {
    const config = workspaceConfig('/ws', '.', []);
    expect(probeInputs(codexConfigProbe, config)).toEqual([{ file: '/ws/config.toml', format: 'toml', optional: true }]);
  });

  it('has described options, defaults that load, and rejects unknown ones', () => {
    for (const [name, field] of Object.entries(CodexConfigOptionsSchema.shape)) expect(field.description, name).toBeTruthy();
    expect(CodexConfigOptionsSchema.parse({})).toMatchObject({ server: 'litellm', host: 'lan', path: '/mcp/', checkVersion: true });
    expect(() => CodexConfigOptionsSchema.parse({ codex_home: '.' })).toThrow(/codex_home/);
    // A config without any codex block still loads, with the defaults.
    const probes = ProbeOptionsSchema.parse({}) as Record<string, unknown>;
    expect(Object.keys(probes)).toEqual(expect.arrayContaining(['codex.config', 'codex.list', 'codex.invoke']));
  });
});
