/**
 * The one `.env` parser. The secrets files (the redactor, `secrets.audit`, the preflight) and
 * Open WebUI's `.env` are read by this code, the way python-dotenv reads them (Open WebUI and
 * LiteLLM use it): an `export` prefix, `#` comments, unquoted values up to a ` #` comment,
 * single quotes (`\\` and `\'` escapes), double quotes (`\"`, `\n`, … escapes), quoted values
 * that span lines. Two readers of one file can therefore not disagree about its values.
 *
 * Every character of a value keeps its offset in the file, so a problem found inside a value
 * (e.g. the JSON in Open WebUI's `TOOL_SERVER_CONNECTIONS`) is reported at its own column.
 * A malformed line is a problem with its position and kind, never its text (it may be a pasted
 * secret); parsing goes on at the next line, as python-dotenv does.
 */
import { positionAt, type Position } from './positions.ts';

export interface DotenvEntry {
  key: string;
  value: string;
  /** Line of the key (1-based). */
  line: number;
  /** For every character of `value`, its offset in the file. */
  offsets: number[];
  /** Offset in the file where the value starts (after the opening quote, if any). */
  valueOffset: number;
}

/** `no-equals`: no `=` at all; `bad-name`: not a variable name before `=`; the others: a quoted value gone wrong. */
export type DotenvProblemKind = 'no-equals' | 'bad-name' | 'unclosed-quote' | 'after-quote';

export interface DotenvProblem {
  kind: DotenvProblemKind;
  line: number;
  column: number;
  /** What is wrong, without the line's text. */
  message: string;
}

const KEY = /^(export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*/;
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Reads every `KEY=value` of a `.env` text; see the module comment for the syntax. */
export function parseDotenv(text: string): { entries: DotenvEntry[]; problems: DotenvProblem[] } {
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  const lineEnd = (from: number) => {
    const n = text.indexOf('\n', from);
    return n < 0 ? text.length : n;
  };
  let start = 0; // of the current line
  let line = 1;
  /** Moves to the line after the one `offset` is on. */
  const nextLineAfter = (offset: number) => {
    const end = lineEnd(offset);
    for (let k = start; k < end; k++) if (text.charCodeAt(k) === 0x0a) line++;
    start = end + 1;
    line++;
  };
  while (start < text.length) {
    const end = lineEnd(start);
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (!body || body.startsWith('#')) {
      nextLineAfter(start);
      continue;
    }
    const match = KEY.exec(raw.slice(lead));
    if (!match) {
      problems.push(
        body.includes('=')
          ? { kind: 'bad-name', line, column: lead + 1, message: "line has an invalid name before '=' (use letters, digits and _, not starting with a digit)" }
          : { kind: 'no-equals', line, column: lead + 1, message: "line is not KEY=value (it has no '=')" },
      );
      nextLineAfter(start);
      continue;
    }
    const key = match[2]!;
    const valueStart = start + lead + match[0].length;
    const quote = text[valueStart];
    if (quote === '"' || quote === "'") {
      const quoted = readQuoted(text, valueStart);
      if (!quoted.closed) {
        const at = positionAt(text, valueStart);
        problems.push({ kind: 'unclosed-quote', line: at.line, column: at.column, message: `the value of ${key} opens a ${quote === '"' ? 'double' : 'single'} quote that is never closed; close it` });
        nextLineAfter(start);
        continue;
      }
      const rest = text.slice(quoted.end, lineEnd(quoted.end)).trim();
      if (rest && !rest.startsWith('#')) {
        const at = positionAt(text, quoted.end);
        problems.push({ kind: 'after-quote', line: at.line, column: at.column, message: `text after the closing quote of ${key}; remove it or start a comment with ' #'` });
      }
      entries.push({ key, value: quoted.value, line, offsets: quoted.offsets, valueOffset: valueStart + 1 });
      nextLineAfter(quoted.end);
      continue;
    }
    let rest = text.slice(valueStart, end);
    const comment = /\s+#.*$/.exec(rest);
    if (comment) rest = rest.slice(0, comment.index);
    rest = rest.replace(/\s+$/, '');
    const offsets = Array.from({ length: rest.length }, (_, k) => valueStart + k);
    entries.push({ key, value: rest, line, offsets, valueOffset: valueStart });
    nextLineAfter(start);
  }
  return { entries, problems };
}

/** A quoted value from its opening quote at `open`: decoded, each character's offset, and where it ends. */
function readQuoted(text: string, open: number): { value: string; offsets: number[]; closed: boolean; end: number } {
  const quote = text[open]!;
  let value = '';
  const offsets: number[] = [];
  let j = open + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === quote) return { value, offsets, closed: true, end: j + 1 };
    if (c === '\\' && j + 1 < text.length) {
      const e = text[j + 1]!;
      const decoded = quote === '"' ? DOUBLE_QUOTE_ESCAPES[e] : e === '\\' || e === "'" ? e : undefined;
      if (decoded !== undefined) {
        value += decoded;
        offsets.push(j);
        j += 2;
        continue;
      }
    }
    value += c;
    offsets.push(j);
    j++;
  }
  return { value, offsets, closed: false, end: j };
}

/** The file position of character `index` of an entry's value (the end of the value for an index past it). */
export function dotenvValuePosition(text: string, entry: DotenvEntry, index: number): Position {
  const offset = entry.offsets[index] ?? (entry.offsets.length ? entry.offsets.at(-1)! + 1 : entry.valueOffset);
  return positionAt(text, offset);
}
