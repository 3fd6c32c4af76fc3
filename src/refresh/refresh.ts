/**
 * `refresh(options, hooks) → RefreshReport`: the whole pipeline as a library — config → probes →
 * evidence → render → rewrite (→ check). The CLI (src/cli/refresh-docs.ts) parses arguments,
 * calls this and formats the report; tests and other tools call it directly.
 *
 * What stops a refresh is thrown as a ProofbookError (src/model/errors.ts) carrying its exit
 * code: a config error, bad input found by the preflight, a document that cannot be rewritten,
 * the lock held by another refresh. What a refresh found (probe results, documents that change,
 * unproven claims) is data in the report, with the exit code it adds up to.
 */
import path from 'node:path';
import type { Root } from 'mdast';
import { findCitations, type Citation } from '../check/citations.ts';
import { checkProofs, reportClaims, type ClaimsReport, type ProofCheckResult } from '../check/proof-check.ts';
import { probeViews } from '../evidence/history.ts';
import { describeRepair, repairEvidence } from '../evidence/repair.ts';
import { acquireLock } from '../fs/lock.ts';
import { EXIT_CODE, ProofbookError, UsageError, type ExitCode } from '../model/errors.ts';
import { loadConfig } from '../probes/config.ts';
import { loadProbes, PROBE_IDS } from '../probes/registry.ts';
import type { Probe, ProbeResult } from '../probes/types.ts';
import { commitRewrite, readStructureCache, removeStaleTemps, writeStructureCache, type PlannedDocument } from '../rewrite/workspace.ts';
import type { Redactor } from '../secrets/redactor.ts';
import { planDocs } from './plan-docs.ts';
import { formatPreflight, preflight, type PreflightProblem } from './preflight.ts';
import { runAndRecord, type ProbeProgress } from './run-probes.ts';
import { readWorkspaceSecrets } from './workspace-secrets.ts';

/**
 * What a refresh does. `run`: run the probes, write evidence, rewrite the docs. `offline`: no
 * probe, rewrite the docs from the evidence there. `dry-run`: plan, write nothing. `check`: plan,
 * write nothing, prove the claims. `report`: list the success claims, nothing else.
 */
export type RefreshMode = 'run' | 'offline' | 'dry-run' | 'check' | 'report';

export interface RefreshOptions {
  /** The workspace config file. */
  configPath: string;
  mode: RefreshMode;
  /** Probe ids to run (all when absent). */
  only?: string[];
  /** Overwrite generated regions that were edited by hand. */
  force?: boolean;
  /** How long to wait for another refresh's lock (ms). */
  lockWaitMs?: number;
  /** Timeout of a probe whose options set none (ms). */
  defaultTimeoutMs?: number;
  /** The clock `check` judges the age of evidence by (default: now). */
  now?: () => Date;
}

export interface RefreshHooks extends ProbeProgress {
  /** The probes to run instead of the registry's; tests inject faulty ones. */
  probes?: Probe[];
  /** The redactor built from the workspace's secrets: whatever the caller prints should go through it. */
  onRedactor?(redactor: Redactor): void;
  /** A line for stderr: a deprecated config field, a missing secrets file, a weak secret, evidence set aside by the repair. */
  onWarning?(line: string): void;
  /** A runbook was written. */
  onDocumentWritten?(file: string): void;
}

export interface RefreshReport {
  mode: RefreshMode;
  /** The workspace folder (the config's): what paths are shown relative to. */
  rootDir: string;
  /** Probe runs of this refresh in the order they finished (empty unless `run`). */
  results: ProbeResult[];
  /** Every runbook as read and as the refresh would write it (empty for `report`). */
  documents: PlannedDocument[];
  /** Runbooks written (empty for `dry-run`, `check` and `report`). */
  written: string[];
  /** `check`: claims, citations and the evidence chain. */
  proof?: ProofCheckResult;
  /** `report`: every success claim, bound or not. */
  claims?: ClaimsReport;
  /** 1 when a probe failed or errored; 3 when `check` found docs that would change or an unproven claim; else 0. */
  exitCode: ExitCode;
}

/** Bad input found by the preflight: nothing ran, nothing was written. The message lists every problem. */
export class PreflightError extends ProofbookError {
  readonly exitCode = EXIT_CODE.usage;
  readonly problems: PreflightProblem[];
  constructor(problems: PreflightProblem[]) {
    super(formatPreflight(problems));
    this.problems = problems;
  }
}

export async function refresh(options: RefreshOptions, hooks: RefreshHooks = {}): Promise<RefreshReport> {
  const { mode } = options;
  const runsProbes = mode === 'run';
  const writesDocs = mode === 'run' || mode === 'offline';

  const knownIds = hooks.probes ? hooks.probes.map((p) => p.id) : PROBE_IDS;
  const config = await loadConfig(options.configPath, { knownProbes: knownIds, onWarning: (line) => hooks.onWarning?.(line) });
  const only = options.only;
  const unknown = only?.filter((id) => !knownIds.includes(id)) ?? [];
  if (unknown.length) throw new UsageError(`unknown probe id(s) ${unknown.join(', ')}; known: ${knownIds.join(', ')}`);
  // A probe's code is loaded only when it may run: not for offline, check, dry-run or report.
  const probes = hooks.probes ? hooks.probes.filter((p) => !only || only.includes(p.id)) : runsProbes ? await loadProbes(only) : [];

  // Bad input (runbooks, evidence, the probes' input files) stops the run before anything runs.
  const inputProblems = await preflight(config, probes, { runProbes: runsProbes });
  if (inputProblems.length) throw new PreflightError(inputProblems);

  const base = { mode, rootDir: config.rootDir, results: [], documents: [], written: [] };
  if (mode === 'report') {
    try {
      return { ...base, claims: await reportClaims({ config, knownProbes: knownIds }), exitCode: EXIT_CODE.ok };
    } catch (error) {
      // A runbook that cannot be read or binds an unknown probe: a document error.
      throw new UsageError((error as Error).message, { cause: error });
    }
  }

  const secrets = await readWorkspaceSecrets(config);
  hooks.onRedactor?.(secrets.redactor);
  if (runsProbes) for (const warning of secrets.warnings) hooks.onWarning?.(warning);

  const lock = writesDocs ? await acquireLock(path.join(config.rootDir, '.proofbook.lock'), { waitMs: options.lockWaitMs }) : undefined;
  try {
    if (writesDocs) {
      await removeStaleTemps(config.runbooks);
      // What a killed refresh left (a torn index line, unindexed artifacts): set aside, said aloud.
      const repair = await repairEvidence(config.evaluationDir);
      for (const line of describeRepair(repair, path.relative(config.rootDir, config.evaluationDir) || '.')) hooks.onWarning?.(line);
    }
    const results = runsProbes
      ? await runAndRecord(probes, { config, secrets: secrets.entries, redactor: secrets.redactor, defaultTimeoutMs: options.defaultTimeoutMs }, hooks)
      : [];

    // Evidence → render → rewrite. Every document is planned before anything is written.
    const cacheFile = path.join(config.rootDir, '.proofbook', 'structure-cache.json');
    const cache = await readStructureCache(cacheFile);
    const views = await probeViews(config.evaluationDir);
    // --check on a cold cache parses every document: its citations are read from that same parse.
    const citations = new Map<string, { body: string; citations: Citation[] }>();
    const readCitations = (file: string, tree: Root, body: string) =>
      citations.set(file, { body, citations: findCitations(body, file, { evaluationDir: config.evaluationDir, tree }) });
    const documents = await planDocs(config, views, secrets.redactor, options.force ?? false, knownIds, cache, mode === 'check' ? readCitations : undefined);
    const written = writesDocs ? await commitRewrite(documents) : [];
    for (const file of written) hooks.onDocumentWritten?.(file);
    if (writesDocs) await writeStructureCache(cacheFile, cache);

    // check also proves the claims: evidence behind every bound success claim, citations, the index chain.
    const proof = mode === 'check'
      ? await checkProofs({ config, views, knownProbes: knownIds, now: options.now?.() ?? new Date(), documents: documents.map((d) => ({ file: d.file, text: d.before })), cache, citations })
      : undefined;
    const probeFailed = results.some((r) => r.status === 'fail' || r.status === 'error');
    const checkFailed = proof !== undefined && (documents.some((d) => d.changed) || proof.problems.length > 0);
    const exitCode = checkFailed ? EXIT_CODE.check : probeFailed ? EXIT_CODE.failed : EXIT_CODE.ok;
    return { ...base, results, documents, written, ...(proof ? { proof } : {}), exitCode };
  } finally {
    await lock?.release();
  }
}
