/** tomlKeyLines: the line of every key of a valid TOML document (smol-toml gives no positions). */
import { describe, expect, it } from 'vitest';
import { lineOfKeys, tomlKeyLines } from '../../../src/formats/toml-keys.ts';

describe('tomlKeyLines', () => {
  it('finds tables, dotted keys, inline-table keys and keys after multi-line values', () => {
    const text = [
      'a = 1', // 1
      'b.c = "x" # comment', // 2
      'arr = [', // 3
      '  "one", # [not a table]', // 4
      '  "two",', // 5
      ']', // 6
      'ml = """', // 7
      'key = "not a key"', // 8
      '"""', // 9
      '[mcp_servers."lite.llm"]', // 10
      'url = "http://h/"', // 11
      'http_headers = { "x-mcp-servers" = "a,b", Authorization = "Bearer t" }', // 12
      '[[profiles]]', // 13
      'name = "p"', // 14
    ].join('\n');
    const lines = tomlKeyLines(text);
    const at = (...keys: string[]) => lines.get(JSON.stringify(keys));
    expect(at('a')).toBe(1);
    expect(at('b', 'c')).toBe(2);
    expect(at('arr')).toBe(3);
    expect(at('ml')).toBe(7);
    expect(at('key')).toBeUndefined();
    expect(at('mcp_servers', 'lite.llm')).toBe(10);
    expect(at('mcp_servers', 'lite.llm', 'url')).toBe(11);
    expect(at('mcp_servers', 'lite.llm', 'http_headers', 'x-mcp-servers')).toBe(12);
    expect(at('mcp_servers', 'lite.llm', 'http_headers', 'Authorization')).toBe(12);
    expect(at('profiles', 'name')).toBe(14);
  });
});

describe('tomlKeyLines, more shapes', () => {
  it('reads quoted keys with escapes, literal strings, nested inline tables and arrays of inline tables', () => {
    const text = [
      '"a\\u0062c" = 1', // 1: the key is "abc"
      "'lit.eral' = 'x'", // 2
      't = { inner = { deep = 1 }, list = [ { k = 1 } ] }', // 3
      '[table] # comment', // 4
      'x = """a', // 5
      'b"""""', // 6: two extra quotes belong to the string
      'after = 1', // 7
    ].join('\r\n');
    const lines = tomlKeyLines(text);
    const at = (...keys: string[]) => lines.get(JSON.stringify(keys));
    expect(at('abc')).toBe(1);
    expect(at('lit.eral')).toBe(2);
    expect(at('t', 'inner', 'deep')).toBe(3);
    expect(at('t', 'list', 'k')).toBe(3);
    expect(at('table')).toBe(4);
    expect(at('table', 'x')).toBe(5);
    expect(at('table', 'after')).toBe(7);
  });

  it('lineOfKeys falls back to the nearest enclosing key, then to line 1', () => {
    const lines = tomlKeyLines('# Codex\n[mcp_servers.litellm]\nurl = "http://h/"\n');
    expect(lineOfKeys(lines, ['mcp_servers', 'litellm', 'url'])).toBe(3);
    expect(lineOfKeys(lines, ['mcp_servers', 'litellm', 'http_headers', 'x'])).toBe(2);
    expect(lineOfKeys(lines, ['model'])).toBe(1);
  });
});
