/**
 * The forms a secret value travels in, and one matcher that finds every form of every value of
 * a set in one linear pass — built once per set of secrets. Used by the redactor (to replace
 * every form) and by the build's secret scan (to find and name every form in the served files).
 *
 * How: the text is first decoded into a *view* where every escape stands for its character and
 * line breaks are gone, keeping for each character of the view the span of text it came from:
 * - JSON / JavaScript: `\"`, `\\`, `\/`, `\t`…, `\u0041` (either case; Go writes `<>&` and Python
 *   every non-ASCII character this way; a value may be escaped whole), `\x41`, at any depth of
 *   backslashes (JSON inside JSON);
 * - URL: `%41` (either case, double-encoded `%2541` too, UTF-8 bytes for non-ASCII);
 * - HTML: `&#65;`, `&#x41;` (leading zeros; the `;` may be left out before a non-digit), named
 *   references for ASCII punctuation (`&amp;`, `&lt;`, `&quot;`, `&colon;`…), escaped again
 *   (`&amp;amp;`) too;
 * - a line break — raw or JSON-escaped `\n`, after an optional `\` continuation, with the
 *   indentation after it — is dropped, so a value split over two lines reads whole.
 * Each character is decoded on its own, so a mix of escapes is found too. In that view the matcher
 * looks for each value (its line breaks dropped the same way), the hex of its UTF-8 bytes (either
 * case) and its base64 at each of the three alignments inside a longer base64 string (`Basic
 * base64("root:" + key)` starts the key mid-quantum), standard and URL-safe alphabets: the
 * characters that depend only on the value's bytes. The value as written is also looked for in the
 * text itself (a value that holds `%`, `\` or `&` reads differently in the view).
 *
 * Cost: one decoding pass and one search pass per text, whatever the number of secrets; the
 * search tests two characters at each position against a table of the needles' first two.
 */

/** What a form is called in an error message (the build scan names the form it found). */
export type FormName =
  | 'as written'
  | 'HTML-escaped'
  | 'JSON-escaped'
  | 'URL-encoded'
  | '\\u-escaped'
  | 'HTML entities'
  | 'escaped'
  | 'split over lines'
  | 'hex'
  | 'base64'
  | 'base64url'
  | 'base64 (offset 1 byte)'
  | 'base64 (offset 2 bytes)';

/** HTML5 named references for the ASCII characters (and no-break space) a value may hold. */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', excl: '!', num: '#', dollar: '$', percnt: '%', lpar: '(', rpar: ')',
  ast: '*', midast: '*', plus: '+', comma: ',', period: '.', sol: '/', colon: ':', semi: ';', equals: '=', quest: '?', commat: '@',
  lsqb: '[', lbrack: '[', bsol: '\\', rsqb: ']', rbrack: ']', Hat: '^', lowbar: '_', UnderBar: '_', grave: '`', DiacriticalGrave: '`',
  lcub: '{', lbrace: '{', verbar: '|', vert: '|', VerticalLine: '|', rcub: '}', rbrace: '}', tilde: '~', hyphen: '-', dash: '-',
  Tab: '\t', NewLine: '\n', AMP: '&', LT: '<', GT: '>', QUOT: '"',
};
const LONGEST_ENTITY_NAME = Math.max(...Object.keys(NAMED_ENTITIES).map((n) => n.length));

/** A regex source matching exactly `text` (every character escaped). */
export function literal(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    out += /[A-Za-z0-9_]/.test(ch) ? ch : `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

const BACKSLASH = 0x5c;
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** `\t`, `\r`, `\b`, `\f`, `\"`, `\'`, `\/`: the character each stands for. */
const SIMPLE_ESCAPES: Record<number, number> = { 0x74: 0x09, 0x72: 0x0d, 0x62: 0x08, 0x66: 0x0c, 0x22: 0x22, 0x27: 0x27, 0x2f: 0x2f };
/** Anything that may start an escape or a line break: no decoding needed without one. */
const NEEDS_DECODING = /[\\%&\r\n]/;

/**
 * The decoded view of a text: escapes decoded, line breaks dropped, and for every character of
 * the view the span of the source it came from — kept as segments (a run of ordinary characters
 * is one segment), so a long text with few escapes costs little.
 */
export class DecodedView {
  readonly text: string;
  private readonly viewAt: number[];
  private readonly sourceAt: number[];
  private readonly sourceEnd: number[];
  /** 1: a run of characters that stand for themselves; 0: one decoded character (or half of a surrogate pair). */
  private readonly plain: number[];

  constructor(text: string, viewAt: number[] = [0], sourceAt: number[] = [0], sourceEnd: number[] = [text.length], plain: number[] = [1]) {
    this.text = text;
    this.viewAt = viewAt;
    this.sourceAt = sourceAt;
    this.sourceEnd = sourceEnd;
    this.plain = plain;
  }

  private segment(index: number): number {
    let low = 0;
    let high = this.viewAt.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.viewAt[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** The span of the source that view characters [start, end) came from. */
  sourceSpan(start: number, end: number): [number, number] {
    const first = this.segment(start);
    const last = this.segment(end - 1);
    const from = this.plain[first] ? this.sourceAt[first]! + (start - this.viewAt[first]!) : this.sourceAt[first]!;
    const to = this.plain[last] ? this.sourceAt[last]! + (end - this.viewAt[last]!) : this.sourceEnd[last]!;
    return [from, to];
  }
}

/** Decodes escapes and drops line breaks (see the top of this file), keeping where each character came from. */
export function decodeView(source: string): DecodedView {
  if (!NEEDS_DECODING.test(source)) return new DecodedView(source);
  const length = source.length;
  const parts: string[] = [];
  const viewAt: number[] = [];
  const sourceAt: number[] = [];
  const sourceEnd: number[] = [];
  const plain: number[] = [];
  let viewLength = 0;
  /** Source [from, to) stands for itself. */
  const copy = (from: number, to: number) => {
    if (to <= from) return;
    parts.push(source.slice(from, to));
    const last = plain.length - 1;
    if (last >= 0 && plain[last] && sourceEnd[last] === from) sourceEnd[last] = to;
    else {
      viewAt.push(viewLength);
      sourceAt.push(from);
      sourceEnd.push(to);
      plain.push(1);
    }
    viewLength += to - from;
  };
  /** Source [from, to) stands for the code point `codePoint`. */
  const emit = (codePoint: number, from: number, to: number) => {
    const text = String.fromCodePoint(codePoint);
    parts.push(text);
    for (let unit = 0; unit < text.length; unit++) {
      viewAt.push(viewLength++);
      sourceAt.push(from);
      sourceEnd.push(to);
      plain.push(0);
    }
  };
  /** Index after the indentation (spaces, tabs, escaped tabs) at `j`. */
  const skipIndent = (j: number) => {
    for (;;) {
      const c = source.charCodeAt(j);
      if (c === 0x20 || c === 0x09) j++;
      else if (c === BACKSLASH) {
        let k = j;
        while (source.charCodeAt(k) === BACKSLASH) k++;
        if (source.charCodeAt(k) === 0x74 /* t */) j = k + 1;
        else return j;
      } else return j;
    }
  };
  /** A `%HH` escape at `j` (double-encoded `%25HH` too): [byte, end] or undefined. */
  const percent = (j: number): [number, number] | undefined => {
    if (source.charCodeAt(j) !== 0x25) return undefined;
    let k = j + 1;
    while (source.charCodeAt(k) === 0x32 && source.charCodeAt(k + 1) === 0x35 && isHex(source.charCodeAt(k + 2)) && isHex(source.charCodeAt(k + 3))) k += 2;
    const a = source.charCodeAt(k);
    const b = source.charCodeAt(k + 1);
    if (!isHex(a) || !isHex(b)) return undefined;
    return [hexValue(a) * 16 + hexValue(b), k + 2];
  };
  /** Decodes what starts at `i` (a special character); returns where to go on. */
  const decodeAt = (i: number): number => {
    const c = source.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && source.charCodeAt(i + 1) === 0x0a)) return skipIndent(i + (c === 0x0d ? 2 : 1));
    if (c === BACKSLASH) {
      let k = i;
      while (source.charCodeAt(k) === BACKSLASH) k++;
      const next = source.charCodeAt(k);
      // A `\` continuation, then the line break.
      if (next === 0x0a || (next === 0x0d && source.charCodeAt(k + 1) === 0x0a)) return skipIndent(k + (next === 0x0d ? 2 : 1));
      // An escaped line break (`\n`, `\r\n`), then the indentation.
      if (next === 0x6e /* n */) return skipIndent(k + 1);
      if (next === 0x72 /* r */) {
        let m = k + 1;
        while (source.charCodeAt(m) === BACKSLASH) m++;
        if (m > k + 1 && source.charCodeAt(m) === 0x6e) return skipIndent(m + 1);
      }
      if (next === 0x75 /* u */ && isHex(source.charCodeAt(k + 1)) && isHex(source.charCodeAt(k + 2)) && isHex(source.charCodeAt(k + 3)) && isHex(source.charCodeAt(k + 4))) {
        emit((hexValue(source.charCodeAt(k + 1)) << 12) | (hexValue(source.charCodeAt(k + 2)) << 8) | (hexValue(source.charCodeAt(k + 3)) << 4) | hexValue(source.charCodeAt(k + 4)), i, k + 5);
        return k + 5;
      }
      if (next === 0x78 /* x */ && isHex(source.charCodeAt(k + 1)) && isHex(source.charCodeAt(k + 2))) {
        emit((hexValue(source.charCodeAt(k + 1)) << 4) | hexValue(source.charCodeAt(k + 2)), i, k + 3);
        return k + 3;
      }
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        emit(simple, i, k + 1);
        return k + 1;
      }
      // A run of backslashes before anything else stands for one backslash.
      emit(BACKSLASH, i, k);
      return k;
    }
    if (c === 0x25 /* % */) {
      const first = percent(i);
      if (first) {
        const [byte, end] = first;
        const extra = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : byte >= 0xc0 ? 1 : 0;
        // A UTF-8 sequence: the continuation bytes must be escapes too.
        let codePoint = extra ? byte & (0x3f >> extra) : byte;
        let j = end;
        for (let e = 0; e < extra && j >= 0; e++) {
          const more = percent(j);
          if (!more || (more[0] & 0xc0) !== 0x80) j = -1;
          else {
            codePoint = (codePoint << 6) | (more[0] & 0x3f);
            j = more[1];
          }
        }
        if (j >= 0 && codePoint <= 0x10ffff) {
          emit(codePoint, i, j);
          return j;
        }
      }
    }
    if (c === 0x26 /* & */) {
      // `&`, then any number of `amp;` (escaped again), then a character reference.
      let k = i + 1;
      let amps = 0;
      while ((source.charCodeAt(k) | 0x20) === 0x61 && (source.charCodeAt(k + 1) | 0x20) === 0x6d && (source.charCodeAt(k + 2) | 0x20) === 0x70 && source.charCodeAt(k + 3) === 0x3b) {
        k += 4;
        amps++;
      }
      let decoded: number | undefined;
      let end = k;
      if (source.charCodeAt(k) === 0x23 /* # */) {
        let j = k + 1;
        let value = 0;
        const hex = (source.charCodeAt(j) | 0x20) === 0x78;
        if (hex) j++;
        const from = j;
        // The digits, then `;` — or no `;` (the digits end at a character that is not one).
        while (j < length && (hex ? isHex(source.charCodeAt(j)) : isDigit(source.charCodeAt(j))) && j - from < 8) {
          value = value * (hex ? 16 : 10) + hexValue(source.charCodeAt(j));
          j++;
        }
        if (j > from && value <= 0x10ffff) {
          decoded = value;
          end = source.charCodeAt(j) === 0x3b ? j + 1 : j;
        }
      } else {
        // A name of letters and a `;`, looked for only as far as the longest name (never across the text).
        let semicolon = k;
        while (semicolon - k <= LONGEST_ENTITY_NAME && isLetter(source.charCodeAt(semicolon))) semicolon++;
        if (semicolon > k && source.charCodeAt(semicolon) === 0x3b) {
          const named = NAMED_ENTITIES[source.slice(k, semicolon)];
          if (named !== undefined) {
            decoded = named.charCodeAt(0);
            end = semicolon + 1;
          }
        }
      }
      // `&amp;` (or `&amp;amp;`) alone: an ampersand.
      if (decoded === undefined && amps > 0) decoded = 0x26;
      if (decoded !== undefined) {
        emit(decoded, i, end);
        return end;
      }
    }
    copy(i, i + 1);
    return i + 1;
  };

  const special = /[\\%&\r\n]/g;
  let i = 0;
  while (i < length) {
    special.lastIndex = i;
    const match = special.exec(source);
    if (!match) {
      copy(i, length);
      break;
    }
    copy(i, match.index);
    i = decodeAt(match.index);
  }
  return new DecodedView(parts.join(''), viewAt, sourceAt, sourceEnd, plain);
}

/** The characters of base64(prefix + value) that depend on the value's bytes only, for a prefix of `offset` bytes. */
export function base64Core(value: string, offset: 0 | 1 | 2): string {
  const bytes = Buffer.from(value, 'utf8');
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

type NeedleKind = 'written' | 'text' | 'hex' | 'base64-0' | 'base64-1' | 'base64-2';

interface Needle {
  text: string;
  /** Index of the value it belongs to. */
  value: number;
  kind: NeedleKind;
}

/** Shortest needle looked for: shorter ones would match unrelated text (and slow the search). */
const MIN_NEEDLE_LENGTH = 8;

/**
 * Several needles in one pass (Wu–Manber): a window as long as the shortest needle slides along
 * the text; the last two characters of the window say how far it may jump (most of the time, as
 * far as the window is long), and at a jump of 0 pick the needles to compare.
 */
class MultiSearch {
  private readonly window: number;
  private readonly shift = new Uint8Array(65_536);
  private readonly candidates = new Map<number, Needle[]>();
  readonly empty: boolean;

  constructor(needles: Needle[]) {
    this.empty = needles.length === 0;
    this.window = Math.max(2, Math.min(...needles.map((n) => n.text.length)));
    const block = (text: string, end: number) => ((text.charCodeAt(end - 2) & 0xff) << 8) | (text.charCodeAt(end - 1) & 0xff);
    this.shift.fill(Math.min(255, this.window - 1));
    for (const needle of needles) {
      for (let end = 2; end <= this.window; end++) {
        const key = block(needle.text, end);
        this.shift[key] = Math.min(this.shift[key]!, this.window - end);
      }
      const key = block(needle.text, this.window);
      const list = this.candidates.get(key) ?? [];
      list.push(needle);
      this.candidates.set(key, list);
    }
  }

  /** Every occurrence: [start, end, needle]. */
  search(text: string, found: (start: number, end: number, needle: Needle) => void): void {
    if (this.empty) return;
    const { shift, window } = this;
    for (let last = window - 1; last < text.length; ) {
      const key = ((text.charCodeAt(last - 1) & 0xff) << 8) | (text.charCodeAt(last) & 0xff);
      const jump = shift[key]!;
      if (jump) {
        last += jump;
        continue;
      }
      const start = last - window + 1;
      for (const needle of this.candidates.get(key) ?? []) if (text.startsWith(needle.text, start)) found(start, start + needle.text.length, needle);
      last++;
    }
  }
}

const htmlEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Names a match of a value for a message (never quoting it), from the text it was found in. */
export function nameForm(value: string, kind: NeedleKind, matched: string): FormName {
  if (kind === 'hex') return 'hex';
  if (kind === 'base64-1') return 'base64 (offset 1 byte)';
  if (kind === 'base64-2') return 'base64 (offset 2 bytes)';
  if (kind === 'base64-0') return /[-_]/.test(matched) && !/[+/]/.test(matched) ? 'base64url' : 'base64';
  if (matched === value) return 'as written';
  if (matched === JSON.stringify(value).slice(1, -1)) return 'JSON-escaped';
  if (matched === htmlEscape(value)) return 'HTML-escaped';
  if (matched === encodeURIComponent(value)) return 'URL-encoded';
  // A break the value does not hold itself: raw, or JSON-escaped (`\n` where the value has no backslash).
  if (!/[\r\n]/.test(value) && (/[\r\n]/.test(matched) || (!value.includes('\\') && /\\+[rn]/.test(matched)))) return 'split over lines';
  if (/\\+u[0-9a-fA-F]{4}/.test(matched)) return '\\u-escaped';
  if (/&(?:#|[A-Za-z]+;)/.test(matched)) return 'HTML entities';
  if (/%[0-9a-fA-F]{2}/.test(matched)) return 'URL-encoded';
  return 'escaped';
}

export interface MatchedSecret<Label> {
  label: Label;
  form: FormName;
  /** The span in the text searched. */
  start: number;
  end: number;
}

/**
 * Every form of every value of a set, found in one decoding pass and one search pass per text.
 * The needles are computed once, here.
 */
export class SecretMatcher<Label = string> {
  readonly size: number;
  private readonly values: { value: string; label: Label }[] = [];
  /** Searched in the decoded view. */
  private readonly inView: MultiSearch;
  /** Searched in the text as it is: values the view would read differently. */
  private readonly inText: MultiSearch;
  /** The longest text a match may span (for reading a stream in overlapping windows). */
  readonly maxSpan: number;

  constructor(values: Iterable<{ value: string; label: Label }>) {
    const viewNeedles: Needle[] = [];
    const textNeedles: Needle[] = [];
    const seen = new Set<string>();
    for (const { value, label } of values) {
      if (!value || seen.has(value)) continue;
      seen.add(value);
      const index = this.values.push({ value, label }) - 1;
      const add = (list: Needle[], text: string, kind: NeedleKind) => {
        if (text.length >= MIN_NEEDLE_LENGTH && !list.some((n) => n.text === text && n.value === index)) list.push({ text, value: index, kind });
      };
      const normalized = value.replace(/\r?\n[ \t]*/g, '');
      add(viewNeedles, normalized, 'text');
      if (normalized.includes(' ')) add(viewNeedles, normalized.replace(/ /g, '+'), 'text'); // form-encoded
      if (decodeView(value).text !== normalized) add(textNeedles, value, 'written');
      const hex = Buffer.from(value, 'utf8').toString('hex');
      add(viewNeedles, hex, 'hex');
      add(viewNeedles, hex.toUpperCase(), 'hex');
      for (const offset of [0, 1, 2] as const) {
        const core = base64Core(value, offset);
        if (core.length < 8) continue;
        add(viewNeedles, core, `base64-${offset}`);
        add(viewNeedles, core.replace(/\+/g, '-').replace(/\//g, '_'), `base64-${offset}`);
      }
    }
    this.size = this.values.length;
    this.inView = new MultiSearch(viewNeedles);
    this.inText = new MultiSearch(textNeedles);
    const longest = Math.max(0, ...this.values.map((v) => v.value.length));
    // An escaped character takes up to ~16 characters (`&amp;amp;#x0041;`), plus a line break and its indentation.
    this.maxSpan = longest * 16 + 1024;
  }

  /** Every match in `text`: the span in `text`, the value's label and the kind of needle. */
  private spans(text: string): { start: number; end: number; needle: Needle }[] {
    const spans: { start: number; end: number; needle: Needle }[] = [];
    if (!this.size) return spans;
    const view = decodeView(text);
    this.inView.search(view.text, (start, end, needle) => {
      const [from, to] = view.sourceSpan(start, end);
      spans.push({ start: from, end: to, needle });
    });
    this.inText.search(text, (start, end, needle) => spans.push({ start, end, needle }));
    return spans;
  }

  /** `text` with every match replaced by `replacement` (overlapping matches as one). */
  replace(text: string, replacement: string): string {
    const spans = this.spans(text);
    if (!spans.length) return text;
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    let out = '';
    let at = 0;
    let open = -1;
    let close = -1;
    for (const { start, end } of spans) {
      if (open >= 0 && start < close) {
        close = Math.max(close, end);
        continue;
      }
      if (open >= 0) {
        out += text.slice(at, open) + replacement;
        at = close;
      }
      open = start;
      close = end;
    }
    out += text.slice(at, open) + replacement + text.slice(close);
    return out;
  }

  /** Every match in `text`, with the value's label and the form's name, in text order. */
  find(text: string): MatchedSecret<Label>[] {
    return this.spans(text)
      .sort((a, b) => a.start - b.start)
      .map(({ start, end, needle }) => {
        const { value, label } = this.values[needle.value]!;
        return { label, form: nameForm(value, needle.kind === 'written' ? 'text' : needle.kind, text.slice(start, end)), start, end };
      });
  }
}
