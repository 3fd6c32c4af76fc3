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
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { readSecretsFiles } from '../secrets/env-files.ts';
import { nameLooksSecret } from '../secrets/secret-shapes.ts';
import { formatWeakSecret, weakness, type WeakSecret } from '../secrets/weak.ts';
import { EVIDENCE_SITE_PATH, type EvidenceStage } from './evidence.ts';
import { scanForSecrets, scanInWorker, type KnownSecret, type SecretLeak } from './secret-scan-files.ts';

export { scanForSecrets, type KnownSecret, type ScanOptions, type SecretLeak } from './secret-scan-files.ts';

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
 * runs beside work it does not have to wait for, on a worker thread (the build's own thread
 * renders): the staged evidence (`stage`, see ../evidence.ts) while the pages render, the pages
 * once they are generated while the search index is built; at the end only what is new or
 * changed since is read (the evidence copy is skipped: it arrives by a rename of what was scanned).
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
        if (evidence) staged = early(Promise.all([secretsNow(), evidence.dir]).then(([{ secrets }, dir]) => (dir ? scanInWorker(dir, secrets) : [])));
      },
      'astro:build:generated': ({ dir }) => {
        pages = early(secretsNow().then(({ secrets }) => scanInWorker(fileURLToPath(dir), secrets, { skip: staged ? EVIDENCE_SITE_PATH : undefined, seen })));
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
