/**
 * Fixture tests for the rewrite stage, one folder per behaviour (unified-collective style):
 * `input.md`, optional `results.json` (else the shared one), and `expected.md` or `error.txt`.
 * Run with UPDATE_FIXTURES=1 to write missing `expected.md` files, then review them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import type { ProbeView } from '../../../src/evidence/history.ts';
import type { Binding } from '../../../src/config/schema.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { renderRegion } from '../../../src/render/index.ts';
import type { Decision } from '../../../src/rewrite/item-status.ts';
import { findRegions } from '../../../src/rewrite/regions.ts';
import { analyzeDocument, type DocStructure } from '../../../src/rewrite/structure.ts';
import { decodeUtf8 } from '../../../src/rewrite/workspace.ts';
import { rewriteDocument } from '../../../src/rewrite/rewrite-document.ts';

const root = path.join(import.meta.dirname, '..', '..', 'fixtures', 'rewrite');
const sharedResults = JSON.parse(readFileSync(path.join(root, 'results.json'), 'utf8'));
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

interface FixtureOptions {
  bindings?: Binding[];
  decisions?: Decision[];
  force?: boolean;
}

function rewrite(text: string, file: string, resultsJson: Record<string, ProbeView>, options: FixtureOptions = {}) {
  const views = new Map(Object.entries(resultsJson));
  const render = { docFile: '/ws/content/litellm/STATUS.md', evaluationDir: '/ws/evaluation' };
  return rewriteDocument(text, file, (region) => renderRegion(region.id, views, render), {
    force: options.force,
    regionDate: (region) => views.get(region.id)?.since.slice(0, 10),
    plan: {
      views,
      bindings: options.bindings ?? [],
      decisions: options.decisions ?? [],
      knownProbes: [...new Set([...PROBE_IDS, ...Object.keys(sharedResults)])],
      render,
    },
  });
}

/** A structure without the region line numbers (a derived one leaves them to be recomputed). */
function comparable(structure: DocStructure) {
  return { ...structure, regions: structure.regions.map(({ line: _l, column: _c, ...rest }) => rest) };
}

/** The document with every region's content cut out: what must never change. */
function outsideRegions(text: string): string {
  const regions = findRegions(text, 'doc.md');
  let out = '';
  let cursor = 0;
  for (const region of regions) {
    out += text.slice(cursor, region.markerStart) + '[region]';
    cursor = region.contentEnd;
  }
  return out + text.slice(cursor);
}

describe('rewrite fixtures', () => {
  for (const name of cases) {
    it(name, () => {
      const dir = path.join(root, name);
      const file = `${name}/input.md`;
      const errorFile = path.join(dir, 'error.txt');
      let input: string;
      try {
        input = decodeUtf8(readFileSync(path.join(dir, 'input.md')), file);
      } catch (error) {
        expect((error as Error).message).toContain(readFileSync(errorFile, 'utf8').trim());
        return;
      }
      const resultsFile = path.join(dir, 'results.json');
      const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : sharedResults;
      const optionsFile = path.join(dir, 'options.json');
      const options: FixtureOptions = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {};

      if (existsSync(errorFile)) {
        expect(() => rewrite(input, file, results, options)).toThrow(readFileSync(errorFile, 'utf8').trim());
        return;
      }

      const output = rewrite(input, file, results, options).text;
      const expectedFile = path.join(dir, 'expected.md');
      if (!existsSync(expectedFile) && process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, output);
      expect(output).toBe(readFileSync(expectedFile, 'utf8'));
      if (!options.bindings && !options.decisions && !input.includes('<!-- proof:')) {
        expect(outsideRegions(output)).toBe(outsideRegions(input));
      }
      // Same results, same bytes: a second refresh changes nothing.
      expect(rewrite(output, file, results, options)).toMatchObject({ text: output, changed: false });
      // The structure derived for the output (no parse) is the one a fresh parse finds.
      expect(comparable(rewrite(input, file, results, options).structure)).toEqual(comparable(analyzeDocument(output, file)));
    });
  }
});

describe('the fixtures are meaningful', () => {
  it('a plain remark parse→stringify round trip would reformat the unusual-markdown fixture', () => {
    const input = readFileSync(path.join(root, 'preserves-unusual-markdown', 'input.md'), 'utf8');
    const roundTrip = String(unified().use(remarkParse).use(remarkGfm).use(remarkStringify).processSync(input));
    expect(outsideRegions(roundTrip)).not.toBe(outsideRegions(input));
  });

  it('keeps CRLF line endings and the BOM in generated content too', () => {
    const input = readFileSync(path.join(root, 'crlf-and-bom', 'input.md'), 'utf8');
    const output = rewrite(input, 'crlf.md', sharedResults).text;
    expect(output.startsWith('\uFEFF')).toBe(true);
    expect(output.replace(/\r\n/g, '')).not.toContain('\n');
    expect(output).toContain('| mcp_postgres | 1 |');
  });
});
