/**
 * Independent secret scanners (secretlint, detect-secrets) over what a real refresh publishes.
 *
 * On the shared lab, a docs workspace gets the lab's generated secrets plus planted canaries: in
 * its secrets files, inline in LiteLLM's config.yaml, in a Traefik label and in a tool's output.
 * After a refresh and a site build, both scanners find nothing in evaluation/, the runbooks and
 * dist/. A positive control plants an AWS key and a private key block, unredacted, in a scratch
 * copy: both scanners must find each one (so this test can fail), and never print the value.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main as refreshDocs } from '../../../src/cli/refresh-docs.ts';
import { main as scanSecretsCli } from '../../../src/cli/scan-secrets.ts';
import { formatFinding, scanSecrets } from '../../../src/secrets/scanners.ts';
import { buildSite } from '../../../src/site/build.ts';
import { sharedLab, type SharedLab } from '../../helpers/shared-lab.ts';

const CORE_PROBES = ['traefik.labels', 'traefik.routes', 'gateway.health', 'gateway.auth', 'gateway.config', 'secrets.audit', 'mcp.catalog', 'mcp.invoke'];
const CANARIES = Array.from({ length: 20 }, () => randomBytes(18).toString('base64'));
const INLINE_CONFIG_SECRET = `sk-canary-config-${randomBytes(12).toString('hex')}`;
const LABEL_SECRET = `sk-canary-label-${randomBytes(12).toString('hex')}`;

let lab: SharedLab;
let dir: string;
let configPath: string;
let canaryFile: string;
let scratch: string | undefined;
let roots: string[];

beforeAll(async () => {
  lab = await sharedLab();
  ({ dir, configPath } = await lab.docsWorkspace());
  const raw = parse(await readFile(configPath, 'utf8'));

  // Own copies of LiteLLM's config, the compose file and the secrets files, with canaries planted.
  const gateway = path.join(dir, 'gateway');
  await cp(lab.config.gateway.configFile, path.join(gateway, 'config.yaml'));
  const litellm = parse(await readFile(path.join(gateway, 'config.yaml'), 'utf8'));
  litellm.mcp_servers.mcp_filesystem.env.CANARY_TOKEN = INLINE_CONFIG_SECRET;
  await writeFile(path.join(gateway, 'config.yaml'), stringify(litellm));
  const compose = await readFile(lab.config.gateway.composeFile, 'utf8');
  await writeFile(
    path.join(gateway, 'docker-compose.yml'),
    compose.replace(
      '      - "traefik.enable=true"',
      `      - "traefik.enable=true"\n      - "traefik.http.middlewares.inject-key.headers.customrequestheaders.x-litellm-api-key=Bearer ${LABEL_SECRET}"`,
    ),
  );
  const secretsFiles: string[] = [];
  for (const [i, file] of lab.config.secretsFiles.entries()) {
    const copy = path.join(dir, 'secrets', path.basename(file));
    await cp(file, copy);
    if (i === 0) await writeFile(copy, `${await readFile(copy, 'utf8')}${CANARIES.map((v, j) => `CANARY_${j}=${v}`).join('\n')}\n`);
    await chmod(copy, 0o600);
    secretsFiles.push(copy);
  }
  // A tool call reads a file holding every canary, so they travel through the tool output too.
  canaryFile = path.join(lab.config.lab.filesystemRoot, `scanner-canaries-${randomBytes(4).toString('hex')}.txt`);
  await writeFile(canaryFile, `canaries\n${[...CANARIES, INLINE_CONFIG_SECRET, lab.secrets.masterKey].join('\n')}\n`);
  raw.gateway.configFile = path.join(gateway, 'config.yaml');
  raw.gateway.composeFile = path.join(gateway, 'docker-compose.yml');
  raw.secretsFiles = secretsFiles;
  raw.probes['mcp.invoke'] = { calls: [{ server: 'mcp_filesystem', tool: 'read_text_file', arguments: { path: canaryFile }, expect: 'canaries' }] };
  await writeFile(configPath, stringify(raw));

  const stderr: string[] = [];
  await refreshDocs({ argv: ['--config', configPath, '--only', CORE_PROBES.join(',')], stdout: () => {}, stderr: (l) => stderr.push(l) });
  const invoke = (await readdir(path.join(dir, 'evaluation', 'mcp.invoke'))).find((f) => !f.endsWith('.transcript.json'));
  if (!invoke) throw new Error(`the refresh wrote no mcp.invoke evidence: ${stderr.join('\n')}`);
  await buildSite({ configPath, outDir: path.join(dir, 'dist') });
  roots = ['evaluation', 'content', 'dist'].map((name) => path.join(dir, name));
}, 900_000);

afterAll(async () => {
  await rm(canaryFile, { force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('secret scanners on a real refresh', () => {
  it('the canaries really travelled: the tool read them and the evidence shows them redacted', async () => {
    const dirEntries = await readdir(path.join(dir, 'evaluation', 'mcp.invoke'));
    const result = await readFile(path.join(dir, 'evaluation', 'mcp.invoke', dirEntries.find((f) => !f.endsWith('.transcript.json'))!), 'utf8');
    expect(result).toContain('[REDACTED]');
    expect(await readdir(path.join(dir, 'dist'))).toContain('status');
  });

  it('secretlint and detect-secrets find nothing in evaluation/, the runbooks and dist/', async () => {
    const report = await scanSecrets(roots);
    expect(report.scanned).toEqual(roots);
    expect(report.findings.map((f) => formatFinding(f, dir))).toEqual([]);
    // And the CLI, with its defaults read from the workspace config: exit 0.
    const stdout: string[] = [];
    expect(await scanSecretsCli({ argv: ['--config', configPath, '--site', path.join(dir, 'dist')], stdout: (l) => stdout.push(l), stderr: () => {} })).toBe(0);
    expect(stdout.at(-1)).toMatch(/secretlint \d+\.\d+\.\d+: 0, detect-secrets 1\.5\.0: 0 finding\(s\) in evaluation, content, dist$/);
  });

  it('positive control: an unredacted AWS key and private key planted in a copy are found by both, and never printed', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'proofbook-scan-control-'));
    for (const root of roots) await cp(root, path.join(scratch, path.basename(root)), { recursive: true });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const awsKeyId = `AKIA${Array.from(randomBytes(16), (b) => alphabet[b % 32]).join('')}`;
    // 40 characters like a real secret access key (alphanumeric, so the rules' word boundary holds).
    const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const awsSecret = Array.from(randomBytes(40), (b) => base62[b % 62]).join('');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const keyBody = privateKey.split('\n')[5]!;
    const planted = {
      // A leaked value inside an evidence transcript (JSON-escaped, as the store would write it).
      evaluation: path.join(scratch, 'evaluation', 'mcp.invoke', 'leak.transcript.json'),
      content: path.join(scratch, 'content', 'LEAK.md'),
      dist: path.join(scratch, 'dist', 'leak', 'index.html'),
    };
    await writeFile(planted.evaluation, `${JSON.stringify([{ kind: 'http', body: `aws_access_key_id = ${awsKeyId}\naws_secret_access_key = ${awsSecret}\n${privateKey}` }], null, 2)}\n`);
    await writeFile(planted.content, `# Leak\n\n\`\`\`ini\naws_access_key_id = ${awsKeyId}\naws_secret_access_key = ${awsSecret}\n\`\`\`\n\n\`\`\`\n${privateKey}\`\`\`\n`);
    await mkdir(path.dirname(planted.dist), { recursive: true });
    await writeFile(planted.dist, `<!doctype html><html><body><pre>aws_access_key_id = ${awsKeyId}\naws_secret_access_key = ${awsSecret}\n${privateKey}</pre></body></html>\n`);

    const controlRoots = Object.keys(planted).map((name) => path.join(scratch!, name));
    const report = await scanSecrets(controlRoots);
    for (const [where, file] of Object.entries(planted)) {
      for (const scanner of ['secretlint', 'detect-secrets'] as const) {
        const rules = report.findings.filter((f) => f.file === file && f.scanner === scanner).map((f) => f.rule);
        expect(rules.join(' | '), `${scanner} should flag the AWS key and the private key in ${where}`).toMatch(/aws/i);
        expect(rules.join(' | '), `${scanner} should flag the private key in ${where}`).toMatch(/private ?key/i);
      }
    }
    // Only the planted files: nothing else in the copy is flagged.
    expect(report.findings.filter((f) => !Object.values(planted).includes(f.file)).map((f) => formatFinding(f, scratch))).toEqual([]);

    const stdout: string[] = [];
    const stderr: string[] = [];
    expect(await scanSecretsCli({ argv: controlRoots, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) })).toBe(1);
    const printed = [...stdout, ...stderr].join('\n');
    expect(printed).toMatch(/LEAK\.md:\d+(:\d+)?: \[secretlint\]/);
    expect(printed).toMatch(/leak\.transcript\.json:\d+(:\d+)?: \[detect-secrets\]/);
    for (const value of [awsKeyId, awsSecret, keyBody, awsKeyId.slice(4)]) expect(printed).not.toContain(value);
  });
});
