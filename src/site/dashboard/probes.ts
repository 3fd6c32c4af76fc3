/**
 * One dashboard row per probe: its status and since when, when it last ran, whether that is
 * too long ago (stale), its last runs for the history strip, and where its evidence is shown.
 */
import { probeViews, readIndex, type IndexEntry, type ProbeView } from '../../evidence/history.ts';
import type { ProbeStatus } from '../../probes/types.ts';
import { evidenceUrl } from '../evidence/build-block.ts';
import type { RegionLink } from './regions.ts';
import type { Shown } from './status.ts';

export interface RunCell {
  status: ProbeStatus;
  startedAt: string;
  /** Site URL of the run's result file. */
  href: string;
}

export interface ProbeRow {
  id: string;
  status: Shown;
  stale: boolean;
  summary?: string;
  since?: string;
  lastRun?: string;
  /** Site URL of the latest run's result file. */
  latestHref?: string;
  /** The last runs, oldest first. */
  history: RunCell[];
  /** Runs in the index in all. */
  runs: number;
  regions: RegionLink[];
}

export interface ProbeRowsInput {
  evaluationDir: string;
  /** Registered probes first, in registry order; probes only the index knows follow. */
  probeIds: readonly string[];
  maxAgeHours: number;
  historyRuns: number;
  now: Date;
  base: string;
  regions: Map<string, RegionLink[]>;
  /** probeViews(evaluationDir), when the caller already has it. */
  views?: ReadonlyMap<string, ProbeView>;
}

export async function probeRows(input: ProbeRowsInput): Promise<ProbeRow[]> {
  const entries = await readIndex(input.evaluationDir);
  const views = input.views ?? (await probeViews(input.evaluationDir));
  const runsOf = new Map<string, IndexEntry[]>();
  for (const entry of entries) {
    const list = runsOf.get(entry.id);
    if (list) list.push(entry);
    else runsOf.set(entry.id, [entry]);
  }
  const extra = [...runsOf.keys()].filter((id) => !input.probeIds.includes(id)).sort();

  return [...input.probeIds, ...extra].map((id): ProbeRow => {
    const runs = (runsOf.get(id) ?? []).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const view = views.get(id);
    const regions = input.regions.get(id) ?? [];
    if (!view || !runs.length) return { id, status: 'none', stale: false, history: [], runs: 0, regions };
    const latest = runs.at(-1)!;
    const age = input.now.getTime() - Date.parse(latest.startedAt);
    return {
      id,
      status: view.status,
      stale: age > input.maxAgeHours * 3600_000,
      summary: view.summary,
      since: view.since,
      lastRun: view.lastRun,
      latestHref: evidenceUrl(latest.result, input.base),
      history: runs.slice(-input.historyRuns).map((run) => ({ status: run.status, startedAt: run.startedAt, href: evidenceUrl(run.result, input.base) })),
      runs: runs.length,
      regions,
    };
  });
}
