/**
 * One redactor for everything Proofbook writes or prints: evidence, docs and console lines.
 * It knows every secret value (and the encodings a value travels in) plus generic patterns.
 */
export const REDACTED = '[REDACTED]';

/** Values shorter than this are not treated as secrets: redacting "1" or "true" would shred text. */
const MIN_SECRET_LENGTH = 6;

const PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI/LiteLLM-style keys
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, // bearer tokens
  // Passwords in URLs; quotes and commas end a URL, so the match never spans JSON fields.
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@"',]+:)[^@\s/"',]+(?=@)/gi,
];

export class Redactor {
  private readonly needles: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Adds a secret value and its encoded forms (JSON-escaped, URL-encoded, base64). */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    const forms = new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ]);
    for (const form of forms) if (form.length >= MIN_SECRET_LENGTH && !this.needles.includes(form)) this.needles.push(form);
    // Longest first, so a secret that contains another is replaced whole.
    this.needles.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const needle of this.needles) out = out.split(needle).join(REDACTED);
    for (const pattern of PATTERNS) out = out.replace(pattern, REDACTED);
    return out;
  }

  /** Redacts every string (and object key) inside a JSON-able value, one string at a time. */
  redactValue<T>(value: T): T {
    const walk = (node: unknown): unknown => {
      if (typeof node === 'string') return this.redact(node);
      if (Array.isArray(node)) return node.map(walk);
      if (node && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node).map(([key, inner]) => [this.redact(key), walk(inner)]));
      }
      return node;
    };
    return walk(value) as T;
  }
}
