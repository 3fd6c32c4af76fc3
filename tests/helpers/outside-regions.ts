/**
 * What a refresh may change in a runbook, for tests that prove it changed nothing else: the
 * regions (start marker + content), the status of the items it bound (a checkbox's box, a
 * leading status mark), and `Last Updated` dates.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { findRegions } from '../../src/rewrite/regions.ts';
import { analyzeDocument } from '../../src/rewrite/structure.ts';

/** sha256 of every file under `dir` (relative path → hash). */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return files;
}

/** The text with every start marker + region content, and the given extra ranges, replaced by one NUL each. */
export function mask(text: string, ranges: [number, number][]): string {
  let out = '';
  let cursor = 0;
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    out += text.slice(cursor, a) + '\u0000';
    cursor = b;
  }
  return out + text.slice(cursor);
}

/**
 * What a refresh may change in a document, as ranges of `before` and `after`: each region (start
 * marker + content), the status of the items the refresh bound (`boundLines`, lines of `before`)
 * and the `Last Updated` dates. Everything else must be byte-identical.
 */
export function owned(before: string, after: string, file: string, boundLines: number[]): { before: [number, number][]; after: [number, number][] } {
  const a = analyzeDocument(before, file);
  const b = analyzeDocument(after, file);
  expect(b.sites.length).toBe(a.sites.length);
  const lineOf = (text: string, at: number) => text.slice(0, at).split('\n').length;
  const ranges = { before: [] as [number, number][], after: [] as [number, number][] };
  const regions = (text: string) => findRegions(text, file).map((r): [number, number] => [r.markerStart, r.contentEnd]);
  ranges.before.push(...regions(before));
  ranges.after.push(...regions(after));
  a.sites.forEach((site, i) => {
    if (!boundLines.includes(lineOf(before, site.at))) return;
    const next = b.sites[i]!;
    const inserted = site.status[0] === site.status[1] ? site.pad.length : 0; // " ⚠️ Pending…" appended after a space
    ranges.before.push(site.status);
    ranges.after.push([next.status[0] - inserted, next.status[1]]);
    if (site.box && next.box) {
      ranges.before.push(site.box);
      ranges.after.push(next.box);
    }
    // An item that starts with its status (`- ✅ DONE Read/write …`): the mark is its status too.
    if (site.mark && next.mark) {
      ranges.before.push(site.mark);
      ranges.after.push(next.mark);
    }
  });
  ranges.before.push(...a.lastUpdated.map((l) => l.date));
  ranges.after.push(...b.lastUpdated.map((l) => l.date));
  return ranges;
}
