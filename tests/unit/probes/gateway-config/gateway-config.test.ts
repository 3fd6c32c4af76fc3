/**
 * Fixture tests for the `gateway.config` probe, one folder per behaviour (unified-collective style)
 * under tests/fixtures/gateway-config/<case>/:
 *   config.yaml    LiteLLM's config under test
 *   *.env          the secrets files (default: the shared ../shared.env)
 *   case.json      optional: {options, catalogServers, keyEnvVar, configFile, secretsFiles}
 *   expected.json  {status, findings: [{severity, code, file, line, column?, message}], summary?}
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { gatewayConfigProbe, type GatewayConfigFacts } from '../../../../src/probes/gateway-config/probe.ts';
import { GatewayConfigOptionsSchema } from '../../../../src/probes/gateway-config/options.ts';
import { readSecretsFiles } from '../../../../src/secrets/env-files.ts';
import { probeDefinition, runProbeCases } from '../../../helpers/probe-cases.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

// Fingerprints are keyed with the workspace's salt: a fixed one keeps the fixtures' expected
// fingerprints stable, and writes no salt file into the fixture folders.
beforeAll(() => {
  process.env.PROOFBOOK_FINGERPRINT_SALT = 'proofbook-fixture-salt-0123456789';
});
afterAll(() => {
  delete process.env.PROOFBOOK_FINGERPRINT_SALT;
});

const REPO = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const root = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'gateway-config');

interface CaseSpec {
  options?: Record<string, unknown>;
  catalogServers?: string[];
  keyEnvVar?: string;
  configFile?: string;
  secretsFiles?: string[];
}

/** A workspace config through the real loader; probe options are patched in (the schema may not know them yet). */
function workspaceConfig(dir: string, spec: CaseSpec & { secretsFiles: string[] }): Config {
  const yaml = stringify({
    gateway: { configFile: spec.configFile ?? 'config.yaml', composeFile: 'docker-compose.yml', keyEnvVar: spec.keyEnvVar ?? 'LITELLM_MASTER_KEY' },
    secretsFiles: spec.secretsFiles,
    hosts: [{ name: 'lan', url: 'http://gateway.test' }],
    probes: { 'mcp.catalog': { servers: spec.catalogServers ?? ['mcp_postgres', 'mcp_filesystem'] } },
  });
  const config = parseConfig(yaml, path.join(dir, 'proofbook.config.yaml'));
  if (spec.options) (config.probes as Record<string, unknown>)['gateway.config'] = spec.options;
  return config;
}

async function contextFor(config: Config, signal = new AbortController().signal): Promise<ProbeContextParts> {
  const { entries } = await readSecretsFiles(config.secretsFiles);
  return { config, secrets: entries, signal };
}

describe('gateway.config fixtures', () => {
  runProbeCases<CaseSpec, GatewayConfigFacts>(probeDefinition('gateway.config'), root, {
    config: ({ dir, spec }) => {
      const own = readdirSync(dir).filter((f) => f.endsWith('.env')).sort();
      return workspaceConfig(dir, { ...spec, secretsFiles: spec.secretsFiles ?? (own.length ? own : ['../shared.env']) });
    },
    // Every finding says where: the config file, and a line unless none applies.
    check: ({ outcome }) => {
      for (const finding of outcome.facts.findings) expect(finding.file).toBe(outcome.facts.configFile);
    },
  });
});

describe('gateway.config', () => {
  const temps: string[] = [];
  afterAll(async () => {
    for (const dir of temps) await rm(dir, { recursive: true, force: true });
  });

  it('passes on the repo\'s own lab config, with secrets files made from the .env.example keys', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-gateway-config-'));
    temps.push(dir);
    const files: string[] = [];
    for (const example of ['litellm.env.example', 'mcp-postgres.env.example']) {
      const keys = (await readFile(path.join(REPO, 'lab', 'secrets', example), 'utf8'))
        .split('\n')
        .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
        .filter((key): key is string => !!key);
      const file = path.join(dir, example.replace(/\.example$/, ''));
      await writeFile(file, keys.map((key) => `${key}=dummy-${key.toLowerCase()}-value`).join('\n') + '\n', { mode: 0o600 });
      files.push(file);
    }
    const repoConfigPath = path.join(REPO, 'proofbook.config.yaml');
    const config: Config = { ...parseConfig(readFileSync(repoConfigPath, 'utf8'), repoConfigPath), secretsFiles: files };
    const outcome = await runProbe(gatewayConfigProbe, await contextFor(config));

    expect(outcome.facts.findings).toEqual([]);
    expect(outcome.status).toBe('pass');
    expect(outcome.summary).toMatch(/^lab\/config\.yaml: 2 MCP server\(s\) \(mcp_postgres stdio, mcp_filesystem stdio\)/);
    expect(outcome.facts.servers.map((s) => [s.name, s.transport, s.command, s.envRefs])).toEqual([
      ['mcp_postgres', 'stdio', 'sh', ['MCP_POSTGRES_URL']],
      ['mcp_filesystem', 'stdio', 'sh', ['MCP_FILESYSTEM_ROOT']],
    ]);
    const labConfig = readFileSync(path.join(REPO, 'lab', 'config.yaml'), 'utf8').split('\n');
    const lineOf = (text: string) => labConfig.findIndex((line) => line.includes(text)) + 1;
    expect(outcome.facts.masterKey).toEqual({ source: 'env', envVar: 'LITELLM_MASTER_KEY', line: lineOf('master_key:') });
    expect(outcome.facts.envRefs.map((r) => [r.name, r.defined, r.line])).toEqual([
      // The lab's chat model for Open WebUI (model_list), then the master key and the servers'.
      ['SCRIPTED_MODEL_URL', true, lineOf('os.environ/SCRIPTED_MODEL_URL')],
      ['SCRIPTED_MODEL_KEY', true, lineOf('os.environ/SCRIPTED_MODEL_KEY')],
      ['LITELLM_MASTER_KEY', true, lineOf('os.environ/LITELLM_MASTER_KEY')],
      ['MCP_POSTGRES_URL', true, lineOf('os.environ/MCP_POSTGRES_URL')],
      ['MCP_FILESYSTEM_ROOT', true, lineOf('os.environ/MCP_FILESYSTEM_ROOT')],
    ]);
    expect(outcome.facts.secretsFiles.map((f) => [path.basename(f.file), f.exists, f.keys])).toEqual([
      ['litellm.env', true, ['LITELLM_MASTER_KEY', 'MCP_FILESYSTEM_ROOT', 'SCRIPTED_MODEL_URL', 'SCRIPTED_MODEL_KEY']],
      ['mcp-postgres.env', true, ['MCP_POSTGRES_URL']],
    ]);
    // The lab's secrets are not there yet (lab:up makes them): every reference is then undefined.
    const withoutSecrets = await runProbe(gatewayConfigProbe, await contextFor({ ...config, secretsFiles: [path.join(dir, 'absent.env')] }));
    expect(withoutSecrets.status).toBe('fail');
    expect(withoutSecrets.summary).toContain(
      `lab/config.yaml:${lineOf('master_key:')}: general_settings.master_key: os.environ/LITELLM_MASTER_KEY is not defined in any secrets file`,
    );
    expect(withoutSecrets.summary).toContain(`${path.join(dir, 'absent.env')} (missing)`);
  });

  it('never puts a secret value into the outcome', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-gateway-leak-'));
    temps.push(dir);
    const planted = {
      masterKey: 'sk-planted-master-key-0123456789',
      envValue: 'planted-env-value-3f9a2c71',
      urlPassword: 'planted-url-password-77c1',
      token: 'planted-inline-token-9d2e4b',
      argSecret: 'planted-arg-secret-51aa09',
    };
    await writeFile(path.join(dir, 'config.yaml'), [
      'general_settings:',
      `  master_key: ${planted.masterKey}`,
      'mcp_servers:',
      '  mcp_postgres:',
      '    transport: stdio',
      '    command: sh',
      `    args: ["-c", "exec mcp-server-postgres postgresql://reader:${planted.urlPassword}@db/mcp", "${planted.argSecret}"]`,
      '    env:',
      `      GITHUB_TOKEN: ${planted.token}`,
      '      DEFINED: os.environ/PLANTED_ENV',
      '  mcp-filesystem:',
      '    command: sh',
      '',
    ].join('\n'));
    await writeFile(path.join(dir, 'secrets.env'), `PLANTED_ENV=${planted.envValue}\nARG_SECRET=${planted.argSecret}\n`, { mode: 0o600 });
    const config = workspaceConfig(dir, { secretsFiles: ['secrets.env'] });
    const outcome = await runProbe(gatewayConfigProbe, await contextFor(config));

    expect(outcome.status).toBe('fail');
    const codes = outcome.facts.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['master-key.literal', 'secret.inline', 'server.dash-in-name', 'server.transport-missing']));
    const json = JSON.stringify(outcome);
    for (const [name, value] of Object.entries(planted)) expect(json, name).not.toContain(value);
    expect(outcome.facts.masterKey).toMatchObject({ source: 'literal', line: 2, fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/) });
  });

  it('fails on ${VAR} in a server\'s env at file:line:col, but not on $X that args hand to sh -c', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-gateway-placeholder-'));
    temps.push(dir);
    await writeFile(path.join(dir, 'config.yaml'), [
      'general_settings:',
      '  master_key: os.environ/LITELLM_MASTER_KEY',
      'mcp_servers:',
      '  mcp_postgres:',
      '    transport: stdio',
      '    command: sh',
      '    args: ["-c", "exec mcp-server-postgres \\"${DATABASE_URL}\\""]',
      '    env: {DATABASE_URL: "${PG_URL}", MODE: readonly}',
      '  mcp_filesystem:',
      '    transport: stdio',
      '    command: sh',
      '    args: ["-c", "exec mcp-server-filesystem /srv"]',
      '',
    ].join('\n'));
    await writeFile(path.join(dir, 'secrets.env'), 'LITELLM_MASTER_KEY=dummy\n', { mode: 0o600 });
    const outcome = await runProbe(gatewayConfigProbe, await contextFor(workspaceConfig(dir, { secretsFiles: ['secrets.env'] })));
    expect(outcome.status).toBe('fail');
    expect(outcome.facts.findings).toEqual([
      expect.objectContaining({ code: 'env.shell-placeholder', file: 'config.yaml', line: 8, column: 26 }),
    ]);
    expect(outcome.summary).toContain(
      'config.yaml:8:26: mcp_servers.mcp_postgres.env.DATABASE_URL: ${PG_URL} is not expanded: LiteLLM 1.77.1 resolves only `os.environ/NAME`',
    );
    expect(outcome.summary).toContain('Write `DATABASE_URL: os.environ/PG_URL` and define PG_URL in a secrets file (none defines it)');
  });

  it('honours the abort signal', async () => {
    const dir = path.join(root, 'pass-lab-like');
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const config = workspaceConfig(dir, { secretsFiles: ['litellm.env', 'mcp-postgres.env'] });
    await expect(runProbe(gatewayConfigProbe, await contextFor(config, controller.signal))).rejects.toThrow('timed out');
  });

  it('has options that default to {} and describe every field', () => {
    expect(GatewayConfigOptionsSchema.parse({})).toEqual({ unexpectedServers: 'warn', timeoutMs: 10_000 });
    for (const [field, schema] of Object.entries(GatewayConfigOptionsSchema.shape)) expect(schema.description, field).toBeTruthy();
    expect(() => GatewayConfigOptionsSchema.parse({ servers: { x: { transport: 'websocket' } } })).toThrow();
  });
});
