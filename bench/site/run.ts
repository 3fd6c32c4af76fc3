/**
 * bench/site: Proofbook's site build over 200 runbooks plus 2,000 evidence artifacts, against
 * a bare Starlight build of the same pages.
 *
 *   npm run bench:site [-- --runbooks 200 --artifacts 2000 --rounds 3] [-- --keep]
 *
 * The two builds run side by side in one invocation: `--rounds` pairs, alternating which goes
 * first, each build cold (no output folder, no Astro content cache: see ./timing.ts). The ratio
 * is Proofbook's median build over the bare build's median, with the per-round ratios and the
 * CPU time of each build beside it.
 *
 * Targets (issue 17): the build takes at most 1.3× the bare build; the /status/ page weighs
 * at most 150 KB; a 20 MB log is never inlined (a marker on its last line is in no HTML page).
 * Targets are reported as met / missed; only a failed build (or setup) exits non-zero.
 * `--keep` leaves the temp folders (the workspace and Proofbook's site under the OS temp folder,
 * the bare project and its site in bench/site/.bare-*) for a look.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSite, SITE_PROJECT_ROOT } from '../../src/site/build.ts';
import { EVIDENCE_SITE_PATH } from '../../src/site/evidence.ts';
import { formatBytes } from '../../src/site/evidence/preview.ts';
import { buildBare, createBareProject } from './bare.ts';
import { fileSize, kb, seconds, siteFacts } from './measure.ts';
import { coldStart, median, timed, type Timing } from './timing.ts';
import { BENCH_NOW, createWorkspace } from './workspace.ts';

const TARGET_RATIO = 1.3;
const TARGET_STATUS_BYTES = 150 * 1024;

const { values } = parseArgs({
  options: {
    runbooks: { type: 'string', default: '200' },
    artifacts: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const runbookCount = positiveInt(values.runbooks, '--runbooks');
const artifactCount = positiveInt(values.artifacts, '--artifacts');
const rounds = positiveInt(values.rounds, '--rounds');
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

  const outDir = path.join(dir, 'site');
  const buildProofbook = async () => {
    await coldStart(outDir, path.join(SITE_PROJECT_ROOT, 'node_modules', '.astro'));
    return timed(() => buildSite({ configPath: ws.configPath, outDir, env: { PROOFBOOK_SITE_NOW: BENCH_NOW } }));
  };
  const buildBaseline = async () => {
    await coldStart(bare.outDir, path.join(bare.dir, 'node_modules'), path.join(bare.dir, '.astro'));
    return timed(() => buildBare(bare));
  };
  const ourRuns: Timing[] = [];
  const bareRuns: Timing[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so neither always meets the colder file cache.
    if (round % 2) {
      ourRuns.push(await buildProofbook());
      bareRuns.push(await buildBaseline());
    } else {
      bareRuns.push(await buildBaseline());
      ourRuns.push(await buildProofbook());
    }
    console.log(`round ${round + 1}: bare ${seconds(bareRuns.at(-1)!.ms)}, proofbook ${seconds(ourRuns.at(-1)!.ms)} (${(ourRuns.at(-1)!.ms / bareRuns.at(-1)!.ms).toFixed(2)}×)`);
  }
  const proofbook = { ms: median(ourRuns.map((r) => r.ms)), cpuMs: cpuMedian(ourRuns) };
  const baseline = { ms: median(bareRuns.map((r) => r.ms)), cpuMs: cpuMedian(bareRuns) };

  const ours = await siteFacts(outDir, ws.bigLog.marker);
  const theirs = await siteFacts(bare.outDir);
  const statusBytes = await fileSize(path.join(outDir, 'status', 'index.html'));
  const publishedLog = await fileSize(path.join(outDir, EVIDENCE_SITE_PATH, ...ws.bigLog.path.split('/')));
  const logPage = ours.pages.find((p) => p.file === `${path.relative(ws.contentDir, ws.runbooks[0]!).replace(/\.md$/, '').split(path.sep).join('/')}/index.html`);
  const ratio = proofbook.ms / baseline.ms;

  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(26)} ${value.padStart(10)}   ${note}`);
  console.log('');
  const perRound = ourRuns.map((r, i) => (r.ms / bareRuns[i]!.ms).toFixed(2)).join(', ');
  const cpu = proofbook.cpuMs && baseline.cpuMs ? `CPU ${seconds(proofbook.cpuMs)} vs ${seconds(baseline.cpuMs)}: ${(proofbook.cpuMs / baseline.cpuMs).toFixed(2)}×` : 'CPU time not available';
  row('bare Starlight build', seconds(baseline.ms), `1.00×   ${theirs.pages.length} HTML pages   (median of ${rounds} cold builds)`);
  row('proofbook build', seconds(proofbook.ms), `${ratio.toFixed(2)}×   ${ours.pages.length} HTML pages   target ≤ ${TARGET_RATIO}×: ${verdict(ratio <= TARGET_RATIO)}`);
  row('', '', `per round: ${perRound}×; ${cpu}`);
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

function cpuMedian(runs: Timing[]): number | undefined {
  return runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs!)) : undefined;
}

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not ${value}`);
  return n;
}
