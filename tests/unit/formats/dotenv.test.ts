/**
 * The one `.env` parser (src/formats/dotenv.ts): python-dotenv's syntax, every character's
 * position, problems by position and never by text, and the secrets reader built on it.
 */
import { describe, expect, it } from 'vitest';
import { dotenvValuePosition, parseDotenv } from '../../../src/formats/dotenv.ts';
import { parseEnv, parseEnvLines } from '../../../src/secrets/env-files.ts';

describe('parseDotenv', () => {
  it('reads .env values with the file position of every character (quotes, escapes, several lines)', () => {
    const text = "A=plain value # comment\nexport B='single \\' quoted'\nC=\"line1\nline2 \\\"x\\\"\"\n";
    const { entries, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['A', 'plain value', 1],
      ['B', "single ' quoted", 2],
      ['C', 'line1\nline2 "x"', 3],
    ]);
    const c = entries[2]!;
    expect(dotenvValuePosition(text, c, c.value.indexOf('x'))).toEqual({ line: 4, column: 9 });
    expect(parseDotenv('A="never closed\nB=1\n').problems[0]).toMatchObject({ kind: 'unclosed-quote', line: 1, column: 3 });
    expect(parseDotenv('not a pair\n').problems[0]).toMatchObject({ kind: 'no-equals', line: 1, message: expect.stringMatching(/no '='/) });
  });

  it('counts lines after a value that spans several, and after CRLF and a BOM', () => {
    const text = '\uFEFFA="x\ny\nz"\r\nB=2\r\n\r\n# c\r\nC = 3 \r\n';
    expect(parseDotenv(text).entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['A', 'x\ny\nz', 1],
      ['B', '2', 4],
      ['C', '3', 7],
    ]);
  });

  it('goes on after a bad line, as python-dotenv does, and names each problem by position only', () => {
    const text = "OK=1\n  2ND=x\nsk-pasted-secret\nQ='unfinished\nR=2\nS=\"a\" trailing\n";
    const { entries, problems } = parseDotenv(text);
    expect(entries.map((e) => e.key)).toEqual(['OK', 'R', 'S']);
    expect(problems.map((p) => [p.kind, p.line, p.column])).toEqual([
      ['bad-name', 2, 3],
      ['no-equals', 3, 1],
      ['unclosed-quote', 4, 3],
      ['after-quote', 6, 6],
    ]);
    expect(JSON.stringify(problems)).not.toMatch(/sk-pasted|unfinished|trailing/);
  });
});

describe('the secrets reader on top of it', () => {
  it('keeps its entries and messages', () => {
    const entries = parseEnv('# c\nexport A=1\nB="two words"\nC=x # note\n', 'f.env');
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([['A', '1', 2], ['B', 'two words', 3], ['C', 'x', 4]]);
    expect(() => parseEnv('A=1\nOOPS\n', 'secrets/litellm.env')).toThrow(/^secrets\/litellm\.env:2: expected KEY=value/);
  });

  it('reads a value quoted over several lines as one value, not as broken lines (as Open WebUI and LiteLLM do)', () => {
    const { entries, problems } = parseEnvLines('TOOLS=\'[\n  {"key": "sk-abc"}\n]\'\nNEXT=1\n', 'openwebui.env');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['TOOLS', '[\n  {"key": "sk-abc"}\n]', 1],
      ['NEXT', '1', 4],
    ]);
  });
});
