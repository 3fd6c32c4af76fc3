/**
 * Fixture tests for the `secrets.audit` probe, one folder per behaviour (unified-collective style)
 * under tests/fixtures/secrets-audit/<case>/. Each case is copied into a temp dir (the workspace
 * root), where the secrets files get mode 0600 unless told otherwise:
 *   *.env, *.env.example, sub folders   the secrets files and their examples
 *   case.json      optional: {secretsFiles (default: the *.env at the top), options, keyEnvVar,
 *                  modes: {file: "644"}, git: {ignore: [patterns], add: [files]}}
 *   expected.json  {status, findings: [{severity, code, file, line?, message}], summary?}
 * `<tmp>` in expected.json stands for the temp dir. Fixture values are dummies.
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../src/probes/config.ts';
import { generateSecrets, writeSecretsFiles } from '../src/lab/secrets.ts';
import { fingerprint, secretsAuditProbe } from '../src/probes/secrets-audit.ts';
import { SecretsAuditOptionsSchema } from '../src/probes/secrets-audit/options.ts';
import { parseEnvLines } from '../src/secrets/env-files.ts';
import type { ProbeContext } from '../src/probes/types.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const root = path.join(import.meta.dirname, 'fixtures', 'secrets-audit');
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const temps: string[] = [];

interface CaseSpec {
  secretsFiles?: string[];
  options?: Record<string, unknown>;
  keyEnvVar?: string;
  modes?: Record<string, string>;
  git?: { ignore?: string[]; add?: string[] };
}

async function tempDir(prefix: string): Promise<string> {
  // realpath: git prints resolved paths, and macOS' /tmp is a symlink.
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), prefix)));
  temps.push(dir);
  return dir;
}

/** A workspace config through the real loader; probe options are patched in (the schema may not know them yet). */
function workspaceConfig(dir: string, spec: CaseSpec & { secretsFiles: string[] }): Config {
  const yaml = stringify({
    gateway: { configFile: 'config.yaml', composeFile: 'docker-compose.yml', keyEnvVar: spec.keyEnvVar ?? 'LITELLM_MASTER_KEY' },
    secretsFiles: spec.secretsFiles,
    hosts: [{ name: 'lan', url: 'http://gateway.test' }],
    probes: { 'mcp.catalog': { servers: ['mcp_postgres'] } },
  });
  const config = parseConfig(yaml, path.join(dir, 'proofbook.config.yaml'));
  if (spec.options) (config.probes as Record<string, unknown>)['secrets.audit'] = spec.options;
  return config;
}

async function contextFor(config: Config, signal = new AbortController().signal): Promise<ProbeContext> {
  const secrets = [];
  for (const file of config.secretsFiles) {
    const text = await readFile(file, 'utf8').catch(() => '');
    secrets.push(...parseEnvLines(text, file).entries);
  }
  const http = { fetch: () => Promise.reject(new Error('static probes make no HTTP requests')), close: async () => {} };
  return { config, http, secrets, signal };
}

async function git(dir: string, ...args: string[]) {
  await execa('git', args, { cwd: dir });
}

async function runCase(name: string) {
  const source = path.join(root, name);
  const specFile = path.join(source, 'case.json');
  const spec: CaseSpec = existsSync(specFile) ? JSON.parse(readFileSync(specFile, 'utf8')) : {};
  const dir = await tempDir(`proofbook-secrets-${name}-`);
  await cp(source, dir, { recursive: true, filter: (f) => !['case.json', 'expected.json'].includes(path.basename(f)) });
  const secretsFiles = spec.secretsFiles ?? readdirSync(dir).filter((f) => f.endsWith('.env')).sort();
  for (const file of secretsFiles) if (existsSync(path.join(dir, file))) await chmod(path.join(dir, file), 0o600);
  for (const [file, mode] of Object.entries(spec.modes ?? {})) await chmod(path.join(dir, file), Number.parseInt(mode, 8));
  if (spec.git) {
    await git(dir, 'init', '-q');
    if (spec.git.ignore) await writeFile(path.join(dir, '.gitignore'), `${spec.git.ignore.join('\n')}\n`);
    if (spec.git.add?.length) await git(dir, 'add', '-f', '--', ...spec.git.add);
  }
  const config = workspaceConfig(dir, { ...spec, secretsFiles });
  return { dir, outcome: await secretsAuditProbe.run(await contextFor(config)) };
}

afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describe('secrets.audit fixtures', () => {
  for (const name of cases) {
    it(name, async () => {
      const { dir, outcome } = await runCase(name);
      const actual = JSON.parse(JSON.stringify({ status: outcome.status, findings: outcome.facts.findings }).replaceAll(dir, '<tmp>'));
      const expectedFile = path.join(root, name, 'expected.json');
      if (!existsSync(expectedFile) && process.env.UPDATE_FIXTURES) {
        writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      }
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
      expect(actual).toEqual({ status: expected.status, findings: expected.findings });
      if (expected.summary) expect(outcome.summary.replaceAll(dir, '<tmp>')).toBe(expected.summary);
      // The summary names the first problem with its location.
      const first = outcome.facts.findings.find((f) => f.severity === 'fail') ?? outcome.facts.findings.find((f) => f.severity === 'warn');
      if (first?.file) expect(outcome.summary).toContain(`${first.file}${first.line ? `:${first.line}` : ''}: `);
    });
  }
});

describe('secrets.audit', () => {
  it('passes on the lab\'s generated secrets files, compared with the committed lab/secrets examples', async () => {
    const dir = await tempDir('proofbook-secrets-lab-');
    const secrets = generateSecrets({ postgresPort: 54321, filesystemRoot: path.join(dir, 'files') });
    const files = await writeSecretsFiles(path.join(dir, 'secrets'), secrets);
    const repoConfigPath = path.join(REPO, 'proofbook.config.yaml');
    const config: Config = { ...parseConfig(readFileSync(repoConfigPath, 'utf8'), repoConfigPath), secretsFiles: files };
    (config.probes as Record<string, unknown>)['secrets.audit'] = { examples: ['lab/secrets'] };
    const outcome = await secretsAuditProbe.run(await contextFor(config));

    expect(outcome.facts.findings).toEqual([]);
    expect(outcome.status).toBe('pass');
    expect(outcome.facts.files.map((f) => [path.basename(f.file), f.mode, f.git, f.example, f.keys.map((k) => k.key)])).toEqual([
      ['litellm.env', '0600', 'not-a-repo', 'lab/secrets/litellm.env.example', ['LITELLM_MASTER_KEY', 'MCP_FILESYSTEM_ROOT']],
      ['mcp-postgres.env', '0600', 'not-a-repo', 'lab/secrets/mcp-postgres.env.example', ['MCP_POSTGRES_URL']],
    ]);
    expect(outcome.facts.requiredAnywhere).toEqual([{ key: 'LITELLM_MASTER_KEY', present: true, file: files[0], line: 2 }]);
    const json = JSON.stringify(outcome);
    for (const value of [secrets.masterKey, secrets.postgresPassword, secrets.postgresUrl]) expect(json).not.toContain(value);
    expect(json).toContain(fingerprint(secrets.masterKey)!);
  });

  it('never puts a secret value into the outcome, even from broken lines and examples', async () => {
    const dir = await tempDir('proofbook-secrets-leak-');
    const planted = {
      masterKey: 'sk-planted-master-key-0123456789',
      password: 'planted-password-c0ffee42',
      bareLine: 'planted-bare-secret-line-31337',
      badNameValue: 'planted-bad-name-value-8d8d',
      copiedToExample: 'planted-copied-to-example-a1a1',
      duplicate: 'planted-duplicate-value-5e5e',
      extra: 'planted-extra-value-6f6f',
    };
    await writeFile(path.join(dir, 'litellm.env'), [
      `LITELLM_MASTER_KEY=${planted.masterKey}`,
      planted.bareLine,
      `MY-KEY=${planted.badNameValue}`,
      `DB_PASSWORD="${planted.password}"`,
      `DB_PASSWORD=${planted.duplicate}`,
      `API_TOKEN=${planted.copiedToExample}`,
      `EXTRA=${planted.extra}`,
      '',
    ].join('\n'), { mode: 0o644 });
    await writeFile(path.join(dir, 'litellm.env.example'), `LITELLM_MASTER_KEY=sk-<key>\nDB_PASSWORD=<password>\nAPI_TOKEN=${planted.copiedToExample}\nMISSING=<x>\n`);
    const config = workspaceConfig(dir, { secretsFiles: ['litellm.env'] });
    const outcome = await secretsAuditProbe.run(await contextFor(config));

    expect(outcome.status).toBe('fail');
    expect(outcome.facts.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['file.world-accessible', 'env.syntax', 'key.duplicate', 'key.missing', 'key.not-in-example', 'example.real-value']),
    );
    const json = JSON.stringify(outcome);
    for (const [name, value] of Object.entries(planted)) expect(json, name).not.toContain(value);
    const key = outcome.facts.files[0]!.keys.find((k) => k.key === 'LITELLM_MASTER_KEY');
    expect(key).toEqual({ key: 'LITELLM_MASTER_KEY', line: 1, empty: false, fingerprint: fingerprint(planted.masterKey) });
  });

  it('gives no fingerprint for values too short to hide', () => {
    expect(fingerprint('')).toBeUndefined();
    expect(fingerprint('1234')).toBeUndefined();
    expect(fingerprint('long-enough-value')).toMatch(/^[0-9a-f]{8}$/);
  });

  it('honours the abort signal', async () => {
    const dir = await tempDir('proofbook-secrets-abort-');
    await writeFile(path.join(dir, 'a.env'), 'LITELLM_MASTER_KEY=dummy-value-1234\n', { mode: 0o600 });
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const config = workspaceConfig(dir, { secretsFiles: ['a.env'] });
    await expect(secretsAuditProbe.run(await contextFor(config, controller.signal))).rejects.toThrow('timed out');
  });

  it('has options that default to {} and describe every field', () => {
    expect(SecretsAuditOptionsSchema.parse({})).toEqual({ examples: [], requiredKeys: {}, optionalKeys: [], timeoutMs: 15_000 });
    for (const [field, schema] of Object.entries(SecretsAuditOptionsSchema.shape)) expect(schema.description, field).toBeTruthy();
    expect(() => SecretsAuditOptionsSchema.parse({ requiredKeys: { 'litellm.env': ['not a key'] } })).toThrow(/environment variable name/);
  });
});
