/**
 * The last step of every build: no known secret value may be in the output folder. Evidence
 * and generated regions are redacted when written, but a hand-written runbook, a pasted log
 * or a new renderer could still leak one; this is the net under all of them.
 *
 * Known secrets are every value (≥ 6 characters, as the redactor) in the config's secrets
 * files, plus the gateway key from the environment. Every file of the output is searched
 * for each value as written and in the encodings a page or JSON carries it (HTML-escaped,
 * JSON-escaped, URL-encoded, base64), as bytes, streamed. The error names the files and the
 * secret's key and source line, never the value.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { readSecretsFiles } from '../secrets/env-files.ts';

const MIN_SECRET_LENGTH = 6;

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

export async function knownSecrets(secretsFiles: readonly string[], env: Record<string, string | undefined> = {}): Promise<KnownSecret[]> {
  const { entries } = await readSecretsFiles([...secretsFiles]);
  const secrets = entries.map((e) => ({ value: e.value, name: `${e.key} (${e.file}:${e.line})` }));
  for (const [key, value] of Object.entries(env)) if (value) secrets.push({ value, name: `${key} (environment)` });
  return secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
}

/** The forms a value takes in a page, a script, a URL or a JSON file. */
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

export async function scanForSecrets(dir: string, secrets: readonly KnownSecret[]): Promise<SecretLeak[]> {
  const needles = secrets.flatMap((secret) => [...secretForms(secret.value)].map(([form, text]) => ({ secret: secret.name, form, bytes: Buffer.from(text) })));
  if (!needles.length) return [];
  const longest = Math.max(...needles.map((n) => n.bytes.length));
  const leaks: SecretLeak[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    // Exactly what will be served: a link would be served as its target, which this scan cannot vouch for.
    if (entry.isSymbolicLink() || (!entry.isFile() && !entry.isDirectory())) {
      leaks.push({ file: path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'), secret: '', form: 'link' });
      continue;
    }
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const found = new Set<number>();
    // Chunks overlap by the longest needle, so a value split across two reads is still found.
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      const window = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      needles.forEach((needle, i) => {
        if (!found.has(i) && window.includes(needle.bytes)) found.add(i);
      });
      carry = window.subarray(Math.max(0, window.length - (longest - 1)));
    }
    for (const i of found) leaks.push({ file: path.relative(dir, file).split(path.sep).join('/'), secret: needles[i]!.secret, form: needles[i]!.form });
  }
  return leaks;
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

/** Astro integration: list it last, so it sees everything the other integrations wrote. */
export function secretScan({ secretsFiles, keyEnvVar }: { secretsFiles: readonly string[]; keyEnvVar?: string }): AstroIntegration {
  return {
    name: 'proofbook-secret-scan',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        const secrets = await knownSecrets(secretsFiles, keyEnvVar ? { [keyEnvVar]: process.env[keyEnvVar] } : {});
        const leaks = await scanForSecrets(out, secrets);
        if (leaks.length) throw new SecretLeakError(out, leaks);
        logger.info(`No known secret value in the output (${secrets.length} checked).`);
      },
    },
  };
}
