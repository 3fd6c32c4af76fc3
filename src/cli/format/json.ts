/** `refresh-docs --json`: the report as one JSON object, paths relative to the workspace. */
import path from 'node:path';
import type { ReportedProblem } from '../../check/problems.ts';
import type { ProbeResult } from '../../probes/types.ts';
import type { RefreshReport } from '../../refresh/refresh.ts';
import { problemsJson } from './proofs.ts';

/** The `--json` report. Stable: fields are only ever added. */
export interface RefreshJson {
  /** Probe runs of this invocation, by id (empty with --check / --dry-run). */
  results: ProbeResult[];
  docs: { file: string; changed: boolean; regions: string[]; items: { line: number; text: string; probes: string[]; state: string }[] }[];
  /** Files written (empty with --check / --dry-run). */
  written: string[];
  /** `--check`: unproven or stale claims, broken citations, tampered evidence (empty otherwise). */
  problems: ReportedProblem[];
  exitCode: number;
}

export function refreshJson(report: RefreshReport): RefreshJson {
  const rel = (file: string) => path.relative(report.rootDir, file);
  return {
    results: [...report.results].sort((a, b) => a.id.localeCompare(b.id)),
    docs: report.documents.map((doc) => ({
      file: rel(doc.file),
      changed: doc.changed,
      regions: doc.regions,
      items: doc.items.map(({ line, text, probes, state }) => ({ line, text, probes, state })),
    })),
    written: report.written.map(rel),
    problems: report.proof ? problemsJson(report.proof.problems, report.rootDir) : [],
    exitCode: report.exitCode,
  };
}
