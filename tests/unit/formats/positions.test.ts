/** positionAt: offsets to the `line:col` every message about a file names. */
import { describe, expect, it } from 'vitest';
import { positionAt } from '../../../src/formats/positions.ts';

describe('positionAt', () => {
  it('is 1-based: the first character is 1:1, a line starts after its \\n', () => {
    const text = 'ab\ncd\n';
    expect(positionAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt(text, 1)).toEqual({ line: 1, column: 2 });
    expect(positionAt(text, 2)).toEqual({ line: 1, column: 3 }); // the \n itself ends line 1
    expect(positionAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(positionAt(text, 6)).toEqual({ line: 3, column: 1 }); // just after the last \n
  });

  it('CRLF: the \\r is the last column of its line, the next line starts after the \\n', () => {
    const text = 'a\r\nbc\r\nd';
    expect(positionAt(text, 1)).toEqual({ line: 1, column: 2 }); // \r
    expect(positionAt(text, 2)).toEqual({ line: 1, column: 3 }); // \n
    expect(positionAt(text, 3)).toEqual({ line: 2, column: 1 }); // b
    expect(positionAt(text, 4)).toEqual({ line: 2, column: 2 }); // c
    expect(positionAt(text, 7)).toEqual({ line: 3, column: 1 }); // d
    // A lone \r is not a line break (no editor we target treats it as one in these files).
    expect(positionAt('a\rb', 2)).toEqual({ line: 1, column: 3 });
  });

  it('counts columns in UTF-16 code units, as editors do: an astral character is two', () => {
    const text = '😀x\né😀y';
    expect(text.indexOf('x')).toBe(2);
    expect(positionAt(text, text.indexOf('x'))).toEqual({ line: 1, column: 3 });
    // é is one code unit, the emoji two: y is at column 4 of line 2.
    expect(positionAt(text, text.indexOf('y'))).toEqual({ line: 2, column: 4 });
    // An offset inside a surrogate pair is still a column (the pair's second half).
    expect(positionAt(text, 1)).toEqual({ line: 1, column: 2 });
  });

  it('clamps offsets outside the text', () => {
    expect(positionAt('ab\nc', 100)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\nc', -5)).toEqual({ line: 1, column: 1 });
    expect(positionAt('', 0)).toEqual({ line: 1, column: 1 });
  });
});
