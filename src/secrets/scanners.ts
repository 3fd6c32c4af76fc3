/**
 * Two independent secret scanners over what Proofbook publishes — the evidence (`evaluation/`),
 * the runbooks and the built site (`dist/`) — as a second line behind the redactor:
 *
 * - secretlint with its recommended preset (`.secretlintrc.json`): known key formats (AWS, GCP,
 *   GitHub, Slack, npm, OpenAI…), private keys, basic-auth URLs;
 * - Yelp's detect-secrets (PyPI, installed once into the project's `.venv` like LiteLLM, from the
 *   hash-locked `lab/requirements/detect-secrets-<version>.txt`): the same kinds of formats plus
 *   high-entropy strings and `password = …`-style keywords.
 *
 * Findings carry file, line, scanner and rule — never the value: secretlint masks it and only
 * its rule id is kept; detect-secrets reports a hash.
 *
 * What is allow-listed (and why) is in `.secretlintrc.json` and in DETECT_SECRETS_EXCLUDE_LINES
 * below; each entry is as narrow as the non-secret it lets through.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../package-root.ts';
import { ensureLocked } from '../python/locked-install.ts';

export const DETECT_SECRETS_VERSION = '1.5.0';
const DETECT_SECRETS_REQUIREMENT = `detect-secrets==${DETECT_SECRETS_VERSION}`;
/**
 * detect-secrets and its dependencies, each pinned `==` with the sha256 of every file PyPI serves
 * for it (pip-compile --generate-hashes; the command is in the file's header). A package LiteLLM
 * needs too (requests, PyYAML…) is held at the version of LiteLLM's lock, since both share `.venv`.
 */
export const DETECT_SECRETS_LOCK = path.join(PACKAGE_ROOT, 'lab', 'requirements', `detect-secrets-${DETECT_SECRETS_VERSION}.txt`);
const VENV_DIR = path.join(PACKAGE_ROOT, '.venv');
export const SECRETLINT_CONFIG = path.join(PACKAGE_ROOT, '.secretlintrc.json');

/**
 * Lines detect-secrets may skip, each a non-secret that its entropy or keyword plugins flag.
 * Anchored on the field name or markup around the value, so a secret elsewhere on the line
 * shape still counts.
 */
export const DETECT_SECRETS_EXCLUDE_LINES: { pattern: string; reason: string }[] = [
  {
    // evaluation/index.jsonl (sha256, fingerprint, prev), each result (transcriptSha256) and the
    // facts of static probes (a file's short sha256): hex digests of files and facts. The site
    // embeds the same JSON lines in its evidence blocks.
    pattern: String.raw`"(sha256|fingerprint|prev|transcriptSha256)": ?"[0-9a-f]{16,64}",?$`,
    reason: 'sha256 digests Proofbook writes into the evidence index, results and facts (hashes of files, not secrets)',
  },
  {
    // One line of evaluation/index.jsonl, matched whole: probe id, status, time, result path and
    // three sha256 digests (result file, facts fingerprint, previous line). Nothing else fits.
    pattern: String.raw`^\{"id":"[\w.-]+","status":"[a-z-]+","startedAt":"[\dT:.Z-]+","result":"[\w./-]+","sha256":"[0-9a-f]{64}","fingerprint":"[0-9a-f]{64}","prev":"(?:[0-9a-f]{64})?"\}$`,
    reason: 'evidence index lines: hashes chaining the append-only index, not secrets',
  },
  {
    // mcp.catalog facts: per tool ("<server>-<tool>"), the first 16 hex of the sha256 of its
    // input schema, to diff the catalog between runs. Also embedded in the runbook pages.
    pattern: String.raw`^\s*"[A-Za-z0-9_]+-[A-Za-z0-9_.-]+": ?"[0-9a-f]{16}",?$`,
    reason: "MCP tool schema fingerprints (truncated sha256 of each tool's input schema), not secrets",
  },
  {
    // secrets.audit facts name each secrets file (never a value): the keyword plugin reads
    // "secretsFile" as a secret assignment.
    pattern: String.raw`^\s*"secretsFile": ?"[\w./-]+\.env",?$`,
    reason: 'the path of a secrets file, not its content',
  },
  {
    // traefik.routes transcript: the serial number of the https certificate the gateway served.
    pattern: String.raw`^\s*"serialNumber": ?"[0-9A-F]{2,40}",?$`,
    reason: 'a TLS certificate serial number is public (sent in every handshake)',
  },
  {
    // The site's Content-Security-Policy (src/site/csp.ts puts it on a line of its own): source
    // keywords, 'self', and the sha256 hashes of the scripts and styles the site ships.
    pattern: String.raw`^<meta http-equiv="content-security-policy" content="(?:[a-z-]+(?: (?:'[a-z-]+'|'sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}'))*;\s*)+">$`,
    reason: 'the hashes of the scripts and styles the site ships, published in every page by design',
  },
];

export interface ScanFinding {
  scanner: 'secretlint' | 'detect-secrets';
  /** Absolute path. */
  file: string;
  line: number;
  column?: number;
  /** The rule or plugin that matched, e.g. `@secretlint/secretlint-rule-aws` / `AWS Access Key`. */
  rule: string;
}

export interface ScanReport {
  findings: ScanFinding[];
  /** Roots that exist and were scanned, and the ones that do not exist (skipped). */
  scanned: string[];
  missing: string[];
  versions: { secretlint: string; detectSecrets: string };
}

export type Log = (line: string) => void;

/** Returns the path of `detect-secrets`, installing the pinned version into `.venv` on first use. */
export function ensureDetectSecrets(log: Log): Promise<string> {
  return ensureLocked({
    venvDir: VENV_DIR,
    lockFile: DETECT_SECRETS_LOCK,
    stampFile: path.join(VENV_DIR, '.proofbook-detect-secrets'),
    executable: path.join(VENV_DIR, 'bin', 'detect-secrets'),
    what: `${DETECT_SECRETS_REQUIREMENT} (first run only)`,
    log,
  });
}

/** secretlint over every file under the roots (gitignored ones too: dist/ is). */
export async function runSecretlint(roots: string[]): Promise<ScanFinding[]> {
  if (!roots.length) return [];
  const globs = roots.map((root) => `${root.split(path.sep).join('/')}/**/*`);
  const result = await execa(
    'secretlint',
    ['--secretlintrc', SECRETLINT_CONFIG, '--no-gitignore', '--format', 'json', '--no-color', ...globs],
    { cwd: PACKAGE_ROOT, preferLocal: true, reject: false, maxBuffer: 1024 * 1024 * 1024 },
  );
  // 0: nothing found, 1: findings; anything else (or no JSON) is the scanner failing.
  let results: { filePath: string; messages: { ruleId: string; messageId?: string; loc?: { start: { line: number; column: number } } }[] }[];
  try {
    results = JSON.parse(result.stdout || '[]');
  } catch {
    throw new Error(`secretlint failed (exit ${result.exitCode}): ${result.stderr.split('\n').slice(0, 5).join(' ')}`);
  }
  if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`secretlint failed (exit ${result.exitCode}): ${result.stderr.split('\n').slice(0, 5).join(' ')}`);
  return results.flatMap((file) =>
    file.messages.map((message) => ({
      scanner: 'secretlint' as const,
      file: file.filePath,
      line: message.loc?.start.line ?? 1,
      column: message.loc ? message.loc.start.column + 1 : undefined,
      rule: message.messageId ? `${message.ruleId} (${message.messageId})` : message.ruleId,
    })),
  );
}

/**
 * detect-secrets over every file under the roots, no network verification. It is run in each root
 * with `.`: given a path outside its working folder it silently scans nothing.
 */
export async function runDetectSecrets(executable: string, roots: string[]): Promise<ScanFinding[]> {
  const findings: ScanFinding[] = [];
  for (const root of roots) {
    const result = await execa(
      executable,
      ['scan', '--no-verify', '--all-files', ...DETECT_SECRETS_EXCLUDE_LINES.flatMap((e) => ['--exclude-lines', e.pattern]), '.'],
      { cwd: root, reject: false, maxBuffer: 256 * 1024 * 1024 },
    );
    if (result.exitCode !== 0) throw new Error(`detect-secrets failed in ${root} (exit ${result.exitCode}): ${result.stderr.split('\n').slice(-5).join(' ')}`);
    const baseline = JSON.parse(result.stdout) as { results: Record<string, { type: string; line_number: number }[]> };
    for (const [file, found] of Object.entries(baseline.results)) {
      for (const f of found) findings.push({ scanner: 'detect-secrets', file: path.resolve(root, file), line: f.line_number, rule: f.type });
    }
  }
  return findings;
}

/** Both scanners over the roots that exist; findings sorted by file and line. */
export async function scanSecrets(roots: string[], log: Log = () => {}): Promise<ScanReport> {
  const scanned: string[] = [];
  const missing: string[] = [];
  for (const root of roots.map((r) => path.resolve(r))) {
    if ((await stat(root).catch(() => undefined))?.isDirectory()) scanned.push(root);
    else missing.push(root);
  }
  const detectSecrets = await ensureDetectSecrets(log);
  const [secretlint, detected] = await Promise.all([runSecretlint(scanned), runDetectSecrets(detectSecrets, scanned)]);
  const findings = [...secretlint, ...detected].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.scanner.localeCompare(b.scanner));
  return { findings, scanned, missing, versions: await scannerVersions(detectSecrets) };
}

async function scannerVersions(detectSecrets: string): Promise<ScanReport['versions']> {
  const secretlintPackage = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'node_modules', 'secretlint', 'package.json'), 'utf8')) as { version: string };
  const detect = await execa(detectSecrets, ['--version'], { reject: false });
  return { secretlint: secretlintPackage.version, detectSecrets: detect.stdout.trim() || DETECT_SECRETS_VERSION };
}

/** `file:line[:col]: [scanner] rule` — no secret value, ever. */
export function formatFinding(finding: ScanFinding, rootDir = process.cwd()): string {
  const relative = path.relative(rootDir, finding.file);
  const shown = relative.startsWith('..') ? finding.file : relative;
  return `${shown}:${finding.line}${finding.column ? `:${finding.column}` : ''}: [${finding.scanner}] ${finding.rule}`;
}
