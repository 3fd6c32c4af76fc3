/**
 * bench/rewrite: Proofbook's refresh of 1,000 realistic runbooks against what a user would
 * otherwise run — a plain remark parse → stringify round trip of the same files (written back).
 *
 *   npm run bench:rewrite [-- --count 1000]
 *
 * Prints times, ratios and the bytes each approach changes outside the generated regions.
 * Targets (issue 5): no-op refresh ≤ 0.2× the round trip and 0 files written; full rewrite
 * ≤ 0.5×; 0 bytes changed outside regions. Cold rows (no `.proofbook/` structure cache, as in a
 * CI clone) run with remark and with the fast engine side by side (issue 17: ≤ 0.15×).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diffLines } from 'diff';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { main } from '../../src/cli/refresh-docs.ts';
import { writeEvidence } from '../../src/evidence/store.ts';
import { useMarkdownEngine } from '../../src/rewrite/markdown-engine.ts';
import { findRegions } from '../../src/rewrite/regions.ts';
import { Redactor } from '../../src/secrets/redactor.ts';
import { writeCorpus } from '../corpus.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' } } });
const count = Number(values.count);

const CONFIG = `runbooks: [runbooks]
gateway: { configFile: config.yaml, composeFile: compose.yml }
hosts: [{ name: lan, url: "http://litellm.linuxserver.lan" }]
probes: { mcp.catalog: { servers: [mcp_postgres, mcp_filesystem] } }
plan:
  bindings:
    - { match: "gateway catalog", probes: [mcp.catalog] }
`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Characters that differ between two versions of the text outside the generated regions. */
function changedOutside(before: string, after: string): number {
  const outside = (text: string) => {
    let out = '';
    let cursor = 0;
    try {
      for (const region of findRegions(text, 'bench.md')) {
        out += text.slice(cursor, region.markerStart);
        cursor = region.contentEnd;
      }
    } catch {
      return text; // a round trip may break the markers themselves; then all of it counts
    }
    return out + text.slice(cursor);
  };
  // A bound plan item's status mark (from its emoji to the line's end, a checkbox, an evidence
  // note, a Last Updated date) is Proofbook's to change; the fixture tests check those byte for
  // byte. Everything else must not move.
  const strip = (text: string) =>
    text
      .split(/\r?\n/)
      .map((line) =>
        line
          .replace(/\[[ xX]\]/, '[ ]')
          .replace(/\s*_\(\d{4}-\d\d-\d\d:.*\)_/, '')
          .replace(/\s*(✅|⚠️|❌).*$/, '')
          .replace(/(Last Updated:?\s*)\d{4}-\d\d-\d\d/, '$1'),
      )
      .join('\n');
  // Line diff, counting the characters of changed lines: a char-level diff of a reformatted
  // 25 KB file is quadratic, and a changed line is what a reviewer sees anyway.
  return diffLines(strip(outside(before)), strip(outside(after))).reduce((n, part) => n + (part.added || part.removed ? part.value.length : 0), 0);
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-bench-rewrite-'));
try {
  const files = await writeCorpus(path.join(dir, 'runbooks'), count);
  const originals = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const bytes = originals.reduce((n, t) => n + Buffer.byteLength(t), 0);
  await writeFile(path.join(dir, 'proofbook.config.yaml'), CONFIG);
  await writeEvidence({
    evaluationDir: path.join(dir, 'evaluation'),
    id: 'mcp.catalog',
    outcome: { status: 'pass', summary: '2 tools', facts: { servers: [{ name: 'mcp_postgres', tools: ['query'], missingTools: [] }], endpoint: 'http://x/mcp/', reproduce: 'curl' }, transcript: [] },
    startedAt: '2026-11-20T10:00:00.000Z',
    durationMs: 1,
    redactor: new Redactor(),
  });

  // Baseline: the round trip a user would otherwise run, written back.
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkStringify);
  const roundTripDir = path.join(dir, 'roundtrip');
  const baseline = await timed(async () => {
    const outputs: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const out = String(await processor.process(await readFile(files[i]!, 'utf8')));
      outputs.push(out);
      await writeFile(path.join(roundTripDir + i), out).catch(async () => {
        await (await import('node:fs/promises')).mkdir(path.dirname(roundTripDir + i), { recursive: true });
        await writeFile(roundTripDir + i, out);
      });
    }
    return outputs;
  });

  const quiet = { stdout: () => {}, stderr: () => {} };
  const configPath = path.join(dir, 'proofbook.config.yaml');
  const cacheDir = path.join(dir, '.proofbook');
  // First refresh of never-seen docs: every file is parsed once (no structure cache yet). With
  // remark first (the engine before issue 17), then the originals back and the default engine.
  const engine = useMarkdownEngine('remark');
  const coldRemark = await timed(() => main({ argv: ['--offline', '--json', '--config', configPath], ...quiet }));
  await Promise.all(files.map((f, i) => writeFile(f, originals[i]!)));
  await rm(cacheDir, { recursive: true, force: true });
  const fastEngine = useMarkdownEngine('satteri');
  const cold = await timed(() => main({ argv: ['--offline', '--json', '--config', configPath], ...quiet }));
  const firstVersions = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  // A full rewrite: the status flips, so every region and bound item of every doc changes.
  await writeEvidence({
    evaluationDir: path.join(dir, 'evaluation'),
    id: 'mcp.catalog',
    outcome: { status: 'fail', summary: 'no tools from mcp_postgres', facts: { servers: [{ name: 'mcp_postgres', tools: [], missingTools: ['query'] }], endpoint: 'http://x/mcp/', reproduce: 'curl' }, transcript: [] },
    startedAt: '2026-11-21T10:00:00.000Z',
    durationMs: 1,
    redactor: new Redactor(),
  });
  const full = await timed(() => main({ argv: ['--offline', '--json', '--config', configPath], ...quiet }));
  const rewritten = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const fullChanged = rewritten.filter((t, i) => t !== firstVersions[i]).length;
  let noopWritten = -1;
  const noop = await timed(() =>
    main({ argv: ['--offline', '--json', '--config', configPath], stdout: (l) => (noopWritten = JSON.parse(l).written.length), stderr: () => {} }),
  );
  const afterNoop = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  // `--check` in a fresh clone: no structure cache. Each document is read for its structure and
  // its citations; the warm cache is put back afterwards, for nothing else depends on it.
  const coldCheck = async (name: 'remark' | 'satteri') => {
    useMarkdownEngine(name);
    await rm(cacheDir, { recursive: true, force: true });
    let problems = -1;
    const run = await timed(() =>
      main({ argv: ['--offline', '--json', '--check', '--config', configPath], stdout: (l) => (problems = JSON.parse(l).problems?.length ?? -1), stderr: () => {} }),
    );
    return { ...run, problems };
  };
  const checkRemark = await coldCheck('remark');
  const check = await coldCheck(fastEngine);

  const ours = originals.reduce((n, text, i) => n + changedOutside(text, rewritten[i]!) + changedOutside(text, firstVersions[i]!), 0);
  const theirs = originals.reduce((n, text, i) => n + changedOutside(text, baseline.value[i]!), 0);
  const ratio = (a: number) => (a / baseline.ms).toFixed(2);
  console.log(`corpus: ${count} runbooks, ${(bytes / 1e6).toFixed(1)} MB (${dir})`);
  console.log(`remark round trip (baseline)   ${baseline.ms.toFixed(0).padStart(7)} ms   1.00×   ${theirs} chars on changed lines outside regions`);
  console.log(`first refresh, cold, ${engine.padEnd(7)}   ${coldRemark.ms.toFixed(0).padStart(7)} ms   ${ratio(coldRemark.ms)}×   every doc parsed once, by remark (before issue 17)`);
  console.log(`proofbook first refresh (cold) ${cold.ms.toFixed(0).padStart(7)} ms   ${ratio(cold.ms)}×   every doc parsed once, by ${fastEngine} (target ≤ 0.15×)`);
  console.log(`--check, cold, ${engine.padEnd(7)}         ${checkRemark.ms.toFixed(0).padStart(7)} ms   ${ratio(checkRemark.ms)}×   no .proofbook/, by remark; ${checkRemark.problems} problems, exit ${checkRemark.value}`);
  console.log(`proofbook --check (cold)       ${check.ms.toFixed(0).padStart(7)} ms   ${ratio(check.ms)}×   no .proofbook/, by ${fastEngine}; ${check.problems} problems, exit ${check.value} (target ≤ 0.15×)`);
  console.log(`proofbook full rewrite         ${full.ms.toFixed(0).padStart(7)} ms   ${ratio(full.ms)}×   ${fullChanged} of ${count} docs rewritten, ${ours} chars on changed lines outside regions (target ≤ 0.5×, 0)`);
  console.log(`proofbook no-op refresh        ${noop.ms.toFixed(0).padStart(7)} ms   ${ratio(noop.ms)}×   ${noopWritten} files written, ${afterNoop.filter((t, i) => t !== rewritten[i]).length} changed (target ≤ 0.2×, 0)`);
  if (coldRemark.value !== 0 || cold.value !== 0 || full.value !== 0 || noop.value !== 0) throw new Error(`refresh exited ${coldRemark.value}/${cold.value}/${full.value}/${noop.value}`);
  if (checkRemark.value !== check.value || checkRemark.problems !== check.problems) throw new Error('--check differs between the engines');
} finally {
  await rm(dir, { recursive: true, force: true });
}
