/**
 * bench/site: Proofbook's site build over 200 runbooks plus 2,000 evidence artifacts, against
 * a bare Starlight build of the same pages.
 *
 *   npm run bench:site [-- --runbooks 200 --artifacts 2000] [-- --keep]
 *
 * Targets (the site issue): the build takes at most 2× the bare build; the /status/ page weighs
 * at most 150 KB; a 20 MB log is never inlined (a marker on its last line is in no HTML page).
 * Targets are reported as met / missed; only a failed build (or setup) exits non-zero.
 * `--keep` leaves the temp folders (the workspace and Proofbook's site under the OS temp folder,
 * the bare project and its site in bench/site/.bare-*) for a look.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSite } from '../../src/site/build.ts';
import { EVIDENCE_SITE_PATH } from '../../src/site/evidence.ts';
import { formatBytes } from '../../src/site/evidence/preview.ts';
import { buildBare, createBareProject } from './bare.ts';
import { fileSize, kb, seconds, siteFacts } from './measure.ts';
import { BENCH_NOW, createWorkspace } from './workspace.ts';

const TARGET_RATIO = 2;
const TARGET_STATUS_BYTES = 150 * 1024;

const { values } = parseArgs({
  options: {
    runbooks: { type: 'string', default: '200' },
    artifacts: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});
const runbookCount = positiveInt(values.runbooks, '--runbooks');
const artifactCount = positiveInt(values.artifacts, '--artifacts');
process.env.ASTRO_TELEMETRY_DISABLED = '1';

const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-bench-site-'));
// The bare project must sit below the folder holding node_modules (see bare.ts): a temp folder here.
const bareDir = await mkdtemp(path.join(import.meta.dirname, '.bare-'));
try {
  const setupStart = performance.now();
  const workspaceDir = path.join(dir, 'workspace');
  await mkdir(workspaceDir);
  const ws = await createWorkspace(workspaceDir, { runbooks: runbookCount, artifacts: artifactCount });
  const bare = await createBareProject(bareDir, ws.contentDir, ws.runbooks);
  const setupMs = performance.now() - setupStart;
  console.log(
    `workspace: ${ws.runbooks.length} runbooks (${formatBytes(ws.runbookBytes)} in ${ws.projects} project folders), ` +
      `${ws.artifacts.toLocaleString('en-US')} artifacts (${ws.runs.toLocaleString('en-US')} runs of ${ws.probes} probes, result + transcript each), ` +
      `a ${formatBytes(ws.bigLog.bytes)} log; set up in ${seconds(setupMs)}${values.keep ? ` (${dir})` : ''}`,
  );

  // Proofbook first: the first build also pays for a cold file cache of node_modules, so the ratio errs against Proofbook.
  const outDir = path.join(dir, 'site');
  const proofbook = await timed(() => buildSite({ configPath: ws.configPath, outDir, env: { PROOFBOOK_SITE_NOW: BENCH_NOW } }));
  const baseline = await timed(() => buildBare(bare));

  const ours = await siteFacts(outDir, ws.bigLog.marker);
  const theirs = await siteFacts(bare.outDir);
  const statusBytes = await fileSize(path.join(outDir, 'status', 'index.html'));
  const publishedLog = await fileSize(path.join(outDir, EVIDENCE_SITE_PATH, ...ws.bigLog.path.split('/')));
  const logPage = ours.pages.find((p) => p.file === `${path.relative(ws.contentDir, ws.runbooks[0]!).replace(/\.md$/, '').split(path.sep).join('/')}/index.html`);
  const ratio = proofbook.ms / baseline.ms;

  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(26)} ${value.padStart(10)}   ${note}`);
  console.log('');
  row('bare Starlight build', seconds(baseline.ms), `1.00×   ${theirs.pages.length} HTML pages`);
  row('proofbook build', seconds(proofbook.ms), `${ratio.toFixed(2)}×   ${ours.pages.length} HTML pages   target ≤ ${TARGET_RATIO}×: ${verdict(ratio <= TARGET_RATIO)}`);
  row('/status/ page', statusBytes === undefined ? 'missing' : kb(statusBytes), `target ≤ ${kb(TARGET_STATUS_BYTES)}: ${verdict(statusBytes !== undefined && statusBytes <= TARGET_STATUS_BYTES)}`);
  row('largest HTML page', ours.largest ? kb(ours.largest.bytes) : '-', `${ours.largest?.file ?? ''} (bare: ${theirs.largest ? `${kb(theirs.largest.bytes)} ${theirs.largest.file}` : '-'})`);
  if (logPage) row('page naming the 20 MB log', kb(logPage.bytes), logPage.file);
  row(
    '20 MB log inlined',
    ours.withMarker.length ? 'YES' : 'no',
    `its last line is in ${ours.withMarker.length} of ${ours.pages.length} HTML pages${ours.withMarker.length ? ` (${ours.withMarker.slice(0, 5).join(', ')})` : ''}; ` +
      `download /${EVIDENCE_SITE_PATH}/${ws.bigLog.path}: ${publishedLog === undefined ? 'missing' : `${publishedLog.toLocaleString('en-US')} bytes`}   target never: ${verdict(ours.withMarker.length === 0)}`,
  );
} finally {
  if (values.keep) console.log(`\nkept ${dir} and ${bareDir}`);
  else await Promise.all([dir, bareDir].map((d) => rm(d, { recursive: true, force: true })));
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not ${value}`);
  return n;
}
