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
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+(?=@)/gi, // passwords in URLs
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

  /** Redacts every string inside a JSON-able value. */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}
