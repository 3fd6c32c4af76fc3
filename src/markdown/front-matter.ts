/**
 * A runbook's front matter, read as data and never as code.
 *
 * gray-matter (what Astro-style loaders often use) picks its engine from the opening fence:
 * `---js` or `---javascript` makes it `eval` the block, with `require` in reach, during the site
 * build (issue 13, high 3). Runbooks come from any PR, so only data languages are accepted:
 * YAML (`---`, `---yaml`, `---yml`) and TOML (`---toml`). Any other language is an
 * InputError naming `file:line:col`; YAML aliases are capped, so an alias bomb cannot either.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { parseDocument } from 'yaml';
import { InputError } from '../formats/input-error.ts';
import { positionAt } from '../formats/positions.ts';

export type FrontMatterLanguage = 'yaml' | 'toml';

export interface FrontMatterBlock {
  language: FrontMatterLanguage;
  /** Offsets into the text (after a BOM, if any): the whole block, fences included, and its body. */
  start: number;
  end: number;
  bodyStart: number;
  bodyEnd: number;
}

export interface FrontMatter {
  data: Record<string, unknown>;
  /** The Markdown after the block (the whole text when there is none). */
  content: string;
  /** Lines the block takes above the content (0 when there is none). */
  lines: number;
}

const OPENING = /^---([^\r\n]*)\r?\n/;
const LANGUAGES: Record<string, FrontMatterLanguage> = { '': 'yaml', yaml: 'yaml', yml: 'yaml', toml: 'toml' };
/** The most YAML aliases a front matter may use: real ones use none; a bomb uses millions. */
const MAX_ALIASES = 50;

/**
 * Where the front matter is, or undefined when the text has none. Throws an InputError when
 * the opening fence names a language other than YAML or TOML, closed or not (gray-matter runs
 * an unclosed block to the end of the file).
 */
export function findFrontMatter(text: string, file: string): FrontMatterBlock | undefined {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const opening = OPENING.exec(text.slice(bom));
  if (!opening) return undefined;
  const name = opening[1]!.trim();
  // `----` and longer are thematic breaks, as in CommonMark: no front matter.
  if (/^-+$/.test(name)) return undefined;
  const language = Object.hasOwn(LANGUAGES, name.toLowerCase()) ? LANGUAGES[name.toLowerCase()] : undefined;
  if (!language) {
    throw new InputError(
      file,
      1,
      4,
      `front matter in "${visibleName(name)}" is not accepted (front matter is data, never code) — change the first line to \`---\` and write the block as YAML, or \`---toml\` for TOML`,
    );
  }
  const bodyStart = bom + opening[0].length;
  // The closing fence is the first line of its own that is `---` (trailing blanks allowed).
  for (let lineStart = bodyStart; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (/^---[ \t]*\r?$/.test(text.slice(lineStart, lineEnd))) {
      return { language, start: bom, end: newline === -1 ? text.length : newline + 1, bodyStart, bodyEnd: lineStart };
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return undefined; // no closing fence: a thematic break or a setext underline, not front matter
}

/** The front matter's data and the Markdown after it; InputError (file:line:col) when it does not parse. */
export function readFrontMatter(text: string, file: string): FrontMatter {
  const block = findFrontMatter(text, file);
  if (!block) return { data: {}, content: text.startsWith('\uFEFF') ? text.slice(1) : text, lines: 0 };
  const body = text.slice(block.bodyStart, block.bodyEnd);
  const firstLine = positionAt(text, block.bodyStart).line;
  const data = block.language === 'yaml' ? parseYaml(body, file, firstLine) : parseTomlBlock(body, file, firstLine);
  const content = text.slice(block.end);
  return { data, content, lines: positionAt(text, block.end).line - positionAt(text, block.start).line };
}

function parseYaml(body: string, file: string, firstLine: number): Record<string, unknown> {
  const document = parseDocument(body, { prettyErrors: true, uniqueKeys: false });
  const error = document.errors[0];
  if (error) {
    const at = error.linePos?.[0] ?? { line: 1, col: 1 };
    throw new InputError(file, firstLine + at.line - 1, at.col, `front matter is not valid YAML (${error.code}) — fix the YAML between the \`---\` lines`);
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch {
    throw new InputError(file, firstLine, 1, `front matter expands YAML aliases more than ${MAX_ALIASES} times — write the values out instead of repeating aliases`);
  }
  return asMapping(data, file, firstLine);
}

function parseTomlBlock(body: string, file: string, firstLine: number): Record<string, unknown> {
  try {
    return asMapping(parseToml(body), file, firstLine);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const at = error instanceof TomlError ? { line: error.line, column: error.column } : { line: 1, column: 1 };
    throw new InputError(file, firstLine + at.line - 1, at.column, 'front matter is not valid TOML — fix the TOML between the `---toml` and `---` lines');
  }
}

function asMapping(data: unknown, file: string, line: number): Record<string, unknown> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(file, line, 1, 'front matter is not a mapping — write it as keys and values (e.g. `title: Gateway runbook`)');
  }
  return data as Record<string, unknown>;
}

/** A language name as it may be shown: short, printable. */
function visibleName(name: string): string {
  const shown = name.replace(/[^\x20-\x7e]/g, '?');
  return shown.length > 24 ? `${shown.slice(0, 24)}…` : shown;
}
