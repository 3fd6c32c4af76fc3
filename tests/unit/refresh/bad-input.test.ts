/**
 * The bad-input corpus (tests/fixtures/bad-input): every case is a valid workspace (`_base`) with
 * one thing broken — files laid over it, text edits, removals, generated big files — and a
 * `case.json` saying what to run and what stderr must say. Each case runs the real refresh-docs
 * `main` (no lab: `--offline`/`--dry-run`, or a probe run that the preflight must stop first)
 * and must exit 2, name `file:line[:col]`, say what to do, and leave every file of the
 * workspace byte-identical (no evidence, no temp file, no new folder).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { loadConfig } from '../../../src/probes/config.ts';
import { checkText, preflight } from '../../../src/refresh/preflight.ts';
import { loadProbes, PROBE_IDS } from '../../../src/probes/registry.ts';
import type { Probe, ProbeInput } from '../../../src/probes/types.ts';

const CORPUS = path.join(import.meta.dirname, '..', '..', 'fixtures', 'bad-input');
const BASE = path.join(CORPUS, '_base');

interface CaseSpec {
  about: string;
  /** refresh-docs arguments before `--config`; [] runs the probes (the preflight must stop them). */
  argv?: string[];
  edits?: { file: string; find: string; replace: string }[];
  remove?: string[];
  /** Big files made at run time (not kept in git): `line` repeated up to `bytes`. */
  generate?: { file: string; line: string; bytes: number }[];
  /** Inputs a client probe declares (TOML/JSON client configs), relative to the workspace. */
  declare?: { file: string; format: ProbeInput['format']; optional?: boolean }[];
  expect: { file: string; line: number | null; column: number | null; message: string; todo: string };
}

const CASES = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
  .map((e) => ({ name: e.name, spec: JSON.parse(readFileSync(path.join(CORPUS, e.name, 'case.json'), 'utf8')) as CaseSpec }))
  .sort((a, b) => a.name.localeCompare(b.name));

const made: string[] = [];
afterAll(async () => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function workspaceFor(name?: string, spec?: CaseSpec): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-bad-input-'));
  made.push(dir);
  await cp(BASE, dir, { recursive: true });
  if (!name || !spec) return dir;
  await cp(path.join(CORPUS, name), dir, { recursive: true, filter: (src) => path.basename(src) !== 'case.json' });
  for (const edit of spec.edits ?? []) {
    const file = path.join(dir, edit.file);
    const text = await readFile(file, 'utf8');
    const count = text.split(edit.find).length - 1;
    if (count !== 1) throw new Error(`${name}: edit of ${edit.file} finds ${JSON.stringify(edit.find)} ${count} times; it must be exactly once`);
    await writeFile(file, text.replace(edit.find, () => edit.replace));
  }
  for (const file of spec.remove ?? []) await rm(path.join(dir, file));
  for (const big of spec.generate ?? []) {
    mkdirSync(path.dirname(path.join(dir, big.file)), { recursive: true });
    const line = Buffer.from(big.line);
    await writeFile(path.join(dir, big.file), Buffer.alloc(big.bytes, line));
  }
  return dir;
}

/** Every file (sha256) and folder of the workspace, dot-folders included. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = entry.isFile() ? createHash('sha256').update(await readFile(file)).digest('hex') : entry.isDirectory() ? 'dir' : 'other';
  }
  return out;
}

/** A stand-in client probe that declares the case's inputs; it must never get to run. */
function declaringProbe(dir: string, inputs: NonNullable<CaseSpec['declare']>): Probe {
  return {
    id: 'client.declared',
    inputs: () => inputs.map((input) => ({ ...input, file: path.join(dir, input.file) })),
    run: () => Promise.reject(new Error('the preflight should have stopped this run')),
  };
}

async function run(dir: string, argv: string[], probes?: Probe[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main({
    argv: [...argv, '--config', path.join(dir, 'proofbook.config.yaml')],
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    lockWaitMs: 300,
    defaultTimeoutMs: 3_000,
    probes,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('the base workspace of the corpus', () => {
  it('is valid: the preflight finds nothing, and a dry run and an offline refresh change nothing', async () => {
    const dir = await workspaceFor();
    const config = await loadConfig(path.join(dir, 'proofbook.config.yaml'), { knownProbes: PROBE_IDS });
    expect(await preflight(config, await loadProbes(), { runProbes: true })).toEqual([]);
    const before = await snapshot(dir);
    const dry = await run(dir, ['--dry-run']);
    expect(dry.stderr).toBe('');
    expect([dry.code, dry.stdout]).toEqual([EXIT_CODE.ok, 'refresh-docs --dry-run: 0 of 1 doc(s) would change; nothing written.']);
    expect((await run(dir, ['--offline'])).code).toBe(EXIT_CODE.ok);
    const after = await snapshot(dir);
    delete after['.proofbook'];
    delete after[path.join('.proofbook', 'structure-cache.json')];
    expect(after).toEqual(before);
  });
});

describe('bad-input corpus', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$name', async ({ name, spec }) => {
    const dir = await workspaceFor(name, spec);
    const before = await snapshot(dir);
    const probes = spec.declare ? [...(await loadProbes()), declaringProbe(dir, spec.declare)] : undefined;
    const result = await run(dir, spec.argv ?? [], probes);

    expect(result.code, `${spec.about}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`).toBe(EXIT_CODE.usage);
    const { file, line, column, message, todo } = spec.expect;
    const position = `${line ?? '\\d+'}${column === null ? '(?::\\d+)?' : `:${column}`}`;
    const where = new RegExp(`${escape(path.join(dir, file))}:${position}: `);
    const reported = result.stderr.split('\n').find((l) => where.test(l));
    expect(reported, `stderr should name ${file}:${line}${column ? `:${column}` : ''}:\n${result.stderr}`).toBeDefined();
    expect(reported).toMatch(new RegExp(message));
    expect(reported).toMatch(new RegExp(todo));
    expect(await snapshot(dir), 'no file may be written, created or removed').toEqual(before);
  });
});

describe('inputs git cannot hold', () => {
  it('a FIFO named as a secrets file: --offline and --check refuse it at once instead of hanging on it', async () => {
    const dir = await workspaceFor();
    const fifo = path.join(dir, 'env-files', 'litellm.env');
    await rm(fifo);
    execFileSync('mkfifo', [fifo]);
    for (const mode of ['--offline', '--check']) {
      const result = await Promise.race([run(dir, [mode]), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${mode} hung on the FIFO`)), 10_000))]);
      expect(result.code, result.stderr).toBe(EXIT_CODE.usage);
      expect(result.stderr).toMatch(/env-files\/litellm\.env is not a file/);
    }
  });
});

describe('accepted, not bad input', () => {
  it('CRLF line endings and a BOM: the runbook is rewritten with both kept; config and .env read as usual', async () => {
    const dir = await workspaceFor();
    const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
    const runbook = path.join(dir, 'content', 'ops', 'RUNBOOK.md');
    const original = await readFile(runbook, 'utf8');
    // Drop the generated content so the refresh has to write the region again.
    await writeFile(runbook, `\uFEFF${crlf(original.replace(/(<!-- proofbook:start gateway\.config) hash=\w+ -->[\s\S]*?(<!-- proofbook:end)/, '$1 -->\n$2'))}`);
    for (const file of ['proofbook.config.yaml', 'lab/config.yaml', 'lab/docker-compose.yml', 'env-files/litellm.env']) {
      await writeFile(path.join(dir, file), `\uFEFF${crlf(await readFile(path.join(dir, file), 'utf8'))}`);
    }
    const config = await loadConfig(path.join(dir, 'proofbook.config.yaml'));
    expect(await preflight(config, await loadProbes(), { runProbes: true })).toEqual([]);
    const result = await run(dir, ['--offline']);
    expect(result.code, result.stderr).toBe(EXIT_CODE.ok);
    const written = await readFile(runbook, 'utf8');
    expect(written.startsWith('\uFEFF# Gateway runbook\r\n')).toBe(true);
    expect(written).toContain('| `mcp_filesystem` | stdio |');
    expect(written.replace(/\r\n/g, '')).not.toContain('\n'); // every line ending is still CRLF
  });
});

describe('the preflight by format (any probe that declares such an input)', () => {
  const secret = 'sk-live-0123456789abcdef0123456789abcdef';
  it.each([
    ['toml', `[mcp_servers.x]\nbearer_token = "${secret}\n`, 2, 'invalid TOML'],
    ['json', `{"key": "${secret}" "x": 1}`, 1, 'invalid JSON'],
    ['env', `${secret}\n`, 1, 'line without `=`'],
    ['yaml', `key: ${secret}\n\tother: 1\n`, 2, 'invalid YAML'],
    ['compose', `services:\n  x:\n    labels:\n      - "traefik.http.routers.r.rule=Host(\`${secret}\`"\n`, 4, 'does not parse'],
  ] as const)('%s: names the line and never quotes the text', (format, text, line, what) => {
    const problems = checkText(text, '/ws/file', format);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: '/ws/file', line });
    expect(problems[0]!.message).toContain(what);
    expect(problems[0]!.message).toContain(' — ');
    expect(JSON.stringify(problems)).not.toContain(secret.slice(8));
  });

  it('accepts valid TOML, JSON, .env and PEM', () => {
    expect(checkText('[mcp_servers.litellm]\nurl = "http://x/mcp/"\n', 'f', 'toml')).toEqual([]);
    expect(checkText('{"mcpServers": {"a": {"args": [1, 2.5e3, true, null, "\\u00e9"]}}}\n', 'f', 'json')).toEqual([]);
    expect(checkText('{\n  // VS Code\n  "servers": {"a": {"args": [1, 2,],},}, /* ok */\n}\n', 'f', 'jsonc')).toEqual([]);
    expect(checkText('{\n  // VS Code\n  "servers": {}\n}\n', 'f', 'json')[0]).toMatchObject({ line: 2, column: 3 });
    expect(checkText('# c\nexport A=1\nB="x y"\n\n', 'f', 'env')).toEqual([]);
    expect(checkText('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'f', 'pem')).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
