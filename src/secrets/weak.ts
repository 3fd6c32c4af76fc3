/**
 * Weak secrets: values that cannot be redacted safely.
 *
 * The redactor finds secrets by substring. A value that is also ordinary text — `postgres`,
 * `admin`, `12345678` — would be replaced inside every word that holds it (`mcp_[REDACTED]`),
 * which shreds the docs and still gives the value away (the reader sees what was cut out), and the
 * build's secret scan would fail on every page that says the word. So such a value is not used
 * for substring redaction nor by the build scan; instead Proofbook warns, naming the key and its
 * file:line (never the value), that it should be rotated to a random value.
 *
 * THE RULE. A value is weak when it is
 * - `short`:  fewer than MIN_SECRET_LENGTH (8) characters;
 * - `word`:   only letters, at most 10 of them (`postgres`, `changeme`, `Password`) — the length
 *             of ordinary words and of the names in the docs;
 * - `number`: only digits, at most 12 of them (a PIN, a date) — durations, ports, sizes and
 *             timestamps in the evidence are numbers of that size;
 * - `common`: case-insensitively one of the well-known defaults below (`password1`, `p@ssw0rd`,
 *             `administrator`, `postgresql`, `litellm`, `sk-1234`…), or a placeholder
 *             (`your-api-key-here`, `<token>`, `changeme…`, `xxxxxxxx`);
 * - `repetitive`: two or fewer distinct characters (`aaaaaaaa`, `abababab`).
 * The rule looks at the value only, not at the docs, so the same secrets give the same warnings
 * on every run. It is deliberately wider than "appears in the docs today": a word that does not
 * appear yet may appear tomorrow, and such a value is too weak for a secret anyway.
 *
 * The key Proofbook itself sends (the gateway key) is still redacted where it is sent and
 * wherever it stands as a whole value, whatever its length (see Redactor).
 */

/** Values shorter than this are weak. */
export const MIN_SECRET_LENGTH = 8;

export type Weakness = 'short' | 'word' | 'number' | 'common' | 'repetitive';

/** Well-known default and example values (lower case); shorter ones are weak anyway. */
const COMMON_VALUES = new Set([
  'password', 'password1', 'password12', 'password123', 'password1234', 'password!', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'pa$$w0rd', 'pa$$word',
  'changeme', 'changeme1', 'changeme!', 'changeme123', 'changeit', 'change_me', 'change-me',
  'letmein1', 'letmein123', 'welcome1', 'welcome123', 'iloveyou1', 'trustno1', 'qwerty123', 'qwertyuiop', 'asdfghjkl', '1q2w3e4r', '1qaz2wsx',
  'administrator', 'admin123', 'admin1234', 'admin@123', 'root1234', 'toor1234', 'test1234', 'testtest', 'guest123',
  'postgres', 'postgres1', 'postgres123', 'postgresql', 'mysql123', 'redis123', 'mongodb1',
  'litellm', 'litellm1', 'litellm123', 'sk-1234', 'sk-12345', 'sk-123456', 'sk-1234567', 'sk-12345678', 'sk-123456789', 'sk-litellm',
  'secret123', 'mysecret', 'mysecret1', 'supersecret', 'topsecret', 'verysecret', 'secretkey', 'secret-key', 'secret_key', 'masterkey', 'master-key', 'master_key',
  'default1', 'example1', 'sample123', 'placeholder', 'undefined', 'null1234',
]);

/** Placeholders left in from an example file. */
const PLACEHOLDER = /^(?:<[^<>]*>|\$\{[^}]*\}|(?:your|my|the|insert|replace|put)[-_ .]?.*(?:here|key|token|secret|password|value)|replace[-_ ]?me.*|change[-_ ]?me.*|x{4,}|\*{4,}|\.{4,}|todo|tbd|fixme)$/i;

/** Why `value` cannot be redacted safely, or undefined when it can. */
export function weakness(value: string): Weakness | undefined {
  if (value.length < MIN_SECRET_LENGTH) return 'short';
  if (/^\p{L}+$/u.test(value) && [...value].length <= 10) return 'word';
  if (/^\d+$/.test(value) && value.length <= 12) return 'number';
  if (COMMON_VALUES.has(value.toLowerCase()) || PLACEHOLDER.test(value)) return 'common';
  if (new Set(value).size <= 2) return 'repetitive';
  return undefined;
}

export function isWeakSecret(value: string): boolean {
  return weakness(value) !== undefined;
}

const WHY: Record<Weakness, string> = {
  short: `is shorter than ${MIN_SECRET_LENGTH} characters`,
  word: 'is an ordinary word (letters only, 10 or fewer)',
  number: 'is a short number (digits only, 12 or fewer)',
  common: 'is a well-known default or placeholder value',
  repetitive: 'repeats one or two characters',
};

export interface WeakSecret {
  /** The key that holds the value, e.g. `POSTGRES_PASSWORD`. */
  name: string;
  /** Where it was read, e.g. `secrets/mcp-postgres.env:2` or `environment`. */
  source?: string;
  reason: Weakness;
  /** Proofbook sends it itself (the gateway key). */
  sent?: boolean;
}

/** `warning: KEY (file:line) …` — the key and where it is, never the value. */
export function formatWeakSecret(weak: WeakSecret): string {
  const where = weak.source ? ` (${weak.source})` : '';
  const still = weak.sent
    ? ' Proofbook still redacts it where it sends it (request headers) and wherever it stands as a whole value, but not inside other text.'
    : '';
  return (
    `warning: ${weak.name}${where} is a weak secret: its value ${WHY[weak.reason]}, so it cannot be redacted safely ` +
    `(replacing it inside other words would shred the docs and still give it away) and is not redacted.${still} ` +
    'Rotate it to a long random value (e.g. `openssl rand -hex 24`).'
  );
}
