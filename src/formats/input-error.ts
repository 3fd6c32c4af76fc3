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

/** 1-based line and column (in UTF-16 code units, like editors) of an offset into `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

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
 * Where strict JSON (RFC 8259) first goes wrong, or undefined when it parses. Our own scanner,
 * because `JSON.parse` messages quote the text (it may hold a key) and do not always say where.
 */
export function jsonSyntaxError(input: string, options: { jsonc?: boolean } = {}): { offset: number; message: string } | undefined {
  // JSONC (VS Code's settings and mcp.json): // and /* */ comments and trailing commas are fine.
  const jsonc = options.jsonc ?? false;
  const text = input.startsWith('\uFEFF') ? ` ${input.slice(1)}` : input;
  let i = 0;
  const STOP = Symbol('stop');
  let stopped: { offset: number; message: string } | undefined;
  const fail = (message: string, at = i): never => {
    if (at >= text.length) message = 'the file ends too early (truncated?)';
    else if (!jsonc && text[at] === '/' && (text[at + 1] === '/' || text[at + 1] === '*')) message = 'comment; strict JSON has no comments, remove it';
    stopped = { offset: at, message };
    throw STOP;
  };
  const describe = () => (i >= text.length ? 'the end of the file' : JSON.stringify(text[i]));
  const space = () => {
    for (;;) {
      while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
      if (!jsonc || text[i] !== '/') return;
      if (text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('comment never closed; add */');
        i = end + 2;
      } else return;
    }
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}; expected a value`);
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('string never closed; add the closing "', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character (e.g. a line break) inside a string; escape it or close the string before it');
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape; write four hex digits');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail('bad escape in a string; escape a backslash as \\\\');
      } else i++;
    }
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(`unexpected ${describe()}; expected a value`);
    i += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('nested too deeply');
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      let comma = -1;
      for (;;) {
        space();
        if (text[i] === '}' && comma >= 0) {
          if (!jsonc) fail('trailing comma before "}"; remove it', comma);
          i++;
          return;
        }
        if (text[i] !== '"') fail(`unexpected ${describe()}; expected a property name in double quotes`);
        string();
        space();
        if (text[i] !== ':') fail(`unexpected ${describe()}; expected ":" after the property name`);
        i++;
        value(depth + 1);
        space();
        if (text[i] === ',') {
          comma = i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`unexpected ${describe()}; expected "," or "}"`);
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      let comma = -1;
      for (;;) {
        space();
        if (text[i] === ']' && comma >= 0) {
          if (!jsonc) fail('trailing comma before "]"; remove it', comma);
          i++;
          return;
        }
        value(depth + 1);
        space();
        if (text[i] === ',') {
          comma = i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`unexpected ${describe()}; expected "," or "]"`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    if (c === '/') fail('comment; strict JSON has no comments, remove it');
    fail(`unexpected ${describe()}; expected a value`);
  };
  try {
    value(0);
    space();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error === STOP && stopped) return stopped;
    throw error;
  }
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
