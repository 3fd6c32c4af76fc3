/**
 * The last step of every build: no known secret value may be in the output folder. Evidence
 * and generated regions are redacted when written, but a hand-written runbook, a pasted log
 * or a new renderer could still leak one; this is the net under all of them.
 *
 * Known secrets are every value in the config's secrets files, plus the gateway key from the
 * environment — except weak ones (src/secrets/weak.ts: shorter than 8 characters, an ordinary
 * word, a short number, a well-known default), which cannot be looked for without failing on
 * every page that uses the word; the build warns about those by key and file:line instead.
 * Every file of the output is searched for each value in every form the redactor knows
 * (src/secrets/forms.ts): as written, HTML-, JSON- and URL-encoded, `\uXXXX`-escaped, HTML
 * entities, split over two lines, hex, base64 at any alignment and in either alphabet — one
 * decoding and one search pass per file, streamed in overlapping windows. The error names the
 * files, the secret's key and source line and the form, never the value.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { readSecretsFiles } from '../secrets/env-files.ts';
import { SecretMatcher } from '../secrets/forms.ts';
import { nameLooksSecret } from '../secrets/secret-shapes.ts';
import { formatWeakSecret, weakness, type WeakSecret } from '../secrets/weak.ts';
import { EVIDENCE_SITE_PATH, type EvidenceStage } from './evidence.ts';

export interface KnownSecret {
  value: string;
  /** What to call it in an error: `LITELLM_MASTER_KEY (secrets/litellm.env:1)`. */
  name: string;
}

export interface SecretLeak {
  /** Output file, relative to the output folder. */
  file: string;
  /** The secret's name; '' for a link (nothing can be said of what it points at). */
  secret: string;
  /** How the value was written; `link` for a symbolic link or special file in the output. */
  form: string;
}

/** The secrets the build looks for, and the weak ones it cannot look for (by key and place, never the value). */
export async function classifyKnownSecrets(
  secretsFiles: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<{ secrets: KnownSecret[]; weak: WeakSecret[] }> {
  const { entries } = await readSecretsFiles([...secretsFiles]);
  const all = entries.map((e) => ({ value: e.value, key: e.key, source: `${e.file}:${e.line}`, sent: false }));
  for (const [key, value] of Object.entries(env)) if (value) all.push({ value, key, source: 'environment', sent: true });
  const secrets: KnownSecret[] = [];
  const weak: WeakSecret[] = [];
  for (const { value, key, source, sent } of all) {
    if (!value) continue;
    const reason = weakness(value);
    if (!reason) secrets.push({ value, name: `${key} (${source})` });
    else if (sent || nameLooksSecret(key)) weak.push({ name: key, source, reason, ...(sent ? { sent } : {}) });
  }
  return { secrets, weak };
}

/** Every secret the build looks for (not the weak ones: see classifyKnownSecrets). */
export async function knownSecrets(secretsFiles: readonly string[], env: Record<string, string | undefined> = {}): Promise<KnownSecret[]> {
  return (await classifyKnownSecrets(secretsFiles, env)).secrets;
}

/**
 * The literal forms a value takes in a page, a script, a URL or a JSON file. The scan finds these
 * and more (see SecretMatcher); this list is what a test can write into a file.
 */
export function secretForms(value: string): Map<string, string> {
  const forms = new Map<string, string>([
    ['as written', value],
    ['HTML-escaped', value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')],
    ['JSON-escaped', JSON.stringify(value).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(value)],
    ['base64', Buffer.from(value).toString('base64')],
  ]);
  const unique = new Map<string, string>();
  for (const [form, text] of forms) if (![...unique.values()].includes(text)) unique.set(form, text);
  return unique;
}

export interface ScanOptions {
  /** A top folder of `dir` (e.g. `evidence`) already scanned where it was staged. */
  skip?: string;
  /**
   * Files already scanned, by path relative to `dir` → their version (size, times, inode): such a
   * file is not read again unless it changed since. Every file this scan reads is added.
   */
  seen?: Map<string, string>;
}

export async function scanForSecrets(dir: string, secrets: readonly KnownSecret[], { skip, seen }: ScanOptions = {}): Promise<SecretLeak[]> {
  const matcher = new SecretMatcher(secrets.map((secret) => ({ value: secret.value, label: secret.name })));
  const leaks: SecretLeak[] = [];
  const skipped = skip === undefined ? undefined : path.join(dir, skip);
  const entries = await listTree(dir);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (skipped && (file === skipped || file.startsWith(`${skipped}${path.sep}`))) continue;
    const relative = path.relative(dir, file).split(path.sep).join('/');
    // Exactly what will be served: a link would be served as its target, which this scan cannot vouch for.
    if (entry.isSymbolicLink() || (!entry.isFile() && !entry.isDirectory())) {
      leaks.push({ file: relative, secret: '', form: 'link' });
      continue;
    }
    if (!entry.isFile() || !matcher.size) continue;
    try {
      if (seen) {
        const info = await stat(file, { bigint: true });
        const version = `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
        if (seen.get(relative) === version) continue;
        seen.set(relative, version);
      }
      for (const leak of await scanFile(file, matcher)) leaks.push({ file: relative, ...leak });
    } catch (error) {
      if (!gone(error)) throw error; // removed while scanned (Astro's own temporary files): it will not be served
    }
  }
  return leaks;
}

const gone = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * Every entry below `dir`. Astro removes its temporary folders (`.prerender/`) while the build's
 * last hooks run: a folder that vanishes during the listing makes it start again (what is gone
 * is not served); the folder itself missing is an error.
 */
async function listTree(dir: string, attempts = 5): Promise<Dirent[]> {
  try {
    return await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if (!gone(error) || attempts <= 1 || (error as NodeJS.ErrnoException).path === dir) throw error;
    return listTree(dir, attempts - 1);
  }
}

async function scanFile(file: string, matcher: SecretMatcher): Promise<{ secret: string; form: string }[]> {
  const found = new Map<string, { secret: string; form: string }>();
  // Windows overlap by the longest span a match can take, so a value split across two reads is
  // still found; a match is kept once per secret and form.
  const decoder = new StringDecoder('utf8');
  let carry = '';
  const search = (window: string) => {
    for (const match of matcher.find(window)) found.set(`${match.label}\0${match.form}`, { secret: match.label, form: match.form });
  };
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    const window = carry + decoder.write(chunk);
    search(window);
    carry = window.slice(Math.max(0, window.length - matcher.maxSpan));
  }
  const rest = decoder.end();
  if (rest) search(carry + rest);
  return [...found.values()];
}

export class SecretLeakError extends Error {
  readonly leaks: SecretLeak[];
  constructor(dir: string, leaks: SecretLeak[]) {
    const lines = leaks.map((leak) =>
      leak.form === 'link' ? `  ${leak.file}: a symbolic link or special file, served as whatever it points at` : `  ${leak.file}: the value of ${leak.secret} (${leak.form})`,
    );
    super(
      `Secret values found in the built site — do not publish ${dir}:\n${lines.join('\n')}\n` +
        'Remove the value from the runbook or evidence it came from (refresh-docs redacts what it writes), then build again.',
    );
    this.name = 'SecretLeakError';
    this.leaks = leaks;
  }
}

/**
 * Astro integration: list it last, so it sees everything the other integrations wrote. The scan
 * runs beside work it does not have to wait for: the staged evidence (`stage`, see
 * ../evidence.ts) while the pages render, the pages once they are generated while the search
 * index is built; at the end only what is new or changed since is read (the evidence copy is
 * skipped: it arrives by a rename of what was scanned).
 */
export function secretScan({ secretsFiles, keyEnvVar, stage }: { secretsFiles: readonly string[]; keyEnvVar?: string; stage?: EvidenceStage }): AstroIntegration {
  let staged: Promise<SecretLeak[]> | undefined;
  let pages: Promise<SecretLeak[]> | undefined;
  const seen = new Map<string, string>();
  let known: ReturnType<typeof classifyKnownSecrets> | undefined;
  const secretsNow = () => (known ??= classifyKnownSecrets(secretsFiles, keyEnvVar ? { [keyEnvVar]: process.env[keyEnvVar] } : {}));
  // Started early and awaited at the end, where a failure is reported; until then it is not unhandled.
  const early = (work: Promise<SecretLeak[]>) => (work.catch(() => undefined), work);
  return {
    name: 'proofbook-secret-scan',
    hooks: {
      'astro:config:setup': ({ command }) => {
        const evidence = command === 'build' ? stage?.staged() : undefined;
        if (evidence) staged = early(Promise.all([secretsNow(), evidence.dir]).then(([{ secrets }, dir]) => (dir ? scanForSecrets(dir, secrets) : [])));
      },
      'astro:build:generated': ({ dir }) => {
        pages = early(secretsNow().then(({ secrets }) => scanForSecrets(fileURLToPath(dir), secrets, { skip: staged ? EVIDENCE_SITE_PATH : undefined, seen })));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        const { secrets, weak } = await secretsNow();
        for (const secret of weak) logger.warn(formatWeakSecret(secret).replace(/^warning: /, ''));
        const leaks = [...((await staged) ?? []), ...((await pages) ?? [])];
        leaks.push(...(await scanForSecrets(out, secrets, { skip: staged ? EVIDENCE_SITE_PATH : undefined, seen })));
        if (leaks.length) throw new SecretLeakError(out, dedupe(leaks));
        logger.info(`No known secret value in the output (${secrets.length} checked).`);
      },
    },
  };
}

/** A file changed after the early scan is read again: its leaks are said once. */
function dedupe(leaks: SecretLeak[]): SecretLeak[] {
  const unique = new Map(leaks.map((leak) => [`${leak.file}\0${leak.secret}\0${leak.form}`, leak]));
  return [...unique.values()];
}
