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
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../../../src/probes/config.ts';
import { writeOpenWebuiAdminEnv } from '../../../../src/lab/openwebui-lab.ts';
import { generateSecrets, writeSecretsFiles } from '../../../../src/lab/secrets.ts';
import { fingerprint } from '../../../../src/probes/kit/checks.ts';
import { secretsAuditProbe, type SecretsAuditFacts } from '../../../../src/probes/secrets-audit/probe.ts';
import { SecretsAuditOptionsSchema } from '../../../../src/probes/secrets-audit/options.ts';
import { parseEnvLines, type EnvEntry } from '../../../../src/secrets/env-files.ts';
import { SALT_ENV, SALT_FILE } from '../../../../src/secrets/salt.ts';
import { probeDefinition, runProbeCases } from '../../../helpers/probe-cases.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const root = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'secrets-audit');
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

async function contextFor(config: Config, signal = new AbortController().signal): Promise<ProbeContextParts & { secrets: EnvEntry[] }> {
  const secrets = [];
  for (const file of config.secretsFiles) {
    const text = await readFile(file, 'utf8').catch(() => '');
    secrets.push(...parseEnvLines(text, file).entries);
  }
  return { config, secrets, signal };
}

async function git(dir: string, ...args: string[]) {
  await execa('git', args, { cwd: dir });
}

/** The case copied into a temp dir: secrets files 0600 unless the case says otherwise, and a git repo when it asks for one. */
async function caseWorkspace({ name, source, spec }: { name: string; source: string; spec: CaseSpec }): Promise<string> {
  const dir = await tempDir(`proofbook-secrets-${name}-`);
  await cp(source, dir, { recursive: true, filter: (f) => !['case.json', 'expected.json'].includes(path.basename(f)) });
  for (const file of caseSecretsFiles(dir, spec)) if (existsSync(path.join(dir, file))) await chmod(path.join(dir, file), 0o600);
  for (const [file, mode] of Object.entries(spec.modes ?? {})) await chmod(path.join(dir, file), Number.parseInt(mode, 8));
  if (spec.git) {
    await git(dir, 'init', '-q');
    if (spec.git.ignore) await writeFile(path.join(dir, '.gitignore'), `${spec.git.ignore.join('\n')}\n`);
    if (spec.git.add?.length) await git(dir, 'add', '-f', '--', ...spec.git.add);
  }
  return dir;
}

const caseSecretsFiles = (dir: string, spec: CaseSpec) => spec.secretsFiles ?? readdirSync(dir).filter((f) => f.endsWith('.env')).sort();

afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/**
 * Fingerprints are keyed with each workspace's random salt (a fresh temp dir each run), so a
 * fixture cannot pin one: they are compared as `fingerprint <8 hex>`, and the tests below check
 * what they are.
 */
const anyFingerprint = (json: string) => json.replace(/fingerprint [0-9a-f]{8}\b/g, 'fingerprint <8 hex>');

describe('secrets.audit fixtures', () => {
  runProbeCases<CaseSpec, SecretsAuditFacts>(probeDefinition('secrets.audit'), root, {
    workspace: caseWorkspace,
    config: ({ dir, spec }) => workspaceConfig(dir, { ...spec, secretsFiles: caseSecretsFiles(dir, spec) }),
    secrets: async (config) => (await contextFor(config)).secrets,
    normalize: (json, { dir }) => anyFingerprint(json.replaceAll(dir, '<tmp>')),
    // The summary names the first problem with its location.
    check: ({ outcome }) => {
      const first = outcome.facts.findings.find((f) => f.severity === 'fail') ?? outcome.facts.findings.find((f) => f.severity === 'warn');
      if (first?.file) expect(outcome.summary).toContain(`${first.file}${first.line ? `:${first.line}` : ''}: `);
    },
  });
});

describe('secrets.audit', () => {
  it('passes on the lab\'s generated secrets files, compared with the committed lab/secrets examples', async () => {
    const dir = await tempDir('proofbook-secrets-lab-');
    const secrets = generateSecrets({ postgresPort: 54321, filesystemRoot: path.join(dir, 'files'), scriptedModelUrl: 'http://127.0.0.1:18100/v1' });
    const files = await writeSecretsFiles(path.join(dir, 'secrets'), secrets);
    // The lab writes its Open WebUI admin's file once the admin has signed up.
    files.push(await writeOpenWebuiAdminEnv(path.join(dir, 'secrets'), { password: 'lab-admin-password-1', token: 'lab-admin-token-0123456789' }));
    const repoConfigPath = path.join(REPO, 'proofbook.config.yaml');
    const config: Config = { ...parseConfig(readFileSync(repoConfigPath, 'utf8'), repoConfigPath), secretsFiles: files };
    (config.probes as Record<string, unknown>)['secrets.audit'] = { examples: ['lab/secrets'] };
    // The workspace is the repository here: key fingerprints from the environment rather than
    // create a salt file in the checkout.
    process.env[SALT_ENV] = 'salt-for-the-lab-secrets-test-0123456789';
    let outcome;
    try {
      outcome = await runProbe(secretsAuditProbe, await contextFor(config));
    } finally {
      delete process.env[SALT_ENV];
    }

    expect(outcome.facts.findings).toEqual([]);
    expect(outcome.status).toBe('pass');
    expect(outcome.facts.files.map((f) => [path.basename(f.file), f.mode, f.git, f.example, f.keys.map((k) => k.key)])).toEqual([
      ['litellm.env', '0600', 'not-a-repo', 'lab/secrets/litellm.env.example', ['LITELLM_MASTER_KEY', 'MCP_FILESYSTEM_ROOT', 'SCRIPTED_MODEL_URL', 'SCRIPTED_MODEL_KEY']],
      ['mcp-postgres.env', '0600', 'not-a-repo', 'lab/secrets/mcp-postgres.env.example', ['MCP_POSTGRES_URL']],
      ['openwebui-admin.env', '0600', 'not-a-repo', 'lab/secrets/openwebui-admin.env.example', ['OPENWEBUI_ADMIN_EMAIL', 'OPENWEBUI_ADMIN_PASSWORD', 'OPENWEBUI_ADMIN_TOKEN']],
    ]);
    expect(outcome.facts.requiredAnywhere).toEqual([{ key: 'LITELLM_MASTER_KEY', present: true, file: files[0], line: 2 }]);
    const json = JSON.stringify(outcome);
    for (const value of [secrets.masterKey, secrets.postgresPassword, secrets.postgresUrl]) expect(json).not.toContain(value);
    process.env[SALT_ENV] = 'salt-for-the-lab-secrets-test-0123456789';
    try {
      expect(json).toContain(fingerprint(secrets.masterKey, config.rootDir)!);
    } finally {
      delete process.env[SALT_ENV];
    }
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
    const outcome = await runProbe(secretsAuditProbe, await contextFor(config));

    expect(outcome.status).toBe('fail');
    expect(outcome.facts.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['file.world-accessible', 'env.syntax', 'key.duplicate', 'key.missing', 'key.not-in-example', 'example.real-value']),
    );
    const json = JSON.stringify(outcome);
    for (const [name, value] of Object.entries(planted)) expect(json, name).not.toContain(value);
    const key = outcome.facts.files[0]!.keys.find((k) => k.key === 'LITELLM_MASTER_KEY');
    expect(key).toEqual({ key: 'LITELLM_MASTER_KEY', line: 1, empty: false, fingerprint: fingerprint(planted.masterKey, dir) });
  });

  it('gives no fingerprint for values too short to hide', async () => {
    const dir = await tempDir('proofbook-secrets-short-');
    expect(fingerprint('', dir)).toBeUndefined();
    expect(fingerprint('1234', dir)).toBeUndefined();
    expect(fingerprint('long-enough-value', dir)).toMatch(/^[0-9a-f]{8}$/);
  });

  // Issue 13, item 9: an unsalted sha256(value)[:8] of an 8-digit password was reversed offline in
  // 128 s from the published evidence.
  it('keys fingerprints with the workspace\'s random salt: not sha256 of the value, stable per workspace, different elsewhere', async () => {
    const password = '20481632'; // an 8-digit password: 10^8 guesses against an unsalted hash
    const workspace = async (prefix: string) => {
      const dir = await tempDir(prefix);
      await writeFile(path.join(dir, 'litellm.env'), `LITELLM_MASTER_KEY=${password}\n`, { mode: 0o600 });
      return { dir, config: workspaceConfig(dir, { secretsFiles: ['litellm.env'] }) };
    };
    const published = async (config: Config) => (await runProbe(secretsAuditProbe, await contextFor(config))).facts.files[0]!.keys[0]!.fingerprint;

    const a = await workspace('proofbook-secrets-salt-a-');
    const first = await published(a.config);
    expect(first).toMatch(/^[0-9a-f]{8}$/);
    expect(first).not.toBe(createHash('sha256').update(password).digest('hex').slice(0, 8));
    // The guess an attacker would check every candidate with no longer matches: nothing to brute-force offline.
    expect(await published(a.config)).toBe(first); // stable across runs in the same workspace
    expect(first).toBe(fingerprint(password, a.dir));

    // The salt: random, private (0600), and out of git even where the workspace ignores nothing.
    const saltFile = path.join(a.dir, SALT_FILE);
    expect(readFileSync(saltFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(saltFile).mode & 0o777).toBe(0o600);
    await git(a.dir, 'init', '-q');
    const ignored = await execa('git', ['check-ignore', '-q', '--', SALT_FILE], { cwd: a.dir, reject: false });
    expect(ignored.exitCode).toBe(0);

    // Another workspace, another salt: the same value fingerprints differently.
    const b = await workspace('proofbook-secrets-salt-b-');
    expect(await published(b.config)).not.toBe(first);
  });

  it('takes the salt from PROOFBOOK_FINGERPRINT_SALT when set (CI: fresh checkouts fingerprint alike), and writes no salt file', async () => {
    process.env[SALT_ENV] = 'a-ci-secret-salt-of-32-characters';
    try {
      const one = await tempDir('proofbook-secrets-envsalt-1-');
      const two = await tempDir('proofbook-secrets-envsalt-2-');
      expect(fingerprint('the-same-value', one)).toBe(fingerprint('the-same-value', two));
      expect(existsSync(path.join(one, SALT_FILE))).toBe(false);
    } finally {
      delete process.env[SALT_ENV];
    }
  });

  it('honours the abort signal', async () => {
    const dir = await tempDir('proofbook-secrets-abort-');
    await writeFile(path.join(dir, 'a.env'), 'LITELLM_MASTER_KEY=dummy-value-1234\n', { mode: 0o600 });
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const config = workspaceConfig(dir, { secretsFiles: ['a.env'] });
    await expect(runProbe(secretsAuditProbe, await contextFor(config, controller.signal))).rejects.toThrow('timed out');
  });

  it('has options that default to {} and describe every field', () => {
    expect(SecretsAuditOptionsSchema.parse({})).toEqual({ examples: [], requiredKeys: {}, optionalKeys: [], timeoutMs: 15_000 });
    for (const [field, schema] of Object.entries(SecretsAuditOptionsSchema.shape)) expect(schema.description, field).toBeTruthy();
    expect(() => SecretsAuditOptionsSchema.parse({ requiredKeys: { 'litellm.env': ['not a key'] } })).toThrow(/environment variable name/);
  });
});
