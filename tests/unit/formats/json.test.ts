/**
 * The one JSON/JSONC scanner (src/formats/json.ts) and its two wordings (json-errors.ts): values
 * and key positions, the JSONC relaxations, and syntax errors at line:col.
 */
import { describe, expect, it } from 'vitest';
import { locate, pathText, scanJson, type JsonDialect } from '../../../src/formats/json.ts';
import { jsonFindingError, jsonSyntaxError } from '../../../src/formats/json-errors.ts';
import { positionAt } from '../../../src/formats/positions.ts';

/** The scan with its error worded as a client probe's finding. */
function parseJson(text: string, dialect?: JsonDialect) {
  const scan = scanJson(text, dialect);
  return { ...scan, error: scan.error && jsonFindingError(scan.error) };
}

/** Where the input-error wording points, as `line:col`, and what it says. */
function inputError(text: string, jsonc = false): string | undefined {
  const problem = jsonSyntaxError(text, { jsonc });
  if (!problem) return undefined;
  const { line, column } = positionAt(text, problem.offset);
  return `${line}:${column}: ${problem.message}`;
}

describe('scanJson', () => {
  it('parses JSON with positions and names syntax errors by offset', () => {
    const text = '{\n  "a": [1, 2],\n  "b": {"c": "x"}\n}';
    const parsed = parseJson(text);
    expect(parsed.value).toEqual({ a: [1, 2], b: { c: 'x' } });
    expect(positionAt(text, locate(parsed.root!, ['b', 'c']).offset)).toEqual({ line: 3, column: 9 });
    expect(positionAt(text, locate(parsed.root!, ['a', 1]).offset)).toEqual({ line: 2, column: 12 });
    // A missing property points at the object that should hold it (its key).
    expect(positionAt(text, locate(parsed.root!, ['b', 'missing']).offset)).toEqual({ line: 3, column: 3 });

    const broken = '{\n  "a": 1\n  "b": 2\n}';
    const error = parseJson(broken).error!;
    expect(positionAt(broken, error.offset)).toEqual({ line: 3, column: 3 });
    expect(error.message).toMatch(/expected ',' or '}' after the value of "a".*comma missing/);
    expect(parseJson('{"a": 1,}').error!.message).toMatch(/trailing comma/);
    expect(parseJson('{"a": 1,}', { trailingCommas: true }).value).toEqual({ a: 1 });
    expect(parseJson('// c\n{"a": /* x */ 1}', { comments: true }).value).toEqual({ a: 1 });
    expect(parseJson("{'a': 1}").error!.message).toMatch(/double-quoted property name but found a single quote/);
    expect(parseJson('{"a": "x').error!.message).toMatch(/unterminated string/);
    expect(parseJson('').error!.message).toMatch(/empty/);
    expect(parseJson('{"a": 1} x').error!.message).toMatch(/after the end/);
    expect(parseJson('{"a": 1, "a": 2}').duplicates.map((d) => d.key)).toEqual(['a']);
    // Same values as JSON.parse on a mixed document.
    const sample = '{"s": "t\\u00e9\\n\\"q\\"", "n": -1.5e3, "t": true, "f": false, "z": null, "l": [[], {}]}';
    expect(parseJson(sample).value).toEqual(JSON.parse(sample));
  });

  it('reads JSONC: // and /* */ comments and trailing commas, only when the dialect allows them', () => {
    const text = '{\r\n  // the gateway\r\n  "servers": {"a": {"args": [1, 2,],},}, /* done */\r\n}\r\n';
    const jsonc = scanJson(text, { comments: true, trailingCommas: true });
    expect(jsonc.error).toBeUndefined();
    expect(jsonc.value).toEqual({ servers: { a: { args: [1, 2] } } });
    // CRLF: the key on line 3 is at column 3.
    expect(positionAt(text, locate(jsonc.root!, ['servers']).offset)).toEqual({ line: 3, column: 3 });
    expect(scanJson(text, { comments: true }).error).toMatchObject({ kind: 'trailing-comma', closer: ']' });
    expect(scanJson(text, { trailingCommas: true }).error).toMatchObject({ kind: 'comment', offset: text.indexOf('//') });
  });

  it('keeps positions in UTF-16 code units across astral characters and skips a BOM', () => {
    const text = '\uFEFF{"emoji": "😀😀", "next": true}';
    const scan = scanJson(text);
    expect(scan.value).toEqual({ emoji: '😀😀', next: true });
    expect(locate(scan.root!, ['next']).offset).toBe(text.indexOf('"next"'));
    expect(positionAt(text, locate(scan.root!, ['next']).offset)).toEqual({ line: 1, column: 20 }); // BOM 1, each emoji 2
    expect(scanJson('"\\ud83d\\ude00"').value).toBe('😀');
  });

  it('treats "__proto__" as a key, lists every duplicate with the first one, and says where a path stops', () => {
    const scan = scanJson('{"__proto__": {"x": 1}, "a": {"b": 1, "b": 2, "b": 3}}');
    expect(Object.keys(scan.value as object)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(scan.duplicates.map((d) => [pathText([...d.path, d.key]), d.firstOffset < d.offset])).toEqual([
      ['a.b', true],
      ['a.b', true],
    ]);
    expect(new Set(scan.duplicates.map((d) => d.firstOffset)).size).toBe(1);
    expect((scan.value as { a: { b: number } }).a.b).toBe(3); // the last wins, as in JSON.parse
    expect(locate(scan.root!, ['a', 'c'])).toMatchObject({ exact: false });
    expect(pathText(['servers', 'my server', 0, 'url'])).toBe('servers["my server"][0].url');
    expect(pathText([])).toBe('(top level)');
  });

  it('stops at a depth no config has, instead of overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(scanJson(deep).error).toMatchObject({ kind: 'too-deep' });
    expect(scanJson(`${'['.repeat(500)}${']'.repeat(500)}`).error).toBeUndefined();
  });

  it('agrees with JSON.parse on what is strict JSON', () => {
    const samples = [
      '{}', '[]', '0', '-0.5e-3', '"x"', 'true', 'null', ' {"a" : [ 1 , {"b": null} ] } ', `${'1'.repeat(100)}`,
      '', ' ', '{', '}', '[1,]', '{"a":1,}', "{'a': 1}", '{"a" 1}', '{"a": 1 "b": 2}', '01', '1.', '.5', '+1', '-',
      'tru', 'nul', '"\\x"', '"\\u12"', '"a\tb"', '"a\nb"', '[1] 2', '/* c */ 1', '// c\n1', '{"a": undefined}', 'NaN',
    ];
    for (const sample of samples) {
      let parses = true;
      try {
        JSON.parse(sample);
      } catch {
        parses = false;
      }
      expect(scanJson(sample).error === undefined, sample).toBe(parses);
      if (parses) expect(scanJson(sample).value, sample).toEqual(JSON.parse(sample));
    }
  });
});

describe('jsonSyntaxError: the input-error wording (preflight, evidence), at line:col', () => {
  it('names comments, trailing commas and truncation where they are', () => {
    expect(inputError('{\n  // VS Code\n  "servers": {}\n}\n')).toBe('2:3: comment; strict JSON has no comments, remove it');
    expect(inputError('{\n  // VS Code\n  "servers": {}\n}\n', true)).toBeUndefined();
    expect(inputError('{\n  "a": [1, 2,],\n  "b": 1,\n}')).toBe('2:13: trailing comma before "]"; remove it');
    expect(inputError('{\n  "a": [1, 2,],\n  "b": 1,\n}', true)).toBeUndefined();
    expect(inputError('{\n  "a": 1,\n')).toBe('3:1: the file ends too early (truncated?)');
    expect(inputError('')).toBe('1:1: the file ends too early (truncated?)');
    expect(inputError('{\n  /* never closed\n}', true)).toBe('2:3: comment never closed; add */');
  });

  it('names the character found, never more of the text', () => {
    expect(inputError("{'sk-secret': 1}")).toBe('1:2: unexpected "\'"; expected a property name in double quotes');
    expect(inputError('{"a" 1}')).toBe('1:6: unexpected "1"; expected ":" after the property name');
    expect(inputError('{"a": 1 "sk-secret": 2}')).toBe('1:9: unexpected "\\""; expected "," or "}"');
    expect(inputError('[1 2]')).toBe('1:4: unexpected "2"; expected "," or "]"');
    expect(inputError('Garbage')).toBe('1:1: unexpected "G"; expected a value');
    expect(inputError('{} x')).toBe('1:4: unexpected "x" after the end of the JSON value');
    expect(inputError('{"a": "x\ny"}')).toBe('1:9: control character (e.g. a line break) inside a string; escape it or close the string before it');
    expect(inputError('{"a": "x')).toBe('1:7: string never closed; add the closing "');
    expect(inputError('"\\u12g4"')).toBe('1:2: bad \\u escape; write four hex digits');
    expect(inputError('"\\q"')).toBe('1:2: bad escape in a string; escape a backslash as \\\\');
    expect(inputError('[/x]', true)).toBe('1:2: comment; strict JSON has no comments, remove it');
  });
});

describe('jsonFindingError: the client-probe wording', () => {
  const finding = (text: string, reader?: string, dialect?: JsonDialect) => {
    const error = scanJson(text, dialect).error!;
    const problem = jsonFindingError(error, reader);
    const { line, column } = positionAt(text, problem.offset);
    return `${line}:${column}: ${problem.message}`;
  };

  it('names the strict reader for what only JSONC allows', () => {
    expect(finding('{"a": 1,\n}', 'Claude Code reads .mcp.json as strict JSON')).toBe(
      "1:8: trailing comma before '}' is not allowed in JSON (Claude Code reads .mcp.json as strict JSON); remove the comma",
    );
    expect(finding('// x\n{}', 'a strict reader')).toBe('1:1: comments are not allowed in JSON (a strict reader); remove the comment');
  });

  it('points an unterminated string at its opening quote', () => {
    expect(finding('{\n  "a": "no end\n}')).toBe('2:8: unterminated string: the closing " is missing before the end of the line');
    expect(finding('{"a": "no end')).toBe('1:7: unterminated string: the closing " is missing');
  });

  it('says what is missing at the end of the file', () => {
    expect(finding('{"a": 1')).toBe("1:8: unexpected end of file: a '}' is missing");
    expect(finding('[1')).toBe("1:3: unexpected end of file: a ']' is missing");
    expect(finding('{"a": ')).toBe('1:7: unexpected end of file: a value is missing');
    expect(finding('  ')).toBe('1:3: the file is empty; it must hold a JSON object');
  });
});
