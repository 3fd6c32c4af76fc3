/**
 * Caps every string of a JSON (or SSE-framed JSON) byte stream as it passes, so a server's 50 MB
 * tool description never becomes a 50 MB buffer, a 50 MB JS string and a 50 MB parsed value in
 * Proofbook: a string longer than `maxBytes` (of its JSON text) keeps its head and ends in
 * `…[N bytes truncated, sha256 <hex>]`, N being the JSON text dropped and the hash that of the
 * text dropped, so two long strings that differ only past their heads never read the same.
 *
 * It needs no JSON parser, only where strings are: outside one, `"` opens a string; inside, `\`
 * escapes the next byte and `"` closes it. A raw line break cannot be inside a JSON string, so
 * it closes one too: that keeps SSE framing (`data:` lines) and hostile input from putting the
 * scanner out of step for more than a line. Memory: the head and a hash, whatever the length.
 *
 * The head is cut on a UTF-8 character and escape boundary, and before the word the cap falls
 * in (within `WORD_BACKOFF` bytes): a secret the server echoed across the cut is dropped whole,
 * not left half in the evidence where the redactor cannot recognise it.
 */
import { createHash, type Hash } from 'node:crypto';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const WORD_BACKOFF = 256;

/** Letters, digits and the characters of base64, URLs and keys: a cut never falls between two of these. */
function isWordByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2b || b === 0x2f || b === 0x3d || b === 0x5f || b === 0x2d || b === 0x2e || b >= 0x80;
}

export class JsonStringCap {
  /** Strings cut so far. */
  cut = 0;
  /** JSON text bytes dropped so far. */
  droppedBytes = 0;
  private readonly maxBytes: number;
  private inString = false;
  /** The last byte was the `\` of an escape. */
  private afterBackslash = false;
  /** Hex digits of a `\u` escape still to come. */
  private hexLeft = 0;
  /** The last character read ends no word (a cut right after it splits no key). */
  private afterDelimiter = false;
  /** Bytes of the current string's JSON text so far. */
  private length = 0;
  /** In the current chunk: where the last character began, and the last one that began after a delimiter (-1: none). */
  private lastChar = -1;
  private lastWord = -1;
  /** The current string's last bytes of the previous chunk, held back so a cut can still move into them. */
  private held: Uint8Array | undefined;
  /** Set once the current string passed the cap: its rest is hashed, not kept. */
  private hash: Hash | undefined;
  private dropped = 0;

  constructor(maxBytes: number) {
    this.maxBytes = Math.max(1, maxBytes);
  }

  /** The bytes to pass on for `input` (sub-arrays of it, plus a marker where a string was cut). */
  push(input: Uint8Array): Uint8Array[] {
    const chunk = this.held ? Buffer.concat([this.held, input]) : input;
    const out: Uint8Array[] = [];
    let i = this.held?.length ?? 0; // the held bytes were scanned already
    this.held = undefined;
    let from = 0; // the first byte of `chunk` not yet passed on or dropped
    let stringStart = 0; // the first byte of the current string in `chunk` (0: it began before)
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (!this.inString) {
        if (b === QUOTE) {
          this.open(i + 1);
          stringStart = i + 1;
        }
        continue;
      }
      this.length++;
      if (this.afterBackslash || this.hexLeft > 0) {
        // Inside an escape: no place to cut.
        this.hexLeft = this.afterBackslash ? (b === 0x75 /* u */ ? 4 : 0) : this.hexLeft - 1;
        this.afterBackslash = false;
        continue;
      }
      if ((b === QUOTE || b === NEWLINE) && this.hash) {
        this.drop(chunk.subarray(from, i));
        out.push(this.marker());
        from = i;
      }
      if (b === QUOTE || b === NEWLINE) {
        this.inString = false;
        continue;
      }
      if ((b & 0xc0) !== 0x80) {
        // A character begins here: a place the string may be cut.
        this.lastChar = i;
        if (this.afterDelimiter) this.lastWord = i;
        this.afterDelimiter = b === BACKSLASH || !isWordByte(b);
        this.afterBackslash = b === BACKSLASH;
      }
      if (this.length > this.maxBytes && !this.hash) {
        const floor = Math.max(from, stringStart, i - WORD_BACKOFF);
        const cut = this.lastWord >= floor ? this.lastWord : Math.max(floor, this.lastChar);
        out.push(chunk.subarray(from, cut));
        this.hash = createHash('sha256');
        this.dropped = 0;
        from = cut;
      }
    }
    if (this.hash) this.drop(chunk.subarray(from));
    else {
      // Mid-string: hold its last bytes back, so the cut can still move before a word they end in.
      const hold = this.inString ? Math.max(from, stringStart, chunk.length - WORD_BACKOFF) : chunk.length;
      out.push(chunk.subarray(from, hold));
      if (hold < chunk.length) this.held = Uint8Array.prototype.slice.call(chunk, hold);
      this.lastChar -= hold;
      this.lastWord -= hold;
    }
    return out.filter((piece) => piece.length > 0);
  }

  /** What is still held back at the end of the body. */
  end(): Uint8Array[] {
    const rest = this.held ? [this.held] : [];
    this.held = undefined;
    return rest;
  }

  private open(at: number): void {
    this.inString = true;
    this.length = 0;
    this.afterBackslash = false;
    this.hexLeft = 0;
    this.afterDelimiter = true;
    this.lastChar = at;
    this.lastWord = at;
  }

  private drop(bytes: Uint8Array): void {
    this.hash!.update(bytes);
    this.dropped += bytes.length;
  }

  private marker(): Uint8Array {
    const digest = this.hash!.digest('hex');
    this.hash = undefined;
    this.cut++;
    this.droppedBytes += this.dropped;
    return Buffer.from(`…[${this.dropped} bytes truncated, sha256 ${digest}]`);
  }
}
