/**
 * Checks several probes share: findings and their one-line summary, fingerprints of secrets
 * (keyed with the workspace's salt) and whether a value looks like a secret. (Scrubbing an
 * outcome is the runner's: src/probes/context.ts.)
 */
import { createHash } from 'node:crypto';
import { CREDENTIAL_FLAG, nameLooksSecret, SK_KEY, VENDOR_TOKEN } from '../../secrets/secret-shapes.ts';
import { keyedFingerprint, workspaceSalt } from '../../secrets/salt.ts';
import { failsThenWarnings, formatFinding, type Finding } from '../../model/findings.ts';

/** Findings may name a column (YAML syntax errors); kept as an alias for readability. */
export type LocatedFinding = Finding;
export const formatLocated = formatFinding;

/** Values shorter than this get no fingerprint: nothing needs one, and it would be a guessing target if the salt leaked. */
export const MIN_FINGERPRINT_LENGTH = 8;

/**
 * A short fingerprint of a value, to show in evidence that it changed between runs without
 * revealing it; undefined for empty or short values.
 *
 * With `rootDir` (the workspace, `config.rootDir`) it is keyed: the first 8 hex of
 * HMAC-SHA256(salt, value), the salt being the workspace's (`<rootDir>/.proofbook/salt`, random,
 * created 0600 on first use, never in git; or `$PROOFBOOK_FINGERPRINT_SALT`). Stable run after
 * run in one workspace, and not reversible by guessing without the salt. secrets.audit always
 * passes it.
 *
 * Without `rootDir` it is the legacy unsalted `sha256(value)[:8]`, reversible by guessing for
 * weak values; every probe passes its workspace's root.
 */
export function fingerprint(value: string, rootDir?: string): string | undefined {
  if (value.length < MIN_FINGERPRINT_LENGTH) return undefined;
  if (rootDir === undefined) return createHash('sha256').update(value).digest('hex').slice(0, 8);
  return keyedFingerprint(value, workspaceSalt(rootDir));
}

/** How a path is shown: kept here for the probes that import it from the kit. */
export { displayPath } from '../../fs/paths.ts';

/** One summary line: the pass text, or the counts and the first findings (fails first). */
export function summarizeFindings(findings: LocatedFinding[], passSummary: string, limit = 5): string {
  const shown = failsThenWarnings(findings);
  if (!shown.length) return passSummary;
  const fails = shown.filter((f) => f.severity === 'fail');
  const warns = shown.filter((f) => f.severity === 'warn');
  const counts = [fails.length && `${fails.length} fail`, warns.length && `${warns.length} warn`].filter(Boolean).join(', ');
  const listed = shown.slice(0, limit).map(formatLocated).join('; ');
  const more = shown.length > limit ? `; … ${shown.length - limit} more in facts.findings` : '';
  return `${counts}: ${listed}${more}`;
}

export const now = () => new Date().toISOString();

/**
 * Values that are secrets whatever holds them: `sk-…` keys and other known token formats
 * (`ghp_…`, `github_pat_…`, `glpat-…`, `xox?-…`), passwords in URLs (the user name possibly empty:
 * `redis://:pass@host`), bearer tokens, `password=…` in a DSN, a credential flag with its value
 * (`--token=X`, `--api-key X` in one string).
 */
export const SECRET_VALUE_PATTERNS: RegExp[] = [
  new RegExp(String.raw`\b${SK_KEY}`),
  /\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:[^@\s/]+@/i,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/i,
  new RegExp(String.raw`\b(?:${VENDOR_TOKEN})`),
  /(?:^|[\s?&;])(?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd)\s*=\s*(?!\$|<|os\.environ\/)[^\s&;]+/i,
  new RegExp(String.raw`(?:^|\s)${CREDENTIAL_FLAG}(?:=|[ \t]+)(?![-$<])\S+`, 'i'),
];

/** Whether a value is (probably) a secret, judging by the value and the name that holds it (one rule for names: nameLooksSecret). */
export function looksSecret(name: string, value: string): boolean {
  return SECRET_VALUE_PATTERNS.some((pattern) => pattern.test(value)) || (nameLooksSecret(name) && value.length >= 6);
}

