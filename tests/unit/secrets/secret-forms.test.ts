/**
 * Issue 13, items 8, 10, 12, 13 beyond the redactor's unit tests: the build's secret scan finds
 * every encoded form and skips weak secrets, and refresh-docs (in-process, the static
 * `gateway.config` probe only: no network, no lab) publishes no inline credential of config.yaml,
 * does not shred the docs over a common-word secret, and names that secret in a warning.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { classifyKnownSecrets, knownSecrets, scanForSecrets } from '../../../src/site/secret-scan.ts';

const temps: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function put(root: string, name: string, content: string | Buffer): Promise<string> {
  const file = path.join(root, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(path.join(e.parentPath, e.name), 'utf8')));
  return texts.join('\n');
}

describe('build secret scan: encoded forms (issue 13, item 10)', () => {
  const value = 'Kq7<vX&9é-pL2>mZ';
  const name = 'API_TOKEN (secrets/app.env:3)';
  const forms: Record<string, string> = {
    'hex.txt': Buffer.from(value).toString('hex'),
    'HEX.txt': Buffer.from(value).toString('hex').toUpperCase(),
    'u-escaped.json': `{"v":"${[...value].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`,
    'go.json': `{"v":"${value.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')}"}`,
    'python.json': `{"v": "${value.replace(/é/g, '\\u00e9')}"}`,
    'entities-hex.html': `<p>${[...value].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('')}</p>`,
    'entities-decimal.html': `<p>${[...value].map((c) => `&#${c.codePointAt(0)};`).join('')}</p>`,
    'named.html': `<p>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
    'split.md': `value: ${value.slice(0, 6)}\n    ${value.slice(6)}\n`,
    'continued.sh': `export X=${value.slice(0, 6)}\\\n${value.slice(6)}\n`,
    'basic.log': `Authorization: Basic ${Buffer.from(`root:${value}`).toString('base64')}\n`,
    'offset2.log': `blob ${Buffer.from(`ab${value}`).toString('base64url')}\n`,
  };

  it('finds each form in the output files and names it, never the value', async () => {
    const out = await tempDir('proofbook-scan-forms-');
    for (const [file, content] of Object.entries(forms)) await put(out, file, content);
    await put(out, 'clean.html', '<p>nothing to see: &amp; \\u0041 %41</p>');
    const leaks = await scanForSecrets(out, [{ value, name }]);
    expect(leaks.map((l) => l.file).sort()).toEqual(Object.keys(forms).sort());
    for (const leak of leaks) {
      expect(leak.secret).toBe(name);
      expect(leak.form).not.toContain(value);
    }
    const form = (file: string) => leaks.find((l) => l.file === file)?.form;
    expect(form('hex.txt')).toBe('hex');
    expect(form('u-escaped.json')).toBe('\\u-escaped');
    expect(form('entities-hex.html')).toBe('HTML entities');
    expect(form('split.md')).toBe('split over lines');
    expect(form('basic.log')).toBe('base64 (offset 2 bytes)'); // "root:" is 5 bytes: 2 past a quantum
    expect(form('offset2.log')).toBe('base64 (offset 2 bytes)');
  });

  it('finds a form split across two reads of a large file', async () => {
    const out = await tempDir('proofbook-scan-chunks-');
    const hex = Buffer.from(value).toString('hex');
    await put(out, 'big.txt', Buffer.concat([Buffer.alloc(65_536 - 10, 'z'), Buffer.from(hex), Buffer.alloc(100, 'z')]));
    expect(await scanForSecrets(out, [{ value, name }])).toEqual([{ file: 'big.txt', secret: name, form: 'hex' }]);
  });
});

describe('build secret scan: weak secrets (issue 13, item 12)', () => {
  it('does not look for a common-word secret (no failed build over every page that says the word) and names it instead', async () => {
    const dir = await tempDir('proofbook-scan-weak-');
    const env = await put(dir, 'secrets/mcp-postgres.env', 'POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=postgres\nMCP_POSTGRES_URL=postgresql://postgres:postgres@db:5432/lab\n');
    const out = path.join(dir, 'dist');
    await put(out, 'index.html', '<p>The <code>mcp_postgres</code> server runs postgres 16.</p>');
    await put(out, 'evidence/run.json', '{"tools":["mcp_postgres-query"]}');
    expect(await scanForSecrets(out, await knownSecrets([env]))).toEqual([]);
    const { secrets, weak } = await classifyKnownSecrets([env], { LITELLM_MASTER_KEY: 'k3y' });
    expect(secrets.map((s) => s.name)).toEqual([`MCP_POSTGRES_URL (${env}:3)`]);
    expect(weak).toEqual([
      { name: 'POSTGRES_PASSWORD', source: `${env}:2`, reason: 'word' },
      { name: 'LITELLM_MASTER_KEY', source: 'environment', reason: 'short', sent: true },
    ]);
  });
});

describe('refresh-docs: config.yaml credentials, weak secrets (issue 13, items 8, 12, 13)', () => {
  const inline = {
    emptyUser: 'tok-empty-user-4c1d9e',
    redis: 'redis-pass-8b2f7a',
    dsnUrl: 'dsn-url-pw-3e6a1c',
    dsnKeyValue: 'dsn-kv-pw-5d0b2f',
    pat: `ghp_${'Qw3Er5Ty7U'.repeat(4)}`,
    token: 'tok-flag-9a8b7c',
    password: 'pw-flag-6d5e4f',
  };
  const configYaml = [
    'general_settings:',
    '  master_key: os.environ/LITELLM_MASTER_KEY',
    'mcp_servers:',
    '  mcp_postgres:',
    '    transport: stdio',
    '    command: npx',
    `    args: ["mcp-server-postgres", "postgresql://reader:${inline.dsnUrl}@db/lab?sslmode=require", "host=db password=${inline.dsnKeyValue} dbname=lab"]`,
    '  mcp_github:',
    '    transport: stdio',
    '    command: npx',
    `    args: ["github-mcp", "--api-key", "${inline.pat}", "--token", "${inline.token}", "--password", "${inline.password}"]`,
    '  mcp_remote:',
    '    transport: http',
    `    url: https://:${inline.emptyUser}@mcp.example.com/mcp`,
    '  mcp_cache:',
    '    transport: http',
    `    url: redis://:${inline.redis}@cache:6379/0`,
    '',
  ].join('\n');
  const runbook = '# Gateway\n\n<!-- proofbook:start gateway.config -->\n<!-- proofbook:end gateway.config -->\n\nThe `mcp_postgres` server reads the lab database as postgres.\n';

  it('publishes none of them, leaves the docs whole and warns by key and file:line', async () => {
    const dir = await tempDir('proofbook-refresh-inline-');
    const gatewayKey = 'sk-proofbook-test-key-7f3e2d1c';
    await put(dir, 'config.yaml', configYaml);
    await put(dir, 'secrets/litellm.env', `LITELLM_MASTER_KEY=${gatewayKey}\n`);
    await put(dir, 'secrets/mcp-postgres.env', 'POSTGRES_PASSWORD=postgres\nMCP_POSTGRES_URL=postgresql://reader:postgres@db:5432/lab\n');
    await put(dir, 'content/GATEWAY.md', runbook);
    const configPath = await put(
      dir,
      'proofbook.config.yaml',
      [
        'runbooks: [content]',
        'evaluationDir: evaluation',
        'gateway:',
        '  configFile: config.yaml',
        '  composeFile: docker-compose.yml',
        'secretsFiles: [secrets/litellm.env, secrets/mcp-postgres.env]',
        'hosts:',
        '  - name: lan',
        '    url: http://127.0.0.1:9',
        'probes:',
        '  mcp.catalog:',
        '    servers: [mcp_postgres]',
        '',
      ].join('\n'),
    );
    const stderr: string[] = [];
    const stdout: string[] = [];
    const saved = process.env.LITELLM_MASTER_KEY;
    delete process.env.LITELLM_MASTER_KEY;
    let code: number;
    try {
      code = await main({ argv: ['--config', configPath, '--only', 'gateway.config'], stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), lockWaitMs: 300, live: false });
    } finally {
      if (saved !== undefined) process.env.LITELLM_MASTER_KEY = saved;
    }
    expect([EXIT_CODE.ok, EXIT_CODE.failed]).toContain(code);

    const doc = await readFile(path.join(dir, 'content', 'GATEWAY.md'), 'utf8');
    const published = `${doc}\n${await allText(path.join(dir, 'evaluation'))}\n${stdout.join('\n')}\n${stderr.join('\n')}`;
    for (const [what, value] of Object.entries(inline)) expect(published, what).not.toContain(value);
    expect(published).not.toContain(gatewayKey);
    // The region lists the servers (the run wrote it) with their credentials redacted …
    expect(doc).toContain('mcp_github');
    expect(doc).toContain(`--token ${'[REDACTED]'}`);
    // … and a common-word secret shreds nothing.
    expect(doc).not.toContain('mcp_[REDACTED]');
    expect(doc).toContain('The `mcp_postgres` server reads the lab database as postgres.');

    const warning = stderr.find((l) => l.startsWith('warning: POSTGRES_PASSWORD'));
    expect(warning).toMatch(/^warning: POSTGRES_PASSWORD \(secrets\/mcp-postgres\.env:1\) is a weak secret: .*Rotate it/);
    expect(stderr.join('\n')).not.toMatch(/LITELLM_MASTER_KEY .* weak/);
  });
});
