/**
 * What marks a secret, written once for everything that asks: a name that says its value is a
 * secret, a command-line flag whose next word is a credential, and the token formats that are
 * secrets whatever holds them. The redactor, the inline-secret scan of config.yaml and the
 * probes' checks (`looksSecret`) build their expressions from these, so a name or a flag one of
 * them treats as a secret is one for all of them.
 */

const SECRET_WORD = /^(?:(?:api)?keys?|tokens?|secrets?|passw(?:or)?ds?|pass|pwd|auth|credentials?|pat|passphrase|authorization)$/;

/**
 * Whether a name says its value is a secret: its last word (camelCase, `_`, `-` and `.` split
 * words) is KEY, API_KEY, TOKEN, SECRET, PASSWORD, PASSWD, PASS, PWD, AUTH, CREDENTIALS, PAT,
 * PASSPHRASE or AUTHORIZATION — `POSTGRES_PASSWORD`, `apiKey`, `x-api-key`, `general_settings.master_key`
 * — or it ends with LiteLLM's `auth_value`. A name that only mentions one (`TOKEN_URL`,
 * `auth_type`, `PASSWORD_FILE`, `DEBUG`) holds a setting, not a secret.
 */
export function nameLooksSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  const last = words.at(-1);
  if (!last) return false;
  return SECRET_WORD.test(last) || (last === 'value' && words.at(-2) === 'auth');
}

/**
 * Header (and JSON field) names whose value is a credential, as a regular expression source to
 * match whole and case-insensitively: `Authorization`, `Cookie`, `x-api-key`, `X-Auth-Token`,
 * LiteLLM's per-server `x-mcp-<alias>-authorization`.
 */
export const CREDENTIAL_HEADER = String.raw`(?:proxy-)?authorization|(?:set-)?cookie|[a-z0-9_-]*?(?:authorization|api[-_]?key|apikey|auth-token|access-token|token|secret|password|passwd)|x-[a-z0-9-]*?(?:auth|token|key)`;
/** Whether a JSON field or header name, taken whole, names a credential (the redactor's walk over recorded values). */
export const CREDENTIAL_HEADER_NAME = new RegExp(`^(?:${CREDENTIAL_HEADER})$`, 'i');
/** A credential word between separators anywhere in a header's name (`X-Token-Type` is not spared). */
const CREDENTIAL_HEADER_WORD = /(?:^|[-_])(?:authorization|api[-_]?key|apikey|token|secret|password|passwd|cookie)(?:[-_]|$)|(?:^|[-_])key$/i;

/**
 * Whether a header a client or Traefik sends carries a credential (the client probes and Traefik's
 * custom headers): the whole-name rule, or a credential word anywhere in the name.
 */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER_NAME.test(name) || CREDENTIAL_HEADER_WORD.test(name);
}

/** Command-line flags whose next word is a credential: `--api-key`, `--token`, `--db-password`… (a regular expression source). */
export const CREDENTIAL_FLAG = String.raw`--?(?:[A-Za-z0-9]+-)*(?:api-?key|access-key|secret-key|master-key|auth-key|private-key|token|password|passwd|pwd|pass|secret|client-secret)`;

/** OpenAI/LiteLLM-style keys (`sk-…`) (a regular expression source). */
export const SK_KEY = String.raw`sk-[A-Za-z0-9_-]{8,}`;

/** The token formats of GitHub, GitLab and Slack (a regular expression source). */
export const VENDOR_TOKEN = String.raw`gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}`;
