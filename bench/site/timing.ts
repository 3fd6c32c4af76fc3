/**
 * Side-by-side timing for bench/site: both builds run in the same invocation, alternating which
 * goes first, each from a cold start (no output folder, no Astro content cache), and the figures
 * are ratios of the two. The machine is shared: absolute times move with its load, a ratio of
 * builds that ran back to back much less.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';

export interface Timing {
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds (user + system) of the build's process tree, where Linux reports it. */
  cpuMs: number | undefined;
}

/**
 * CPU time of this process's waited-for children (`cutime` + `cstime` of /proc/self/stat): a
 * build's child process and everything it waited for (pagefind, cp) count once it has exited.
 */
function childCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of the file (1-based), counted here after the command name: clock ticks (100 a second on Linux).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

export async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const cpuBefore = childCpuMs();
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  const cpuAfter = childCpuMs();
  return { ms, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

/** Removes what makes a second Astro build warmer than the first: the output and the content layer's cache. */
export async function coldStart(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { recursive: true, force: true })));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
