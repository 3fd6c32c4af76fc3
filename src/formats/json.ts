/**
 * JSON and JSONC read with the position of every value and key, so a syntax error or a schema
 * issue at a path becomes `file:line:col` (`JSON.parse` reports only an offset, only for syntax
 * errors, and its messages quote the text, which may hold a key).
 *
 * One scanner for every reader: the preflight and the evidence store (is it valid?) and the client
 * probes (where is this key?). A syntax error comes back as data (what, where); ./json-errors.ts
 * words it for each audience. Nothing here throws on bad input.
 */

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

/** Which relaxations of RFC 8259 a reader accepts. VS Code's JSONC has both. */
export interface JsonDialect {
  /** `//` and `/* *\/` comments. */
  comments?: boolean;
  /** A comma before `}` or `]`. */
  trailingCommas?: boolean;
}

export type JsonErrorKind =
  | 'empty'
  | 'comment'
  | 'unclosed-comment'
  | 'unclosed-string'
  | 'line-break-in-string'
  | 'control-in-string'
  | 'bad-escape'
  | 'bad-unicode-escape'
  | 'expected-key'
  | 'expected-colon'
  | 'expected-comma'
  | 'trailing-comma'
  | 'expected-value'
  | 'after-end'
  | 'too-deep';

/** Where the text stops being JSON, and what was there. Never holds the text itself. */
export interface JsonScanError {
  kind: JsonErrorKind;
  /** Where the problem is (for `unclosed-string`: the opening quote). */
  offset: number;
  /** The character at `offset`; undefined at the end of the text. */
  found?: string;
  /** For a problem inside a string: the string's opening quote. */
  stringStart?: number;
  /** For `expected-comma` and `trailing-comma`: the bracket that closes the container. */
  closer?: '}' | ']';
  /** For `expected-comma` in an object: the key whose value came last. */
  key?: string;
}

export interface JsonDuplicateKey {
  /** The object's path. */
  path: JsonPath;
  key: string;
  offset: number;
  firstOffset: number;
}

export interface JsonScan {
  root?: JsonNode;
  value?: unknown;
  error?: JsonScanError;
  /** Keys set twice in one object (JSON.parse keeps the last; so do we). */
  duplicates: JsonDuplicateKey[];
}

/** Deeper than this is not a config anyone wrote; stop before the stack does. */
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS = [['true', true], ['false', false], ['null', null]] as const;

/** Parses JSON (or JSONC, per `dialect`) keeping every node's position. A BOM is skipped. */
export function scanJson(text: string, dialect: JsonDialect = {}): JsonScan {
  return new JsonScanner(text, dialect).scan();
}

/** Thrown inside the scanner only, to unwind to `scan()`. */
class Stop {
  readonly error: JsonScanError;
  constructor(error: JsonScanError) {
    this.error = error;
  }
}

class JsonScanner {
  private readonly text: string;
  private readonly dialect: JsonDialect;
  private readonly duplicates: JsonDuplicateKey[] = [];
  /** The cursor. */
  private i: number;

  constructor(text: string, dialect: JsonDialect) {
    this.text = text;
    this.dialect = dialect;
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  scan(): JsonScan {
    try {
      this.skipSpace();
      if (this.i >= this.text.length) this.stop('empty');
      const root = this.readValue([], 0);
      this.skipSpace();
      if (this.i < this.text.length) this.stop('after-end');
      return { root, value: root.value, duplicates: this.duplicates };
    } catch (caught) {
      if (caught instanceof Stop) return { error: caught.error, duplicates: this.duplicates };
      throw caught;
    }
  }

  private stop(kind: JsonErrorKind, at = this.i, detail: Partial<JsonScanError> = {}): never {
    const found = this.text[at];
    throw new Stop({ kind, offset: at, ...(found !== undefined ? { found } : {}), ...detail });
  }

  /** Whitespace, and comments where the dialect has them (a comment elsewhere is the error). */
  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '/' && (text[this.i + 1] === '/' || text[this.i + 1] === '*')) {
        if (!this.dialect.comments) this.stop('comment');
        if (text[this.i + 1] === '/') {
          while (this.i < text.length && text[this.i] !== '\n') this.i++;
        } else {
          const close = text.indexOf('*/', this.i + 2);
          if (close < 0) this.stop('unclosed-comment');
          this.i = close + 2;
        }
      } else return;
    }
  }

  private readValue(path: JsonPath, depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.stop('too-deep');
    this.skipSpace();
    const c = this.text[this.i];
    if (c === '{') return this.readObject(path, depth);
    if (c === '[') return this.readArray(path, depth);
    const start = this.i;
    if (c === '"') {
      const value = this.readString();
      return { type: 'string', offset: start, end: this.i, value };
    }
    NUMBER.lastIndex = start;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.i += number[0].length;
      return { type: 'number', offset: start, end: this.i, value: Number(number[0]) };
    }
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, start)) {
        this.i += word.length;
        return { type: value === null ? 'null' : 'boolean', offset: start, end: this.i, value };
      }
    }
    return this.stop('expected-value');
  }

  private readObject(path: JsonPath, depth: number): JsonNode {
    const start = this.i++;
    const properties: NonNullable<JsonNode['properties']> = [];
    const firstOffsets = new Map<string, number>();
    const value: Record<string, unknown> = {};
    let key = '';
    this.readMembers('}', () => {
      if (this.text[this.i] !== '"') this.stop('expected-key');
      const keyOffset = this.i;
      key = this.readString();
      this.skipSpace();
      if (this.text[this.i] !== ':') this.stop('expected-colon');
      this.i++;
      const node = this.readValue([...path, key], depth + 1);
      node.keyOffset = keyOffset;
      const firstOffset = firstOffsets.get(key);
      if (firstOffset === undefined) firstOffsets.set(key, keyOffset);
      else this.duplicates.push({ path, key, offset: keyOffset, firstOffset });
      properties.push({ key, keyOffset, node });
      // defineProperty: a key such as "__proto__" is data, not the prototype.
      Object.defineProperty(value, key, { value: node.value, enumerable: true, writable: true, configurable: true });
    }, () => ({ key }));
    return { type: 'object', offset: start, end: ++this.i, value, properties };
  }

  private readArray(path: JsonPath, depth: number): JsonNode {
    const start = this.i++;
    const items: JsonNode[] = [];
    this.readMembers(']', () => {
      items.push(this.readValue([...path, items.length], depth + 1));
    });
    return { type: 'array', offset: start, end: ++this.i, value: items.map((n) => n.value), items };
  }

  /**
   * The members of an object or array, the cursor just past its opening bracket, up to (not past)
   * `closer`: `readMember` reads one, commas go between them, and a comma before `closer` only
   * where the dialect allows it.
   */
  private readMembers(closer: '}' | ']', readMember: () => void, detail: () => Partial<JsonScanError> = () => ({})): void {
    this.skipSpace();
    if (this.text[this.i] === closer) return;
    let comma = -1;
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] === closer && comma >= 0) {
        if (!this.dialect.trailingCommas) this.stop('trailing-comma', comma, { closer });
        return;
      }
      readMember();
      this.skipSpace();
      if (this.text[this.i] === ',') comma = this.i++;
      else if (this.text[this.i] === closer) return;
      else this.stop('expected-comma', this.i, { closer, ...detail() });
    }
  }

  /** A string at the cursor (on its opening quote), decoded. */
  private readString(): string {
    const text = this.text;
    const start = this.i++;
    let out = '';
    for (;;) {
      if (this.i >= text.length) this.stop('unclosed-string', start);
      const c = text[this.i]!;
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\n' || c === '\r') this.stop('line-break-in-string', this.i, { stringStart: start });
      if (c.charCodeAt(0) < 0x20) this.stop('control-in-string', this.i, { stringStart: start });
      if (c === '\\') {
        out += this.readEscape(start);
        continue;
      }
      out += c;
      this.i++;
    }
  }

  /** An escape at the cursor (on its backslash), decoded. */
  private readEscape(stringStart: number): string {
    const next = this.text[this.i + 1];
    if (next === 'u') {
      const hex = this.text.slice(this.i + 2, this.i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.stop('bad-unicode-escape', this.i, { stringStart });
      this.i += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    if (next === undefined || !(next in ESCAPES)) this.stop('bad-escape', this.i, { stringStart });
    this.i += 2;
    return ESCAPES[next]!;
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
