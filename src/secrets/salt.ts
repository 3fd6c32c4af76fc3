/**
 * Keyed fingerprints of secret values: a short HMAC-SHA256 under a random salt that belongs to
 * the workspace and never leaves it.
 *
 * A fingerprint lets the evidence show that a value changed between two runs (or that two files
 * hold the same value) without showing the value. Unsalted, `sha256(value)[:8]` is reversible by
 * guessing: an 8-digit password falls in minutes. Keyed with a salt nobody outside the workspace
 * has, a published fingerprint says nothing about the value.
 *
 * The salt: `$PROOFBOOK_FINGERPRINT_SALT` when set (e.g. a CI secret, so that runs in fresh
 * checkouts fingerprint alike), else `<workspace>/.proofbook/salt` — 32 random bytes in hex,
 * created on first use with mode 0600, in `.proofbook/`, which holds a `.gitignore` that keeps the
 * salt out of git even where the workspace does not ignore `.proofbook/`. The same workspace
 * gives the same fingerprints run after run; deleting the salt changes them all once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SALT_ENV = 'PROOFBOOK_FINGERPRINT_SALT';
/** Where the salt lives, relative to the workspace root. */
export const SALT_FILE = path.join('.proofbook', 'salt');
/** Hex characters kept of the HMAC. */
export const FINGERPRINT_LENGTH = 8;

export class SaltError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaltError';
  }
}

const cache = new Map<string, Buffer>();

/** The workspace's salt, created on first use. */
export function workspaceSalt(rootDir: string, env: Record<string, string | undefined> = process.env): Buffer {
  const fromEnv = env[SALT_ENV];
  if (fromEnv) {
    if (fromEnv.length < 16) throw new SaltError(`${SALT_ENV} is too short to key fingerprints; use at least 16 random characters (e.g. \`openssl rand -hex 32\`)`);
    return Buffer.from(fromEnv, 'utf8');
  }
  const file = path.resolve(rootDir, SALT_FILE);
  const known = cache.get(file);
  if (known) return known;
  let salt = readSalt(file);
  if (!salt) {
    createSalt(file);
    salt = readSalt(file);
  }
  if (!salt) throw new SaltError(`${file} is not a fingerprint salt (64 hex characters); delete it and run again (fingerprints then change once)`);
  cache.set(file, salt);
  return salt;
}

function readSalt(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SaltError(`cannot read the fingerprint salt ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new SaltError(`${file} is not a fingerprint salt (64 hex characters); delete it and run again (fingerprints then change once)`);
  return Buffer.from(text, 'hex');
}

/**
 * Writes a new salt in one atomic step: a private temp file, then a hard link to the final name,
 * which fails if another process made one first (then theirs is used). A reader never sees a
 * half-written salt.
 */
function createSalt(file: string): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ignore = path.join(dir, '.gitignore');
  if (!existsSync(ignore)) {
    try {
      writeFileSync(ignore, '# Proofbook: the fingerprint salt keys published fingerprints; it never goes into git\nsalt\nsalt.*\n', { flag: 'wx' });
    } catch {
      // Another process wrote it, or the folder is read-only: the salt is what matters.
    }
  }
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(temp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600); // whatever the umask
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** First FINGERPRINT_LENGTH hex of HMAC-SHA256(salt, value). */
export function keyedFingerprint(value: string, salt: Buffer): string {
  return createHmac('sha256', salt).update(value).digest('hex').slice(0, FINGERPRINT_LENGTH);
}

/** Forgets cached salts (tests that delete a workspace's salt). */
export function forgetSalts(): void {
  cache.clear();
}
