/**
 * A JSON syntax error (./json.ts) in words, for its two audiences:
 * - an input error (the preflight, the evidence store): a short problem the caller follows with
 *   " — what to do" and prefixes with `file:line:col` (InputError's form);
 * - a client probe's finding: a sentence that names the fix and, for a strict reader, who reads
 *   the file that way ("Claude Code reads .mcp.json as strict JSON").
 * Neither quotes the text beyond the one character found: a broken line may hold a pasted secret.
 */
import { scanJson, type JsonScanError } from './json.ts';

export interface JsonProblem {
  offset: number;
  message: string;
}

/**
 * Where strict JSON (RFC 8259), or JSONC with `jsonc` (VS Code's settings and mcp.json: comments
 * and trailing commas), first goes wrong; undefined when it parses. Worded as an input error.
 */
export function jsonSyntaxError(text: string, options: { jsonc?: boolean } = {}): JsonProblem | undefined {
  const jsonc = options.jsonc ?? false;
  const { error } = scanJson(text, { comments: jsonc, trailingCommas: jsonc });
  return error && { offset: error.offset, message: inputErrorMessage(error) };
}

const NO_COMMENTS = 'comment; strict JSON has no comments, remove it';
const ENDS_EARLY = 'the file ends too early (truncated?)';

function inputErrorMessage(error: JsonScanError): string {
  // Whatever was expected: at the end of the text, the text is cut short.
  if (error.found === undefined) return ENDS_EARLY;
  const found = JSON.stringify(error.found);
  switch (error.kind) {
    case 'empty':
      return ENDS_EARLY;
    case 'comment':
      return NO_COMMENTS;
    case 'unclosed-comment':
      return 'comment never closed; add */';
    case 'unclosed-string':
      return 'string never closed; add the closing "';
    case 'line-break-in-string':
    case 'control-in-string':
      return 'control character (e.g. a line break) inside a string; escape it or close the string before it';
    case 'bad-unicode-escape':
      return 'bad \\u escape; write four hex digits';
    case 'bad-escape':
      return 'bad escape in a string; escape a backslash as \\\\';
    case 'expected-key':
      return `unexpected ${found}; expected a property name in double quotes`;
    case 'expected-colon':
      return `unexpected ${found}; expected ":" after the property name`;
    case 'expected-comma':
      return `unexpected ${found}; expected "," or "${error.closer}"`;
    case 'trailing-comma':
      return `trailing comma before "${error.closer}"; remove it`;
    case 'expected-value':
      return error.found === '/' ? NO_COMMENTS : `unexpected ${found}; expected a value`;
    case 'after-end':
      return `unexpected ${found} after the end of the JSON value`;
    case 'too-deep':
      return 'nested too deeply';
  }
}

/**
 * A syntax error as a client probe's finding says it. `reader` names who reads the text as strict
 * JSON, e.g. "Claude Code reads .mcp.json as strict JSON"; the offset may move to where the fix
 * goes (an unterminated string: its opening quote).
 */
export function jsonFindingError(error: JsonScanError, reader?: string): JsonProblem {
  const strict = reader ? ` (${reader})` : '';
  const found = describeFound(error.found);
  const at = (message: string, offset = error.offset): JsonProblem => ({ offset, message });
  switch (error.kind) {
    case 'empty':
      return at('the file is empty; it must hold a JSON object');
    case 'comment':
      return at(`comments are not allowed in JSON${strict}; remove the comment`);
    case 'unclosed-comment':
      return at('unterminated /* comment: add the closing */');
    case 'unclosed-string':
      return at('unterminated string: the closing " is missing');
    case 'line-break-in-string':
      return at('unterminated string: the closing " is missing before the end of the line', error.stringStart);
    case 'control-in-string':
      return at('control character in a string; escape it (\\t, \\n)');
    case 'bad-escape':
    case 'bad-unicode-escape':
      return at('invalid escape sequence in a string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
    case 'expected-key':
      return at(`expected a double-quoted property name but found ${found}`);
    case 'expected-colon':
      return at(`expected ':' after the property name but found ${found}`);
    case 'expected-comma':
      if (error.found === undefined) return at(`unexpected end of file: a '${error.closer}' is missing`);
      return at(
        error.closer === '}'
          ? `expected ',' or '}' after the value of "${error.key}" but found ${found} — is a comma missing?`
          : `expected ',' or ']' after an array element but found ${found} — is a comma missing?`,
      );
    case 'trailing-comma':
      return at(`trailing comma before '${error.closer}' is not allowed in JSON${strict}; remove the comma`);
    case 'expected-value':
      if (error.found === undefined) return at('unexpected end of file: a value is missing');
      return at(`expected a value (string, number, object, array, true, false or null) but found ${found}`);
    case 'after-end':
      return at(`unexpected ${found === 'unexpected text' ? 'text' : found} after the end of the JSON value`);
    case 'too-deep':
      return at('nested too deeply; a config is never this deep');
  }
}

function describeFound(c: string | undefined): string {
  if (c === undefined) return 'the end of the file';
  if ('{}[],:'.includes(c)) return `'${c}'`;
  if (c === "'") return 'a single quote (JSON strings use double quotes)';
  if (c === '"') return 'a string';
  return 'unexpected text';
}
