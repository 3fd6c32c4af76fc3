/**
 * bench/clients: each client probe's wall time on the real lab next to a bare run of the same
 * client command (./bare.ts says what each baseline is), as ratios.
 *
 * The probe side is the probe run alone through the library API (`runProbes([probe])`, as
 * bench/probes times a probe alone: options, the client run, the checks, the transcript, no
 * evidence written). A first run of each probe records what it runs (./record.ts) and is not
 * counted; then `--rounds` pairs, alternating which side goes first. Printed per probe: the bare
 * and probe medians, their ratio, each side's min–max, and the runs.
 *
 *   flock /tmp/proofbook-lab.lock npm run bench:clients [-- --rounds 5] [-- --only codex.list]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { labDown, labUp } from '../../src/lab/lab.ts';
import { createHttpClient, type Fetch } from '../../src/net/http-client.ts';
import { loadConfig } from '../../src/probes/config.ts';
import { loadProbes } from '../../src/probes/registry.ts';
import { runProbes } from '../../src/probes/runner.ts';
import { readSecretsFiles } from '../../src/secrets/env-files.ts';
import { createLabWorkspace } from '../../tests/helpers/lab-workspace.ts';
import { curlRequests, replaySpawns, sdkListing, startCodeServer, type BareRun } from './bare.ts';
import { recording, type Recording } from './record.ts';

const CLIENT_PROBES = ['codex.list', 'codex.invoke', 'claude.list', 'claude.invoke', 'openwebui.list', 'openwebui.invoke', 'vscode.list', 'vscode.invoke'];

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, only: { type: 'string', multiple: true } } });
const rounds = Number(values.rounds);
const ids = values.only ?? CLIENT_PROBES;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

const workspace = await createLabWorkspace();
const config = await loadConfig(workspace.configPath);
const probes = (await loadProbes()).filter((p) => ids.includes(p.id));
const rows: string[] = [];
try {
  const lab = await labUp(config);
  console.log(`lab up in ${(lab.durationMs / 1000).toFixed(1)} s; ${rounds} rounds per probe, alternating; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  const secrets = (await readSecretsFiles(config.secretsFiles)).entries;
  const http = createHttpClient(config.hosts);
  const timeoutMs = (id: string) => (config.probes as Record<string, { timeoutMs?: number }>)[id]?.timeoutMs ?? 60_000;
  for (const probe of probes) {
    const runProbe = async (fetch = http.fetch) => {
      const [result] = await runProbes([probe], { config, http: { ...http, fetch }, secrets }, { timeoutMs: () => timeoutMs(probe.id) });
      return result!.outcome;
    };
    let first: Awaited<ReturnType<typeof runProbe>> | undefined;
    const recorded: Recording = await recording(async (wrap) => void (first = await runProbe(wrap(http.fetch))));
    try {
      const bare = baselineFor(probe.id, recorded, http.fetch);
      console.log(`\n${probe.id}: ${first!.status} (${first!.summary.slice(0, 140)})\n  bare: ${bare.describe.slice(0, 600)}`);
      const times = { bare: [] as number[], probe: [] as number[] };
      const notes = new Set<string>();
      const timeBare = async () => {
        const start = performance.now();
        const outcome = await bare.run();
        times.bare.push(performance.now() - start);
        if (!outcome.ok) notes.add(`bare: ${outcome.note}`);
      };
      const timeProbe = async () => {
        const start = performance.now();
        const result = await runProbe();
        times.probe.push(performance.now() - start);
        if (result.status !== first!.status) notes.add(`probe: ${result.status} (${result.summary.slice(0, 120)})`);
      };
      for (let round = 0; round < rounds; round++) {
        for (const side of round % 2 ? [timeProbe, timeBare] : [timeBare, timeProbe]) await side();
      }
      const ratio = median(times.probe) / median(times.bare);
      const row = `${probe.id.padEnd(17)} ${ms(median(times.bare)).padStart(9)} ${ms(median(times.probe)).padStart(9)} ${`${ratio.toFixed(2)}×`.padStart(7)}   bare ${spread(times.bare)}, probe ${spread(times.probe)} ms, ${rounds}+${rounds} runs`;
      rows.push(row);
      console.log(`  ${row}${notes.size ? `\n  ! ${[...notes].join('\n  ! ')}` : ''}`);
    } finally {
      await recorded.cleanUp();
    }
  }
  await http.close();
  console.log(`\nprobe             bare med  probe med  ratio   spread (min–max)   load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  for (const row of rows) console.log(row);
} finally {
  await labDown(config);
  await workspace.remove();
}

function baselineFor(id: string, recorded: Recording, fetch: Fetch): BareRun {
  if (id.startsWith('openwebui.')) return curlRequests(recorded.fetches);
  // VS Code on code-server (the lab's vscode.list and vscode.invoke): the baseline is opening VS Code on the workspace.
  if (id.startsWith('vscode.') && recorded.spawns.some((s) => [s.file, ...s.args].some((a) => a.includes('code-server')))) return startCodeServer(recorded.spawns);
  if (id.startsWith('vscode.')) return sdkListing(recorded.fetches, fetch);
  return replaySpawns(recorded.spawns);
}
