/**
 * JsonStringCap: JSON strings over the cap keep a head and end in `…[N bytes truncated, sha256 …]`
 * however the stream is cut into chunks; everything else passes unchanged; the result is still
 * JSON; a word the cap falls in (a key the server echoed) is dropped whole.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStringCap } from '../../../../src/probes/kit/json-string-cap.ts';

/** `text` through a cap of `max` bytes, in chunks of the given sizes (cycled). */
function capped(text: string, max: number, sizes: number[] = [text.length + 1]): { out: string; cap: JsonStringCap } {
  const bytes = Buffer.from(text);
  const cap = new JsonStringCap(max);
  const out: Uint8Array[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!);
    out.push(...cap.push(bytes.subarray(at, at + size)));
    at += size;
  }
  out.push(...cap.end());
  return { out: Buffer.concat(out).toString('utf8'), cap };
}

const MARKER = /…\[(\d+) bytes truncated, sha256 ([0-9a-f]{64})\]$/;

describe('JsonStringCap', () => {
  it('cuts a long string to its head and says how many bytes it dropped and their sha256', () => {
    const long = 'word '.repeat(20_000); // 100,000 bytes
    const text = JSON.stringify({ tools: [{ name: 'fault-describe', description: long, inputSchema: { type: 'object' } }] });
    const { out, cap } = capped(text, 4096, [65_536]);
    const parsed = JSON.parse(out) as { tools: { name: string; description: string; inputSchema: object }[] };
    const [tool] = parsed.tools;
    expect(tool!.name).toBe('fault-describe');
    expect(tool!.inputSchema).toEqual({ type: 'object' });
    const [, dropped, sha] = MARKER.exec(tool!.description)!;
    const head = tool!.description.replace(MARKER, '');
    expect(Buffer.byteLength(head)).toBeLessThanOrEqual(4096);
    expect(long.startsWith(head)).toBe(true);
    expect(Number(dropped)).toBe(long.length - head.length);
    expect(sha).toBe(createHash('sha256').update(long.slice(head.length)).digest('hex'));
    expect(cap.cut).toBe(1);
  });

  it('passes JSON whose strings are all under the cap unchanged, however it is chunked', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }), (value, sizes) => {
        const text = JSON.stringify(value);
        expect(capped(text, 1_000_000, sizes).out).toBe(text);
      }),
    );
  });

  it('gives the same valid JSON whole or in chunks cut anywhere, with escapes and multi-byte characters at the cut', () => {
    const piece = fc.constantFrom('a', 'é', '€', '😀', '"', '\\', '\n', '\u0001', ' ', 'sk-');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 0, maxLength: 300 }), fc.integer({ min: 8, max: 64 }), fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 4 }), (pieces, max, sizes) => {
        const value = { a: pieces.join(''), b: [pieces.reverse().join(''), 1, true], c: 'short' };
        const text = JSON.stringify(value);
        const whole = capped(text, max).out;
        expect(capped(text, max, sizes).out).toBe(whole);
        const parsed = JSON.parse(whole) as typeof value;
        expect(parsed.c).toBe('short');
        for (const [original, got] of [[value.a, parsed.a], [value.b[0], parsed.b[0]]] as [string, string][]) {
          if (got === original) continue;
          expect(got).toMatch(MARKER);
          expect(original.startsWith(got.replace(MARKER, ''))).toBe(true);
        }
      }),
    );
  });

  it('drops a key that straddles the cut whole, not half', () => {
    const key = 'sk-0123456789abcdefghijklmnopqrstuvwxyz';
    for (let offset = -45; offset <= 5; offset += 5) {
      const text = JSON.stringify({ d: `${'word '.repeat(200).slice(0, 1000 + offset)} ${key} ${'x'.repeat(5000)}` });
      const head = (JSON.parse(capped(text, 1024).out) as { d: string }).d.replace(MARKER, '');
      for (let n = 4; n <= key.length; n++) {
        if (head.includes(key.slice(0, n))) expect(head).toContain(key);
      }
    }
  });

  it('keeps SSE framing: each data line is capped on its own, the lines around pass', () => {
    const event = (data: string) => `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', result: { text: data } })}\n\n`;
    const text = `: ping "unbalanced\n\n${event('y'.repeat(10_000))}${event('ok')}`;
    const out = capped(text, 500, [333]).out;
    const data = out.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as { result: { text: string } });
    expect(data).toHaveLength(2);
    expect(data[0]!.result.text).toMatch(MARKER);
    expect(data[1]!.result.text).toBe('ok');
    expect(out.startsWith(': ping "unbalanced\n\nevent: message\n')).toBe(true);
  });
});
