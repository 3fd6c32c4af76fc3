/**
 * The line of every key in a TOML document. smol-toml gives the data without positions; a finding
 * about `[mcp_servers.litellm].url` should still say `config.toml:12`. This lenient scan runs over
 * a document the TOML parser has already accepted, so it only has to find keys, not judge syntax.
 */

/**
 * Line of every key in a (valid) TOML document, by its full path as `JSON.stringify(keys)`:
 * table headers, `key = value` lines, dotted keys, and keys inside inline tables. The first
 * occurrence wins (arrays of tables report their first element).
 */
export function tomlKeyLines(text: string): Map<string, number> {
  return new TomlKeyScanner(text).scan();
}

/** The line of `keys`, else of the nearest enclosing table or key that has one, else 1. */
export function lineOfKeys(lines: Map<string, number>, keys: string[]): number {
  for (let depth = keys.length; depth > 0; depth--) {
    const line = lines.get(JSON.stringify(keys.slice(0, depth)));
    if (line) return line;
  }
  return 1;
}

class TomlKeyScanner {
  private readonly text: string;
  private readonly lines = new Map<string, number>();
  /** The cursor, and the line it is on. */
  private i = 0;
  private line = 1;

  constructor(text: string) {
    this.text = text;
  }

  scan(): Map<string, number> {
    let table: string[] = [];
    while (this.i < this.text.length) {
      this.skipBlank();
      if (this.i >= this.text.length) break;
      const start = this.i;
      if (this.text[this.i] === '[') table = this.readTableHeader();
      else this.readKeyValue(table);
      // Whatever is left on the line (a comment, or text the lenient scan did not understand).
      if (this.i === start) this.advance();
      while (this.i < this.text.length && this.text[this.i] !== '\n') this.advance();
    }
    return this.lines;
  }

  /** `[table]` or `[[array.of.tables]]`: the table's keys. */
  private readTableHeader(): string[] {
    const double = this.peek('[[');
    this.advance(double ? 2 : 1);
    const at = this.line;
    const table = this.readKey();
    this.record(table, at);
    this.skipSpaces();
    this.advance(double ? 2 : 1);
    return table;
  }

  /** `key = value` inside `table`. */
  private readKeyValue(table: string[]): void {
    const at = this.line;
    const keys = this.readKey();
    if (!keys.length) return;
    this.record([...table, ...keys], at);
    this.skipSpaces();
    if (this.text[this.i] === '=') {
      this.advance();
      this.readValue([...table, ...keys]);
    }
  }

  /** A dotted key (`a."b.c".d`): its parts; empty when there is no key here. */
  private readKey(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.text[this.i] === '"' || this.text[this.i] === "'") keys.push(this.readString());
      else {
        const match = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.i, this.i + 256));
        if (!match) return keys;
        keys.push(match[0]);
        this.advance(match[0].length);
      }
      this.skipSpaces();
      if (this.text[this.i] !== '.') return keys;
      this.advance();
    }
  }

  /** A value of the key `keys`: skipped, except for the keys of inline tables inside it. */
  private readValue(keys: string[]): void {
    this.skipSpaces();
    const c = this.text[this.i];
    if (c === '"' || c === "'") this.readString();
    else if (c === '[') this.readArray(keys);
    else if (c === '{') this.readInlineTable(keys);
    else while (this.i < this.text.length && !/[,\]}\n#\r]/.test(this.text[this.i]!)) this.advance();
  }

  private readArray(keys: string[]): void {
    this.advance();
    for (;;) {
      this.skipBlank();
      if (this.i >= this.text.length || this.text[this.i] === ']') break;
      this.readValue(keys);
      this.skipBlank();
      if (this.text[this.i] === ',') this.advance();
      else if (this.text[this.i] !== ']') break;
    }
    this.advance();
  }

  private readInlineTable(keys: string[]): void {
    this.advance();
    for (;;) {
      this.skipBlank();
      if (this.i >= this.text.length || this.text[this.i] === '}') break;
      const at = this.line;
      const inner = this.readKey();
      if (!inner.length) break;
      this.record([...keys, ...inner], at);
      this.skipSpaces();
      if (this.text[this.i] === '=') this.advance();
      this.readValue([...keys, ...inner]);
      this.skipBlank();
      if (this.text[this.i] === ',') this.advance();
      else if (this.text[this.i] !== '}') break;
    }
    this.advance();
  }

  /** A quoted string at the cursor: its value (basic strings unescaped). */
  private readString(): string {
    if (this.peek('"""') || this.peek("'''")) return this.readMultilineString();
    const quote = this.text[this.i]!;
    this.advance();
    let value = '';
    while (this.i < this.text.length && this.text[this.i] !== quote && this.text[this.i] !== '\n') {
      const escaped = quote === '"' && this.text[this.i] === '\\';
      value += this.text.slice(this.i, this.i + (escaped ? 2 : 1));
      this.advance(escaped ? 2 : 1);
    }
    this.advance();
    return quote === '"' ? unescapeBasic(value) : value;
  }

  /** `"""…"""` or `'''…'''`: its raw text (only keys matter here). */
  private readMultilineString(): string {
    const quote = this.text.slice(this.i, this.i + 3);
    this.advance(3);
    const start = this.i;
    while (this.i < this.text.length && !this.peek(quote)) this.advance(this.text[this.i] === '\\' && quote === '"""' ? 2 : 1);
    const value = this.text.slice(start, this.i);
    this.advance(3);
    while (this.text[this.i] === quote[0]) this.advance(); // up to two extra quotes belong to the string
    return value;
  }

  private record(keys: string[], line: number): void {
    const id = JSON.stringify(keys);
    if (!this.lines.has(id)) this.lines.set(id, line);
  }

  private peek(s: string): boolean {
    return this.text.startsWith(s, this.i);
  }

  /** Moves the cursor `n` characters, counting the lines it passes. */
  private advance(n = 1): void {
    for (let k = 0; k < n && this.i < this.text.length; k++, this.i++) if (this.text[this.i] === '\n') this.line++;
  }

  private skipSpaces(): void {
    while (this.i < this.text.length && (this.text[this.i] === ' ' || this.text[this.i] === '\t')) this.advance();
  }

  /** Spaces, comments and line breaks. */
  private skipBlank(): void {
    for (;;) {
      this.skipSpaces();
      if (this.text[this.i] === '#') while (this.i < this.text.length && this.text[this.i] !== '\n') this.advance();
      if (this.text[this.i] === '\n' || this.text[this.i] === '\r') this.advance();
      else return;
    }
  }
}

/** A basic string's escapes (`\n`, `\u00e9`, `\U0001F600`); the raw text when they do not decode. */
function unescapeBasic(value: string): string {
  try {
    return JSON.parse(`"${value.replace(/\\U([0-9a-fA-F]{8})/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))}"`) as string;
  } catch {
    return value;
  }
}
