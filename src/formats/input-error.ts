/**
 * Bad input: a file Proofbook reads (config, runbook, probe input, evidence) that it cannot use
 * as it is. Every such error names `file:line:col` and says what to do; refresh-docs exits 2
 * (usage, config or document error) and writes nothing.
 *
 * Messages never quote the file's text: a malformed line may be a pasted secret.
 */

import { EXIT_CODE, ProofbookError } from '../model/errors.ts';

export class InputError extends ProofbookError {
  readonly exitCode = EXIT_CODE.usage;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The message without its `file:line:col: ` prefix. */
  readonly problem: string;
  constructor(file: string, line: number, column: number, message: string) {
    super(`${file}:${line}:${column}: ${message}`);
    this.name = 'InputError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = message;
  }
}

/**
 * Largest text file Proofbook reads as input (runbooks, LiteLLM config, compose, .env, client
 * configs). Real ones are a few kB; anything this big is the wrong file (a log, a dump, a binary).
 */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** Line and column of a byte offset into raw bytes (columns count bytes; fine for the ASCII prefix). */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

export interface TextProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Decodes a text input, or says why it is not one: over the size limit, not UTF-8, or binary
 * (a NUL byte). A BOM is accepted and kept (`ignoreBOM`), so a rewrite writes it back.
 */
export function decodeTextInput(
  bytes: Uint8Array,
  what: string,
  limit = MAX_INPUT_BYTES,
): { text: string; problem?: undefined } | { text?: undefined; problem: TextProblem } {
  if (bytes.length > limit) {
    const { line, column } = bytePosition(bytes, limit);
    return {
      problem: {
        line,
        column,
        message:
          `over the ${limit / 1024 / 1024} MiB limit for an input file (${what} is ${bytes.length} bytes; the limit is crossed here) — ` +
          'split it, or move it out / point the config at the right file (real ones are a few kB)',
      },
    };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const { line, column } = bytePosition(bytes, nul);
    return {
      problem: { line, column, message: `binary, not text (${what} has a NUL byte here) — move the binary file out, or point the config at the text file it should be` },
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const { line, column } = bytePosition(bytes, firstInvalidUtf8(bytes));
    return { problem: { line, column, message: `not valid UTF-8 (${what}; the first bad byte is here) — save it as UTF-8` } };
  }
}

/** Offset of the first byte that is not valid UTF-8 (the length of the longest valid prefix). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection (a cut inside a multi-byte char reads as invalid too).
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid));
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}

/**
 * Where to point a YAML error. For an unclosed quoted string the parser reports the end of the
 * file; the opening quote (the last one, since nothing closed it) is where the fix goes.
 */
export function yamlErrorOffset(text: string, error: { code: string; message: string; pos: [number, number] }): { offset: number; message?: string } {
  const quote = error.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(error.message)?.[1] : undefined;
  if (!quote) return { offset: error.pos[0] };
  let at = text.lastIndexOf(quote, error.pos[0]);
  while (quote === '"' && at > 0 && text[at - 1] === '\\') at = text.lastIndexOf(quote, at - 1);
  return at < 0 ? { offset: error.pos[0] } : { offset: at, message: `a ${quote === '"' ? 'double' : 'single'}-quoted string starts here and is never closed` };
}
