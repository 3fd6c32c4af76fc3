/**
 * bench/probes, part 1: a full refresh on a real lab (what `npm run demo`'s refresh step runs:
 * every probe, their evidence, the runbooks) vs the slowest probe run alone, alternating in one
 * run; the ratio is the refresh's overhead over waiting for its slowest probe (target ≤ 1.3×).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { labDown, labUp } from '../../src/lab/lab.ts';
import { createHttpClient } from '../../src/net/http-client.ts';
import { loadConfig } from '../../src/probes/config.ts';
import { loadProbes } from '../../src/probes/registry.ts';
import { runProbes } from '../../src/probes/runner.ts';
import { refresh } from '../../src/refresh/refresh.ts';
import { readSecretsFiles } from '../../src/secrets/env-files.ts';
import { createLabWorkspace } from '../../tests/helpers/lab-workspace.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The machine's CPU time so far, busy and all, in seconds (/proc/stat's first line: every core, every process). */
function machineCpu(): { busy: number; total: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + (ticks[4] ?? 0); // idle + iowait
  return { busy: (total - idle) / 100, total: total / 100 }; // USER_HZ is 100 on Linux
}
const TARGET = 1.3;

/**
 * Samples the machine's cores every 250 ms while a refresh runs: how long they were all busy
 * (≥ 95%), and how long the refresh went on after the last such moment. A refresh saturated to
 * near its end waits on CPU; a long tail after it waits on something else (its slowest probe's
 * own latency).
 */
function sampleCores(): () => { saturatedSeconds: number; tailSeconds: number } {
  const started = performance.now();
  let previous = machineCpu();
  let saturated = 0;
  let lastSaturatedAt = started;
  const timer = setInterval(() => {
    const now = machineCpu();
    const share = (now.busy - previous.busy) / Math.max(now.total - previous.total, 1e-9);
    if (share >= 0.95) {
      saturated += (now.total - previous.total) / cpus().length;
      lastSaturatedAt = performance.now();
    }
    previous = now;
  }, 250);
  return () => {
    clearInterval(timer);
    return { saturatedSeconds: saturated, tailSeconds: (performance.now() - lastSaturatedAt) / 1000 };
  };
}

export async function benchLab(rounds: number): Promise<void> {
  const workspace = await createLabWorkspace();
  const config = await loadConfig(workspace.configPath);
  const probes = await loadProbes();
  try {
    await labUp(config);
    const secrets = (await readSecretsFiles(config.secretsFiles)).entries;
    const timeoutMs = (probe: { id: string }) => (config.probes as Record<string, { timeoutMs?: number }>)[probe.id]?.timeoutMs ?? 30_000;
    const full: number[] = [];
    // What the cores did during each refresh (the lab's services, the clients, Proofbook — and whatever else runs):
    // a refresh whose cores are busy throughout waits on CPU, not on anything it could skip.
    const busy: { busy: number; total: number }[] = [];
    const saturation: { saturatedSeconds: number; tailSeconds: number }[] = [];
    const alone = new Map<string, number[]>();
    const inRefresh = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      let start = performance.now();
      const cpuBefore = machineCpu();
      const cores = sampleCores();
      const report = await refresh({ configPath: workspace.configPath, mode: 'run' });
      full.push(performance.now() - start);
      saturation.push(cores());
      const cpuAfter = machineCpu();
      busy.push({ busy: cpuAfter.busy - cpuBefore.busy, total: cpuAfter.total - cpuBefore.total });
      for (const result of report.results) inRefresh.set(result.id, [...(inRefresh.get(result.id) ?? []), result.durationMs]);
      const http = createHttpClient(config.hosts);
      for (const probe of probes) {
        start = performance.now();
        await runProbes([probe], { config, http, secrets }, { timeoutMs });
        alone.set(probe.id, [...(alone.get(probe.id) ?? []), performance.now() - start]);
      }
      await http.close();
    }
    const [slowestId, slowest] = [...alone].map(([id, times]) => [id, mean(times)] as const).sort((a, b) => b[1] - a[1])[0]!;
    const ratio = mean(full) / slowest;
    console.log(`a full refresh on the real lab vs its slowest probe alone (${probes.length} probes, ${rounds} rounds, alternating; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores):`);
    console.log(`  probe              alone   in the refresh`);
    for (const [id, times] of alone) {
      console.log(`  ${id.padEnd(16)} ${mean(times).toFixed(0).padStart(7)} ms ${mean(inRefresh.get(id) ?? [0]).toFixed(0).padStart(7)} ms`);
    }
    console.log(`  slowest probe alone (${slowestId})  ${slowest.toFixed(0).padStart(7)} ms   1.00×`);
    console.log(`  full refresh (demo's refresh step) ${mean(full).toFixed(0).padStart(7)} ms   ${ratio.toFixed(2)}×  target ≤ ${TARGET}×: ${ratio <= TARGET ? 'met' : 'MISSED'}`);
    const busySeconds = mean(busy.map((b) => b.busy));
    const share = busySeconds / mean(busy.map((b) => b.total));
    console.log(`  the machine's cores during the refresh: ${(share * 100).toFixed(0)}% busy (${busySeconds.toFixed(1)} s of CPU in ${(mean(full) / 1000).toFixed(1)} s on ${cpus().length} cores; its floor is ${(busySeconds / cpus().length).toFixed(1)} s of wall)`);
    console.log(`  all cores busy (≥ 95%) for ${mean(saturation.map((x) => x.saturatedSeconds)).toFixed(1)} s of it; after the last such moment the refresh went on ${mean(saturation.map((x) => x.tailSeconds)).toFixed(1)} s, with cores to spare`);
  } finally {
    await labDown(config);
    await workspace.remove();
  }
}
