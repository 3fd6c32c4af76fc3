/**
 * Helpers the client probes share (`openwebui.config`, `vscode.config`, `claude.config`):
 *
 * - a small JSON parser that keeps the position of every node, so a zod issue path or a syntax
 *   error becomes `file:line:col` (JSON.parse only reports an offset, and only for syntax errors);
 *   it also reads JSONC (comments, trailing commas) for files VS Code reads that way;
 * - a `.env` reader that keeps, for every character of a value, its offset in the file (values
 *   may be quoted, escaped and span lines, as python-dotenv allows), so an error inside a JSON
 *   value such as Open WebUI's `TOOL_SERVER_CONNECTIONS` points at the right column;
 * - file lists with `*`, `**` and `?` patterns, matching a client URL against the config's hosts,
 *   and stripping `${input:…}` / `${VAR}` references before looking for inline secrets.
 *
 * Nothing here quotes a file's text in a message: a broken line may hold a pasted secret.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../../config/schema.ts';

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

/** 1-based line and column (UTF-16 code units, like editors) of an offset into `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

// ---------------------------------------------------------------------------------------------
// JSON with positions
// ---------------------------------------------------------------------------------------------

export type JsonPath = (string | number)[];

export interface JsonNode {
  type: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  /** Offset of the value's first character. */
  offset: number;
  /** Offset just after the value. */
  end: number;
  /** For a property value: offset of its key's opening quote. */
  keyOffset?: number;
  value: unknown;
  properties?: { key: string; keyOffset: number; node: JsonNode }[];
  items?: JsonNode[];
}

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

export interface JsonDuplicateKey {
  path: JsonPath;
  key: string;
  offset: number;
  firstOffset: number;
}

export interface JsonParseResult {
  root?: JsonNode;
  value?: unknown;
  error?: JsonSyntaxError;
  duplicates: JsonDuplicateKey[];
}

export interface JsonDialect {
  /** `//` and `/* *\/` comments (JSONC, as VS Code reads its settings). */
  comments?: boolean;
  /** A comma before `}` or `]` (JSONC). */
  trailingCommas?: boolean;
  /** How the reader is named in messages, e.g. "Claude Code reads .mcp.json as strict JSON". */
  strictReader?: string;
}

class JsonError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

/** Parses JSON (or JSONC) and keeps every node's position. Never throws. */
export function parseJson(text: string, dialect: JsonDialect = {}): JsonParseResult {
  const duplicates: JsonDuplicateKey[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const strict = dialect.strictReader ? ` (${dialect.strictReader})` : '';

  const skip = () => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
        if (!dialect.comments) throw new JsonError(i, `comments are not allowed in JSON${strict}; remove the comment`);
        if (text[i + 1] === '/') {
          while (i < text.length && text[i] !== '\n') i++;
        } else {
          const close = text.indexOf('*/', i + 2);
          if (close < 0) throw new JsonError(i, 'unterminated /* comment: add the closing */');
          i = close + 2;
        }
      } else return;
    }
  };

  const describe = (offset: number): string => {
    const c = text[offset];
    if (c === undefined) return 'the end of the file';
    if ('{}[],:'.includes(c)) return `'${c}'`;
    if (c === "'") return "a single quote (JSON strings use double quotes)";
    if (c === '"') return 'a string';
    return 'unexpected text';
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) throw new JsonError(start, 'unterminated string: the closing " is missing');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\n' || c === '\r') throw new JsonError(start, 'unterminated string: the closing " is missing before the end of the line');
      if (c.charCodeAt(0) < 0x20) throw new JsonError(i, 'control character in a string; escape it (\\t, \\n)');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          throw new JsonError(i, 'invalid escape sequence in a string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        }
        continue;
      }
      out += c;
      i++;
    }
  };

  const parseValue = (path: JsonPath): JsonNode => {
    skip();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const properties: JsonNode['properties'] = [];
      const value: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') {
        i++;
        return { type: 'object', offset: start, end: i, value, properties };
      }
      let comma = -1;
      for (;;) {
        skip();
        if (text[i] === '}' && properties.length) {
          if (!dialect.trailingCommas) throw new JsonError(comma, `trailing comma before '}' is not allowed in JSON${strict}; remove the comma`);
          i++;
          return { type: 'object', offset: start, end: i, value, properties };
        }
        if (text[i] !== '"') {
          throw new JsonError(i, `expected a double-quoted property name but found ${describe(i)}`);
        }
        const keyOffset = i;
        const key = parseString();
        skip();
        if (text[i] !== ':') throw new JsonError(i, `expected ':' after the property name but found ${describe(i)}`);
        i++;
        const node = parseValue([...path, key]);
        node.keyOffset = keyOffset;
        const first = properties.find((p) => p.key === key);
        if (first) duplicates.push({ path, key, offset: keyOffset, firstOffset: first.keyOffset });
        properties.push({ key, keyOffset, node });
        Object.defineProperty(value, key, { value: node.value, enumerable: true, writable: true, configurable: true });
        skip();
        if (text[i] === ',') {
          comma = i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { type: 'object', offset: start, end: i, value, properties };
        }
        if (i >= text.length) throw new JsonError(i, "unexpected end of file: a '}' is missing");
        throw new JsonError(i, `expected ',' or '}' after the value of "${key}" but found ${describe(i)} — is a comma missing?`);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return { type: 'array', offset: start, end: i, value: [], items };
      }
      let comma = -1;
      for (;;) {
        skip();
        if (text[i] === ']' && items.length) {
          if (!dialect.trailingCommas) throw new JsonError(comma, `trailing comma before ']' is not allowed in JSON${strict}; remove the comma`);
          i++;
          return { type: 'array', offset: start, end: i, value: items.map((n) => n.value), items };
        }
        items.push(parseValue([...path, items.length]));
        skip();
        if (text[i] === ',') {
          comma = i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { type: 'array', offset: start, end: i, value: items.map((n) => n.value), items };
        }
        if (i >= text.length) throw new JsonError(i, "unexpected end of file: a ']' is missing");
        throw new JsonError(i, `expected ',' or ']' after an array element but found ${describe(i)} — is a comma missing?`);
      }
    }
    if (c === '"') {
      const value = parseString();
      return { type: 'string', offset: start, end: i, value };
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (number && (c === '-' || (c !== undefined && c >= '0' && c <= '9'))) {
      i += number[0].length;
      return { type: 'number', offset: start, end: i, value: Number(number[0]) };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { type: value === null ? 'null' : 'boolean', offset: start, end: i, value };
      }
    }
    if (i >= text.length) throw new JsonError(i, 'unexpected end of file: a value is missing');
    throw new JsonError(i, `expected a value (string, number, object, array, true, false or null) but found ${describe(i)}`);
  };

  try {
    skip();
    if (i >= text.length) return { error: { offset: i, message: 'the file is empty; it must hold a JSON object' }, duplicates };
    const root = parseValue([]);
    skip();
    if (i < text.length) throw new JsonError(i, `unexpected ${describe(i) === 'unexpected text' ? 'text' : describe(i)} after the end of the JSON value`);
    return { root, value: root.value, duplicates };
  } catch (error) {
    if (error instanceof JsonError) return { error: { offset: error.offset, message: error.message }, duplicates };
    throw error;
  }
}

/**
 * Where a path points: the node itself when it exists, else the deepest node on the way (for a
 * missing property, the object that should hold it). `offset` is the best position to report:
 * a property's key, else the value.
 */
export function locate(root: JsonNode, jsonPath: readonly PropertyKey[]): { node: JsonNode; exact: boolean; offset: number } {
  let node = root;
  for (const segment of jsonPath) {
    let next: JsonNode | undefined;
    if (node.type === 'object') next = node.properties!.findLast((p) => p.key === String(segment))?.node;
    else if (node.type === 'array' && typeof segment === 'number') next = node.items![segment];
    if (!next) return { node, exact: false, offset: node.keyOffset ?? node.offset };
    node = next;
  }
  return { node, exact: true, offset: node.keyOffset ?? node.offset };
}

/** `a.b[0].c` for messages. */
export function pathText(jsonPath: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of jsonPath) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment))) out += `${out ? '.' : ''}${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(top level)';
}

// ---------------------------------------------------------------------------------------------
// .env with positions
// ---------------------------------------------------------------------------------------------

export interface PositionedEnvEntry {
  key: string;
  value: string;
  /** Line of the key. */
  line: number;
  /** For every character of `value`, its offset in the file. */
  offsets: number[];
  /** Offset in the file where the value starts (after the opening quote, if any). */
  valueOffset: number;
}

export interface PositionedEnvProblem {
  line: number;
  column: number;
  message: string;
}

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * Reads a `.env` the way python-dotenv (Open WebUI) does: `export` prefix, `#` comments, single
 * quotes (`\\` and `\'` escapes), double quotes (escapes such as `\"`, `\n`), quoted values that
 * span lines. Problems are reported by position only, never with the line's text.
 */
export function readEnvWithPositions(text: string): { entries: PositionedEnvEntry[]; problems: PositionedEnvProblem[] } {
  const entries: PositionedEnvEntry[] = [];
  const problems: PositionedEnvProblem[] = [];
  let i = 0;
  const lineEnd = (from: number) => {
    const n = text.indexOf('\n', from);
    return n < 0 ? text.length : n;
  };
  while (i < text.length) {
    const end = lineEnd(i);
    const raw = text.slice(i, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (!body || body.startsWith('#')) {
      i = end + 1;
      continue;
    }
    const match = /^(export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*/.exec(raw.slice(lead));
    const { line } = positionAt(text, i);
    if (!match) {
      problems.push({
        line,
        column: lead + 1,
        message: body.includes('=')
          ? "line has an invalid name before '=' (use letters, digits and _, not starting with a digit)"
          : "line is not KEY=value (it has no '=')",
      });
      i = end + 1;
      continue;
    }
    const key = match[2]!;
    let j = i + lead + match[0].length;
    const quote = text[j];
    let value = '';
    const offsets: number[] = [];
    if (quote === '"' || quote === "'") {
      const open = j;
      j++;
      const valueOffset = j;
      let closed = false;
      while (j < text.length) {
        const c = text[j]!;
        if (c === quote) {
          closed = true;
          j++;
          break;
        }
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
      if (!closed) {
        const at = positionAt(text, open);
        problems.push({ line: at.line, column: at.column, message: `the value of ${key} opens a ${quote === '"' ? 'double' : 'single'} quote that is never closed; close it` });
        break;
      }
      const rest = text.slice(j, lineEnd(j));
      if (rest.trim() && !rest.trim().startsWith('#')) {
        const at = positionAt(text, j);
        problems.push({ line: at.line, column: at.column, message: `text after the closing quote of ${key}; remove it or start a comment with ' #'` });
      }
      entries.push({ key, value, line, offsets, valueOffset });
      i = lineEnd(j) + 1;
      continue;
    }
    const valueOffset = j;
    let rest = text.slice(j, end);
    const comment = /\s+#.*$/.exec(rest);
    if (comment) rest = rest.slice(0, comment.index);
    rest = rest.replace(/\s+$/, '');
    for (let k = 0; k < rest.length; k++) offsets.push(j + k);
    value = rest;
    entries.push({ key, value, line, offsets, valueOffset });
    i = end + 1;
  }
  return { entries, problems };
}

/** The file position of character `index` of an env value (the end of the value for an index past it). */
export function envValuePosition(text: string, entry: PositionedEnvEntry, index: number): { line: number; column: number } {
  const offset = entry.offsets[index] ?? (entry.offsets.length ? entry.offsets.at(-1)! + 1 : entry.valueOffset);
  return positionAt(text, offset);
}

// ---------------------------------------------------------------------------------------------
// File lists
// ---------------------------------------------------------------------------------------------

const GLOB_CHARS = /[*?[]/;
const SKIP_DIRS = new Set(['node_modules', '.git']);
const MAX_WALK_ENTRIES = 20_000;

/** `*` (within a path segment), `**` (any depth) and `?` as a regular expression over `/`-paths. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export interface ExpandedEntry {
  /** As configured. */
  pattern: string;
  /** Absolute files, sorted; a plain path is listed whether or not it exists. */
  files: string[];
  isGlob: boolean;
}

/**
 * Expands configured file entries (relative to `rootDir`): a plain path stays as it is; a pattern
 * with `*`, `**` or `?` lists the matching files (dot folders such as `.vscode` included).
 * Synchronous, so a probe's `inputs()` can use it.
 */
export function expandFiles(rootDir: string, patterns: string[]): ExpandedEntry[] {
  return patterns.map((pattern) => {
    const absolute = path.resolve(rootDir, pattern);
    if (!GLOB_CHARS.test(pattern)) return { pattern, files: [absolute], isGlob: false };
    const segments = absolute.split(path.sep);
    const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
    const base = segments.slice(0, firstGlob).join(path.sep) || path.sep;
    const regex = globToRegExp(segments.slice(firstGlob).join('/'));
    const files: string[] = [];
    let seen = 0;
    const walk = (dir: string, relative: string) => {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of names) {
        if (++seen > MAX_WALK_ENTRIES) return;
        const full = path.join(dir, name);
        const rel = relative ? `${relative}/${name}` : name;
        let info;
        try {
          // lstat: a link to a folder is never walked into (`loop -> .` would list one file
          // thousands of times); a link to a file still counts as that file.
          info = lstatSync(full);
          if (info.isSymbolicLink()) {
            const target = statSync(full);
            if (!target.isFile()) continue;
            info = target;
          }
        } catch {
          continue;
        }
        if (info.isDirectory()) {
          if (!SKIP_DIRS.has(name)) walk(full, rel);
        } else if (info.isFile() && regex.test(rel)) files.push(full);
      }
    };
    walk(base, '');
    return { pattern, files: files.sort(), isGlob: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Hosts
// ---------------------------------------------------------------------------------------------

export type PortPolicy = 'ignore' | 'match';

const defaultPort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');

export interface HostMatch {
  /** The configured host with the same host name (and port, when ports are compared). */
  host?: Host;
  /** Same host name, but another scheme than the host is served over. */
  schemeMismatch?: boolean;
  /** Same host name and scheme, another port (only with `ports: match`). */
  portMismatch?: boolean;
}

/** Which configured host a client URL points at, comparing scheme and host name (and the port with `match`). */
export function matchHost(url: URL, hosts: Host[], ports: PortPolicy): HostMatch {
  const candidates = hosts.filter((h) => new URL(h.url).hostname.toLowerCase() === url.hostname.toLowerCase());
  if (!candidates.length) return {};
  const sameScheme = candidates.filter((h) => new URL(h.url).protocol === url.protocol);
  if (!sameScheme.length) return { host: candidates[0], schemeMismatch: true };
  if (ports === 'ignore') return { host: sameScheme[0] };
  const samePort = sameScheme.find((h) => defaultPort(new URL(h.url)) === defaultPort(url));
  return samePort ? { host: samePort } : { host: sameScheme[0], portMismatch: true };
}

/** `scheme://host[:port]/path` of a URL: never its user, password, query or fragment. */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The URL a client should use for a host's MCP endpoint. */
export function endpointFor(host: Host, mcpPath: string): string {
  const base = new URL(host.url);
  return `${base.protocol}//${base.host}${mcpPath}`;
}

// ---------------------------------------------------------------------------------------------
// References and inline secrets
// ---------------------------------------------------------------------------------------------

/** VS Code `${input:id}`, `${env:NAME}`; Claude Code `${VAR}`, `${VAR:-default}`. */
export const REFERENCE = /\$\{(?:(input|env):([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)\}/g;

export interface Reference {
  kind: 'input' | 'env' | 'var';
  name: string;
  /** For `${VAR:-default}`. */
  fallback?: string;
  text: string;
}

export function referencesIn(value: string): Reference[] {
  return [...value.matchAll(REFERENCE)].map((m) =>
    m[1] ? { kind: m[1] as 'input' | 'env', name: m[2]!, text: m[0] } : { kind: 'var', name: m[3]!, ...(m[4] !== undefined ? { fallback: m[4] } : {}), text: m[0] },
  );
}

/** The literal part of a value: references removed, an auth scheme word (`Bearer`, `Basic`) dropped. */
export function literalPart(value: string): string {
  return value.replace(REFERENCE, '').replace(/^\s*(Bearer|Basic|Token)\b/i, '').trim();
}

/** Header names that carry the gateway key. */
export const KEY_HEADERS = ['authorization', 'x-litellm-api-key'];

/** Header names that carry a credential (the key headers, and per-server `x-mcp-<alias>-authorization`-style ones). */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return KEY_HEADERS.includes(lower) || /(authorization|api[-_]?key|token|secret|password)$/.test(lower);
}
