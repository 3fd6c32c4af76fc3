/**
 * bench/probes, part 1: a full refresh on a real lab (what `npm run demo`'s refresh step runs:
 * every probe, their evidence, the runbooks) vs the slowest probe run alone, alternating in one
 * run; the ratio is the refresh's overhead over waiting for its slowest probe (target ≤ 1.3×).
 */
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
const TARGET = 1.3;

export async function benchLab(rounds: number): Promise<void> {
  const workspace = await createLabWorkspace();
  const config = await loadConfig(workspace.configPath);
  const probes = await loadProbes();
  try {
    await labUp(config);
    const secrets = (await readSecretsFiles(config.secretsFiles)).entries;
    const timeoutMs = (probe: { id: string }) => (config.probes as Record<string, { timeoutMs?: number }>)[probe.id]?.timeoutMs ?? 30_000;
    const full: number[] = [];
    const alone = new Map<string, number[]>();
    const inRefresh = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      let start = performance.now();
      const report = await refresh({ configPath: workspace.configPath, mode: 'run' });
      full.push(performance.now() - start);
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
  } finally {
    await labDown(config);
    await workspace.remove();
  }
}
