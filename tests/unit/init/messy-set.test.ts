/**
 * `init` on a synthetic messy runbook set (tests/fixtures/init/messy-set, written by
 * generate-messy-set.ts with each document's expectations in messy-set.expected.json): which
 * documents it treats as the gateway's, which items it binds to which probes, and which regions it
 * proposes where. Prints precision and recall of bindings and regions; each must be ≥ 95 %.
 * Also: the committed set is exactly what the generator writes, and init parses each document
 * once (a counting parser).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { planInit, type InitPlan } from '../../../src/init/init.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { parseMarkdown } from '../../../src/rewrite/regions.ts';
import { EXPECTED_FILE, messySet, SET_DIR, type ExpectedDoc } from '../../fixtures/init/generate-messy-set.ts';

/** A line of the document as written, from a line init reports in the text with its markers (each inserted region adds 3 lines). */
export function originalLine(plan: InitPlan, file: string, line: number): number {
  const inserted = plan.regions.filter((r) => r.file === file && r.line < line).reduce((n, r) => n + (r.mode === 'insert' ? 3 : 2), 0);
  return line - inserted;
}

interface Score {
  expected: number;
  found: number;
  correct: number;
  misses: string[];
  extras: string[];
}

function score(expected: Set<string>, found: Set<string>): Score {
  const correct = [...found].filter((f) => expected.has(f)).length;
  return {
    expected: expected.size,
    found: found.size,
    correct,
    misses: [...expected].filter((e) => !found.has(e)),
    extras: [...found].filter((f) => !expected.has(f)),
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

export function evaluate(plan: InitPlan, expected: Record<string, ExpectedDoc>): { bindings: Score; regions: Score; documents: Score } {
  const docs = new Set(Object.entries(expected).filter(([, e]) => e.about).map(([file]) => file));
  const foundDocs = new Set(plan.docs.filter((d) => d.about).map((d) => d.rel));
  const wantBindings = new Set(Object.entries(expected).flatMap(([file, e]) => e.bindings.map((b) => `${file}:${b.line} ${b.probes.join(',')}`)));
  const gotBindings = new Set(plan.bound.map((b) => `${b.file}:${originalLine(plan, b.file, b.line)} ${[...b.probes].sort().join(',')}`));
  const wantRegions = new Set(Object.entries(expected).flatMap(([file, e]) => e.regions.map((r) => `${file}:${r.headingLine} ${r.id} supersedes ${r.supersedes ?? '-'}`)));
  const gotRegions = new Set(plan.regions.map((r) => `${r.file}:${r.headingLine} ${r.id} supersedes ${r.supersedes?.from ?? '-'}`));
  return { bindings: score(wantBindings, gotBindings), regions: score(wantRegions, gotRegions), documents: score(docs, foundDocs) };
}

describe('init on the messy runbook set', () => {
  it('the committed set is what the generator writes', async () => {
    const { files, expected } = messySet();
    for (const [rel, text] of files) expect(await readFile(path.join(SET_DIR, rel), 'utf8'), rel).toBe(text);
    expect(JSON.parse(await readFile(EXPECTED_FILE, 'utf8'))).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(100);
  });

  it('binds and proposes ≥ 95 % correctly (precision and recall), and says why it skipped the rest', async () => {
    const expected = JSON.parse(await readFile(EXPECTED_FILE, 'utf8')) as Record<string, ExpectedDoc>;
    const started = performance.now();
    const plan = await planInit({ root: SET_DIR, configPath: path.join(SET_DIR, 'proofbook.config.yaml'), probeIds: PROBE_IDS });
    const ms = Math.round(performance.now() - started);
    const result = evaluate(plan, expected);
    const line = (name: string, s: Score) =>
      `${name.padEnd(9)} precision ${percent(ratio(s.correct, s.found)).padStart(7)} (${s.correct}/${s.found})   recall ${percent(ratio(s.correct, s.expected)).padStart(7)} (${s.correct}/${s.expected})`;
    console.info(
      [
        `init on the messy set: ${plan.docs.length} documents, ${plan.docs.filter((d) => d.about).length} about the gateway, planned in ${ms} ms`,
        line('documents', result.documents),
        line('bindings', result.bindings),
        line('regions', result.regions),
        ...[...result.bindings.misses.map((m) => `  missed binding ${m}`), ...result.bindings.extras.map((m) => `  wrong binding  ${m}`)],
        ...[...result.regions.misses.map((m) => `  missed region  ${m}`), ...result.regions.extras.map((m) => `  wrong region   ${m}`)],
      ].join('\n'),
    );
    for (const s of [result.documents, result.bindings, result.regions]) {
      expect(ratio(s.correct, s.found)).toBeGreaterThanOrEqual(0.95);
      expect(ratio(s.correct, s.expected)).toBeGreaterThanOrEqual(0.95);
    }
    // Every document left alone says why.
    for (const doc of plan.skipped) expect(doc.reason).toMatch(/never names the gateway|only under/);
    expect(plan.skipped.map((d) => d.file).sort()).toEqual(plan.docs.filter((d) => !d.about).map((d) => d.rel).sort());
    // No model row is bound to a client.
    expect(plan.bound.filter((b) => /claude-|gpt-|gemini-/.test(b.text))).toEqual([]);
  });

  it('parses each document once', async () => {
    const parsed = new Map<string, number>();
    const counting = (text: string): Root => {
      parsed.set(text, (parsed.get(text) ?? 0) + 1);
      return parseMarkdown(text);
    };
    const plan = await planInit({ root: SET_DIR, configPath: path.join(SET_DIR, 'proofbook.config.yaml'), probeIds: PROBE_IDS, parse: counting });
    const total = [...parsed.values()].reduce((a, b) => a + b, 0);
    console.info(`init parsed ${parsed.size} documents ${total} times (${plan.docs.length} documents, ${plan.skipped.length} not about the gateway and never parsed)`);
    expect(Math.max(...parsed.values())).toBe(1);
    expect(total).toBe(plan.docs.length - plan.skipped.length);
  });
});
