/**
 * One redactor for everything Proofbook writes or prints: evidence, docs and console lines.
 * It knows every secret value (and the forms a value travels in: escaped, encoded, split over
 * lines — see forms.ts) plus generic patterns for credentials it was never told about.
 *
 * - A secret that is not weak (weak.ts) is replaced wherever any of its forms appears, by one
 *   combined matcher built once per set of secrets (not per call).
 * - A weak secret is not replaced inside other text (that would shred the docs and still give it
 *   away); it is reported by `weakSecrets()` / `warnings()` so the caller can say which key to rotate.
 * - A value Proofbook sends itself (`sent`: the gateway key) is replaced wherever it stands as a
 *   whole value — a JSON string, `Bearer <value>`, a whole string given to `redact` — whatever its
 *   length, on top of the above; and the value of every credential header (`authorization`,
 *   `x-litellm-api-key`, `cookie`…) in a recorded exchange is replaced whatever it is.
 */
import { literal, SecretMatcher } from './forms.ts';
import { CREDENTIAL_FLAG, CREDENTIAL_HEADER, CREDENTIAL_HEADER_NAME, nameLooksSecret, SK_KEY, VENDOR_TOKEN } from './secret-shapes.ts';
import { formatWeakSecret, MIN_SECRET_LENGTH, weakness, type WeakSecret } from './weak.ts';

export const REDACTED = '[REDACTED]';
export { MIN_SECRET_LENGTH, type WeakSecret } from './weak.ts';

/** A secret with what is known about it; a plain string is a value of unknown name. */
export interface SecretInput {
  value: string | undefined;
  /** The key that holds it (`POSTGRES_PASSWORD`, `general_settings.master_key`): named in warnings, never the value. */
  name?: string;
  /** Where it was read: `secrets/litellm.env:3`, `config.yaml:12`, `environment`. */
  source?: string;
  /** Proofbook sends this value itself (in a header): redacted as a whole value whatever its length. */
  sent?: boolean;
  /** The holder says it is a secret (default: judged by `name`); a weak secret is then reported. */
  secret?: boolean;
}

/** A value that is not a credential but a reference to one, or already redacted: left alone. */
const REFERENCE = /^(?:\[REDACTED|\$|<|\{\{|%\(|os\.environ\/)/;
const isReference = (value: string) => !value || REFERENCE.test(value);

/** Auth schemes kept in front of a redacted credential, so a transcript still says which was sent. */
const SCHEME = String.raw`(?:Bearer|Basic|Token|Digest|ApiKey|Api-Key|Key)`;
/** The same, for a case-sensitive expression (a secret value is matched case-sensitively). */
const SCHEME_ANY_CASE = String.raw`(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|[Dd]igest|[Aa]pi-?[Kk]ey|[Kk]ey)`;


/** Assignments whose value is a password: `password=…` in a DSN (`host=db password=x`) or a query string. */
const PASSWORD_NAME = String.raw`(?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd)`;
/** Query parameters whose value is a credential: `?access_token=…`, `&api_key=…`. */
const TOKEN_PARAM = String.raw`(?:[A-Za-z0-9]+[_-])*(?:token|secret|api[_-]?key|apikey|access[_-]?key|key|auth|sig|signature)`;

interface Pattern {
  regex: RegExp;
  /** Replaces a match; returns it unchanged to leave it. */
  replace: (match: string, ...groups: (string | undefined)[]) => string;
  /** A cheap test that the text may hold a match at all (most texts hold none). */
  may?: (text: string) => boolean;
}

const whole = () => REDACTED;
/** Keeps group 1 (the context), redacts group 2 unless it is a reference. */
const keepPrefix = (match: string, prefix?: string, value?: string) => (value === undefined || isReference(value) ? match : `${prefix ?? ''}${REDACTED}`);

// Each expression starts at a fixed string where it can (`sk-`, `Bearer`, `://`, `password`) and
// looks behind for the rest, so the engine skips ahead instead of trying every position.
const PATTERNS: Pattern[] = [
  // OpenAI/LiteLLM-style keys, and the token formats of GitHub, GitLab and Slack.
  { regex: new RegExp(String.raw`\b${SK_KEY}`, 'g'), replace: whole, may: (t) => t.includes('sk-') },
  { regex: new RegExp(String.raw`\b(?:${VENDOR_TOKEN})`, 'g'), replace: whole },
  // Bearer tokens.
  { regex: /(\bBearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi, replace: keepPrefix, may: (t) => /bearer/i.test(t) },
  // Passwords in URLs, the user name possibly empty (`redis://:pass@host`); quotes and commas end
  // a URL, so the match never spans JSON fields.
  { regex: /(:\/\/(?<=\b[a-z][a-z0-9+.-]*:\/\/)[^:/\s@"',]*:)([^@\s/"',]+)(?=@)/gi, replace: (m, p, v) => (v === REDACTED ? m : `${p}${REDACTED}`), may: (t) => t.includes('://') },
  // `password=…` in a DSN or query string, bare or quoted (`password='two words'`).
  {
    regex: new RegExp(String.raw`((?:passw(?:or)?d|pwd)(?<=(?:^|[\s?&;,"'(])(?:[A-Za-z0-9]+[_-])*(?:passw(?:or)?d|pwd))\s*=\s*)(?:'([^'\n]*)'|([^\s&;"',)]+))`, 'gim'),
    replace: (m, p, quoted, bare) => (quoted === undefined ? keepPrefix(m, p, bare) : isReference(quoted) ? m : `${p}'${REDACTED}'`),
    may: (t) => /pass|pwd/i.test(t),
  },
  { regex: new RegExp(String.raw`([?&;]${TOKEN_PARAM}=)([^\s&#"',;]{8,})`, 'gi'), replace: keepPrefix },
  // A credential flag on a command line (`--api-key X`, `--token=X`) …
  { regex: new RegExp(String.raw`((?:^|[\s"'\[,=])${CREDENTIAL_FLAG}(?:=|[ \t]+))([^\s"',\]]+)`, 'gim'), replace: (m, p, v) => (v?.startsWith('-') ? m : keepPrefix(m, p, v)) },
  // … and as two items of a JSON or YAML flow list (`"--token", "X"`).
  { regex: new RegExp(String.raw`((["'])${CREDENTIAL_FLAG}\2\s*,\s*(["']))((?:[^"'\\]|\\.)+)(?=\3)`, 'gi'), replace: (m, p, _q1, _q2, v) => (v?.startsWith('-') ? m : keepPrefix(m, p, v)) },
  // The value of a credential header in a recorded exchange (JSON), whatever its length.
  { regex: new RegExp(String.raw`("(?:${CREDENTIAL_HEADER})"\s*:\s*"(?:${SCHEME}\s+)?)((?:[^"\\]|\\.)*)(?=")`, 'gi'), replace: keepPrefix },
];

const WITH_SCHEME = new RegExp(`^(${SCHEME}\\s+)(.*)$`, 'is');
const WITH_SCHEME_ANY_CASE = new RegExp(`^${SCHEME_ANY_CASE}\\s+(.*)$`, 's');

/** `value` with its credential part replaced, keeping an auth scheme in front (`Bearer [REDACTED]`). */
function redactCredential(value: string): string {
  const scheme = WITH_SCHEME.exec(value);
  if (scheme) return isReference(scheme[2]!) ? value : `${scheme[1]}${REDACTED}`;
  return isReference(value) ? value : REDACTED;
}

export class Redactor {
  private readonly strong = new Set<string>();
  private readonly sentValues = new Set<string>();
  private readonly weak: WeakSecret[] = [];
  private matcher?: SecretMatcher<string>;
  private sentPattern?: RegExp;
  private dirty = false;

  constructor(secrets: Iterable<string | SecretInput | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /**
   * Adds secrets. A value that is not weak is replaced in every form; a weak one is not replaced
   * inside other text and, when it is a secret by its holder's say or its key's name, reported.
   */
  add(...secrets: (string | SecretInput | undefined)[]): void {
    for (const secret of secrets) this.addOne(secret);
  }

  private addOne(secret: string | SecretInput | undefined): void {
    const input: SecretInput = typeof secret === 'string' || secret === undefined ? { value: secret } : secret;
    const value = input.value;
    if (!value) return;
    if (input.sent) {
      this.sentValues.add(value);
      this.dirty = true;
    }
    const reason = weakness(value);
    if (!reason) {
      if (!this.strong.has(value)) {
        this.strong.add(value);
        this.dirty = true;
      }
      return;
    }
    const isSecret = input.sent || (input.secret ?? (input.name ? nameLooksSecret(input.name) : false));
    if (input.name && isSecret && !this.weak.some((w) => w.name === input.name && w.source === input.source)) {
      this.weak.push({ name: input.name, ...(input.source ? { source: input.source } : {}), reason, ...(input.sent ? { sent: true } : {}) });
    }
  }

  /** Secrets that are too weak to redact by substring, in the order added. */
  weakSecrets(): WeakSecret[] {
    return [...this.weak];
  }

  /** One `warning: KEY (file:line) …` line per weak secret (never the value). */
  warnings(): string[] {
    return this.weak.map(formatWeakSecret);
  }

  private build(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.matcher = new SecretMatcher([...this.strong].map((value) => ({ value, label: value })));
    // A sent value as a whole: a JSON string (optionally with an auth scheme), or after an auth scheme.
    const sent = [...this.sentValues].sort((a, b) => b.length - a.length);
    if (sent.length) {
      const values = sent.flatMap((v) => [literal(v), literal(JSON.stringify(v).slice(1, -1))]).join('|');
      this.sentPattern = new RegExp(
        String.raw`("(?:${SCHEME_ANY_CASE}\s+)?)(?:${values})(?=\\*")|(\b${SCHEME_ANY_CASE}\s+)(?:${values})(?![A-Za-z0-9._~+/=-])`,
        'g',
      );
    }
  }

  redact(text: string): string {
    this.build();
    if (this.sentValues.has(text)) return REDACTED;
    let out = this.matcher ? this.matcher.replace(text, REDACTED) : text;
    if (this.sentPattern) {
      const exact = WITH_SCHEME_ANY_CASE.exec(out);
      if (exact && this.sentValues.has(exact[1]!)) return redactCredential(out);
      this.sentPattern.lastIndex = 0;
      out = out.replace(this.sentPattern, (_match, quote?: string, scheme?: string) => `${quote ?? scheme ?? ''}${REDACTED}`);
    }
    for (const { regex, replace, may } of PATTERNS) {
      if (may && !may(out)) continue;
      regex.lastIndex = 0;
      out = out.replace(regex, replace as (substring: string, ...args: unknown[]) => string);
    }
    return out;
  }

  /**
   * Redacts every string (and object key) inside a JSON-able value, one string at a time. The
   * value of a credential header (`authorization`, `x-litellm-api-key`…) is redacted whole.
   */
  redactValue<T>(value: T): T {
    const walk = (node: unknown): unknown => {
      if (typeof node === 'string') return this.redact(node);
      if (Array.isArray(node)) return node.map(walk);
      if (node && typeof node === 'object') {
        return Object.fromEntries(
          Object.entries(node).map(([key, inner]) => [
            this.redact(key),
            typeof inner === 'string' && CREDENTIAL_HEADER_NAME.test(key) ? redactCredential(this.redact(inner)) : walk(inner),
          ]),
        );
      }
      return node;
    };
    return walk(value) as T;
  }
}
