/**
 * `refresh-docs`: config → probes → evidence → render → rewrite.
 *
 * `main` takes its I/O as hooks and returns the exit code, so tests drive it in-process.
 * Exit codes (see USAGE): 0 ok, 1 a probe failed, 2 usage/config/document error,
 * 3 `--check` found docs that would change, 4 another refresh holds the lock.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE_NAME, loadConfig, type Config } from '../probes/config.ts';
import { EXIT_CODE, exitCodeOf } from '../model/errors.ts';
// A summary quotes what servers answer: an escape sequence in it must not drive the terminal.
import { visibleControls } from '../markdown/harden.ts';
import { formatPreflight, preflight } from '../refresh/preflight.ts';
import { probeViews, type ProbeView } from '../evidence/history.ts';
import { writeEvidence } from '../evidence/store.ts';
import { describeRepair, repairEvidence } from '../evidence/repair.ts';
import { acquireLock } from '../fs/lock.ts';
import { createHttpClient } from '../net/http-client.ts';
import { loadProbes, PROBE_DEFINITIONS, PROBE_IDS } from '../probes/registry.ts';
import { markdownFiles } from '../fs/markdown-files.ts';
import { runProbes } from '../probes/runner.ts';
import type { Probe, ProbeResult } from '../probes/types.ts';
import { renderRegion } from '../render/index.ts';
import { STATUS_MARK } from '../render/status.ts';
import {
  commitRewrite,
  planRewrite,
  readStructureCache,
  removeStaleTemps,
  writeStructureCache,
  type PlannedDocument,
  type StructureCache,
} from '../rewrite/workspace.ts';
import { inlineConfigSecretEntries } from '../secrets/config-secrets.ts';
import { readSecretsFiles } from '../secrets/env-files.ts';
import { Redactor } from '../secrets/redactor.ts';
import { unifiedDiff } from './diff.ts';
import { checkProofs, reportClaims } from '../check/proof-check.ts';
import type { ReportedProblem } from '../check/problems.ts';
import { claimsReportJson, claimsReportText, problemsJson, problemsText } from './proof-output.ts';

export interface MainOptions {
  argv: string[];
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** How long to wait for another refresh's lock (ms). */
  lockWaitMs?: number;
  /** The probes to run (default: every registered probe); tests inject faulty ones. */
  probes?: Probe[];
  /** Timeout of a probe whose options set none (ms). */
  defaultTimeoutMs?: number;
  /** Live progress on a terminal (default: stdout is a TTY and $CI is unset). */
  live?: boolean;
  /** The clock `--check` judges the age of evidence by (default: now). */
  now?: () => Date;
}

/** The `--json` report. Stable: fields are only ever added. */
export interface RefreshReport {
  /** Probe runs of this invocation (empty with --check / --dry-run). */
  results: ProbeResult[];
  docs: { file: string; changed: boolean; regions: string[]; items: { line: number; text: string; probes: string[]; state: string }[] }[];
  /** Files written (empty with --check / --dry-run). */
  written: string[];
  /** `--check`: unproven or stale claims, broken citations, tampered evidence (empty otherwise). */
  problems: ReportedProblem[];
  exitCode: number;
}

export const EXIT = { ok: EXIT_CODE.ok, probeFailed: EXIT_CODE.failed, usage: EXIT_CODE.usage, wouldChange: EXIT_CODE.check, busy: EXIT_CODE.busy } as const;

const USAGE = `Usage: npm run refresh-docs -- [options]

Runs the probes, writes their evidence and rewrites the generated parts of the runbooks.

Options:
  --config <file>   workspace config (default: ${CONFIG_FILE_NAME}, or $PROOFBOOK_CONFIG)
  --only <ids>      comma-separated probe ids to run (see Probes below)
  --check           run no probe and touch no network: render from the latest evidence and
                    exit 3 with a unified diff if any doc would change (for PR CI); also exit 3
                    on a success claim the evidence does not back or backs with stale evidence,
                    a cited evidence file that is missing or changed, or a broken evidence index
  --report          list every success claim (✅, [x], Completed, Verified) that no probe or
                    decision backs, with file:line; runs nothing, writes nothing, exits 0
  --dry-run         like --check, but print the diff and exit 0; nothing is written
  --offline         run no probe: re-render the docs from the evidence already there
  --force           overwrite generated regions that were edited by hand
  --json            print a JSON report (see README) instead of the table
  -h, --help        show this help

Exit codes: 0 ok (all probes pass/warn/skip), 1 a probe failed or errored, 2 usage, config
or document error (nothing written), 3 --check: docs would change or a claim is unproven,
4 another refresh is running.

Probes (options under probes.<id> in the config):
${PROBE_DEFINITIONS.map((d) => `  ${d.id.padEnd(17)} ${d.kind.padEnd(6)} ${d.summary}`).join('\n')}`;

export async function main(options: MainOptions): Promise<number> {
  const rawOut = options.stdout ?? ((line) => process.stdout.write(`${line}\n`));
  const rawErr = options.stderr ?? ((line) => process.stderr.write(`${line}\n`));
  let redactor = new Redactor();
  // Every line printed goes through the redactor, which learns the secrets once they are read.
  const out = (line: string) => rawOut(redactor.redact(line));
  const err = (line: string) => rawErr(redactor.redact(line));

  let args;
  try {
    args = parseArgs({
      args: options.argv,
      options: {
        config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME },
        only: { type: 'string' },
        check: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        report: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    out(USAGE);
    return EXIT.ok;
  }
  if (args.report && (args.check || args['dry-run'] || args.offline || args.only || args.force)) {
    err(`refresh-docs: --report runs nothing and writes nothing; use it without --check, --dry-run, --offline, --only or --force\n\n${USAGE}`);
    return EXIT.usage;
  }
  // Offline: no probe, no network; docs are rendered from the evidence already there.
  const offline = args.check || args['dry-run'] || args.offline || args.report;
  const writeDocs = !args.check && !args['dry-run'];

  const knownIds = options.probes ? options.probes.map((p) => p.id) : PROBE_IDS;
  let config: Config;
  try {
    config = await loadConfig(args.config, { knownProbes: knownIds });
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}`);
    return exitCodeOf(error);
  }

  const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !knownIds.includes(id)) ?? [];
  if (unknown.length) {
    err(`refresh-docs: unknown probe id(s) ${unknown.join(', ')}; known: ${knownIds.join(', ')}`);
    return EXIT.usage;
  }
  // A probe's code is loaded only when it may run: not for --check, --offline, --report or --dry-run.
  const selected = (list: Probe[]) => (only ? list.filter((p) => only.includes(p.id)) : list);
  const probes = options.probes ? selected(options.probes) : offline ? [] : await loadProbes(only);

  // Bad input (runbooks, evidence, the probes' input files) stops the run before anything runs.
  const inputProblems = await preflight(config, probes, { runProbes: !offline });
  if (inputProblems.length) {
    err(formatPreflight(inputProblems));
    return EXIT.usage;
  }

  if (args.report) {
    try {
      const report = await reportClaims({ config, knownProbes: knownIds });
      if (args.json) out(JSON.stringify(claimsReportJson(report, config.rootDir, EXIT.ok), null, 2));
      else for (const line of claimsReportText(report, config.rootDir)) out(line);
      return EXIT.ok;
    } catch (error) {
      // A runbook that cannot be read or binds an unknown probe: a document error.
      err(`refresh-docs: ${(error as Error).message}`);
      return EXIT.usage;
    }
  }

  let secrets;
  try {
    secrets = await readSecretsFiles(config.secretsFiles);
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}`);
    return EXIT.probeFailed;
  }
  // Fed from every secrets file, the key sent in headers (redacted where it is sent whatever its
  // length), and secrets written inline in config.yaml — each with its key and file:line, so that a
  // weak one (too short or too common to redact by substring) is named in a warning, never shown.
  const keyEnvVar = config.gateway.keyEnvVar;
  const where = (file: string, line: number) => `${path.relative(config.rootDir, file).startsWith('..') ? file : path.relative(config.rootDir, file)}:${line}`;
  redactor = new Redactor([
    ...secrets.entries.map((e) => ({ value: e.value, name: e.key, source: where(e.file, e.line), sent: e.key === keyEnvVar })),
    { value: process.env[keyEnvVar], name: keyEnvVar, source: 'environment', sent: true },
    ...(await inlineConfigSecretEntries(config.gateway.configFile)).map((s) => ({ value: s.value, name: s.name, source: where(s.file, s.line), secret: true })),
  ]);
  if (!offline) {
    for (const file of secrets.missing) err(`warning: secrets file ${file} is missing; its values cannot be used or redacted`);
    for (const problem of secrets.problems) err(`warning: ${problem.message}`);
    for (const warning of redactor.warnings()) err(warning);
  }

  let lock;
  try {
    lock = !writeDocs ? undefined : await acquireLock(path.join(config.rootDir, '.proofbook.lock'), { waitMs: options.lockWaitMs });
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}`);
    return exitCodeOf(error);
  }

  try {
    const fresh: ProbeResult[] = [];
    if (writeDocs) {
      await removeStaleTemps(config.runbooks);
      // What a killed refresh left (a torn index line, unindexed artifacts): set aside, said aloud.
      const repair = await repairEvidence(config.evaluationDir);
      for (const line of describeRepair(repair, path.relative(config.rootDir, config.evaluationDir) || '.')) err(line);
    }
    if (!offline) {
      const http = createHttpClient(config.hosts);
      const history = await probeViews(config.evaluationDir);
      const live = !args.json && (options.live ?? (Boolean(process.stdout.isTTY) && !process.env.CI));
      const progress = new Progress(probes.map((p) => p.id), live ? (text) => process.stdout.write(text) : undefined);
      try {
        await runProbes(probes, { config, http, secrets: secrets.entries, history }, {
          timeoutMs: (probe) => (config.probes as Record<string, { timeoutMs?: number }>)[probe.id]?.timeoutMs ?? options.defaultTimeoutMs ?? 30_000,
          onOutcome: async ({ id, outcome, startedAt, durationMs }) => {
            let result: ProbeResult;
            try {
              const probeVersion = probes.find((p) => p.id === id)?.version;
              result = await writeEvidence({ evaluationDir: config.evaluationDir, id, outcome, startedAt, durationMs, redactor, probeVersion });
            } catch (error) {
              // The probe ran, but its evidence could not be stored: that is an error of its own.
              result = { id, status: 'error', summary: `evidence not written: ${(error as Error).message}`, facts: {}, startedAt, durationMs, evidence: { result: '', transcript: '' } };
            }
            fresh.push(result);
            if (!args.json) progress.done(id, `${STATUS_MARK[result.status]} ${id.padEnd(16)} ${result.status.padEnd(5)} ${String(durationMs).padStart(6)} ms  ${visibleControls(redactor.redact(result.summary))}`, out);
          },
        });
      } finally {
        progress.stop();
        await http.close();
      }
    }

    // Evidence → render → rewrite. Every document is planned before anything is written.
    let planned: PlannedDocument[];
    const cacheFile = path.join(config.rootDir, '.proofbook', 'structure-cache.json');
    const cache = await readStructureCache(cacheFile);
    let views: Map<string, ProbeView>;
    try {
      views = await probeViews(config.evaluationDir);
      planned = await planDocs(config, views, redactor, args.force, knownIds, cache);
    } catch (error) {
      err(`refresh-docs: ${(error as Error).message}`);
      return exitCodeOf(error);
    }
    const changed = planned.filter((doc) => doc.changed);
    const written = writeDocs ? await commitRewrite(planned) : [];
    if (writeDocs) await writeStructureCache(cacheFile, cache);

    let exitCode: number = fresh.some((r) => r.status === 'fail' || r.status === 'error') ? EXIT.probeFailed : EXIT.ok;
    // --check also proves the claims: evidence behind every bound success claim, citations, the index chain.
    const proof = args.check
      ? await checkProofs({ config, views, knownProbes: knownIds, now: options.now?.() ?? new Date(), documents: planned.map((d) => ({ file: d.file, text: d.before })), cache })
      : undefined;
    if (args.check && (changed.length || proof?.problems.length)) exitCode = EXIT.wouldChange;

    const rel = (file: string) => path.relative(config.rootDir, file);
    if (args.json) {
      const report: RefreshReport = {
        results: fresh.sort((a, b) => a.id.localeCompare(b.id)),
        docs: planned.map((doc) => ({
          file: rel(doc.file),
          changed: doc.changed,
          regions: doc.regions,
          items: doc.items.map(({ line, text, probes, state }) => ({ line, text, probes, state })),
        })),
        written: written.map(rel),
        problems: proof ? problemsJson(proof.problems, config.rootDir) : [],
        exitCode,
      };
      out(JSON.stringify(report, null, 2));
      return exitCode;
    }
    if (!writeDocs) {
      for (const doc of changed) out(unifiedDiff(rel(doc.file), doc.before, doc.text));
      if (args.check && proof) {
        for (const line of problemsText(proof.problems, config.rootDir)) out(line);
        out(changed.length
          ? `refresh-docs --check: ${changed.length} doc(s) would change: ${changed.map((d) => rel(d.file)).join(', ')}. Run \`npm run refresh-docs\` and commit the result.`
          : `refresh-docs --check: all ${planned.length} doc(s) match the evidence.`);
        const checked = `${proof.claims} bound claim(s), ${proof.citations} evidence citation(s), ${proof.chain.entries} index entries`;
        out(proof.problems.length
          ? `refresh-docs --check: ${proof.problems.length} unproven claim(s) or evidence problem(s) above (checked ${checked}).`
          : `refresh-docs --check: every claim is proven (checked ${checked}).`);
      } else out(`refresh-docs --dry-run: ${changed.length} of ${planned.length} doc(s) would change; nothing written.`);
      return exitCode;
    }
    if (fresh.length) out(summaryTable(fresh));
    out(`${fresh.length} probe(s): ${summarize(fresh)}; ${written.length} of ${planned.length} runbook(s) changed`);
    const failed = fresh.filter((r) => r.status === 'fail' || r.status === 'error');
    if (failed.length) out(`failed: ${failed.map((r) => r.id).sort().join(', ')}`);
    for (const doc of changed) out(`  rewrote ${rel(doc.file)} (${[...doc.regions, ...(doc.items.length ? [`${doc.items.length} item(s)`] : [])].join(', ')})`);
    return exitCode;
  } finally {
    await lock?.release();
  }
}

/** The final table: one row per probe, in run order of ids. */
function summaryTable(results: ProbeResult[]): string {
  const rows = [...results].sort((a, b) => a.id.localeCompare(b.id));
  const width = Math.max(5, ...rows.map((r) => r.id.length));
  const statusWidth = Math.max(6, ...rows.map((r) => r.status.length));
  const line = (id: string, status: string, ms: string, summary: string) => `${id.padEnd(width)}  ${status.padEnd(statusWidth)}  ${ms.padStart(7)}  ${summary}`;
  return [
    '',
    line('probe', 'status', 'ms', 'summary'),
    line('-'.repeat(width), '-'.repeat(statusWidth), '-------', '-------'),
    ...rows.map((r) => line(r.id, r.status, String(r.durationMs), visibleControls(r.summary.length > 100 ? `${r.summary.slice(0, 99)}…` : r.summary))),
    '',
  ].join('\n');
}

/**
 * Progress while probes run: on a terminal, a status line naming the probes still running,
 * redrawn as each one finishes; elsewhere (CI, pipes) just one plain line per finished probe.
 */
class Progress {
  private readonly running: Set<string>;
  private readonly write?: (text: string) => void;
  private readonly timer?: NodeJS.Timeout;
  private frame = 0;

  constructor(ids: string[], write?: (text: string) => void) {
    this.running = new Set(ids);
    this.write = write;
    if (write) {
      this.timer = setInterval(() => this.draw(), 120);
      this.timer.unref();
      this.draw();
    }
  }

  done(id: string, line: string, out: (line: string) => void): void {
    this.running.delete(id);
    this.clear();
    out(line);
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.clear();
  }

  private draw(): void {
    if (!this.write || this.running.size === 0) return;
    const spinner = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[this.frame++ % 10];
    this.write(`\r\x1b[K${spinner} running ${[...this.running].join(', ')}`);
  }

  private clear(): void {
    this.write?.('\r\x1b[K');
  }
}

function summarize(results: ProbeResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none run';
}

async function planDocs(
  config: Config,
  views: Map<string, ProbeView>,
  redactor: Redactor,
  force: boolean,
  knownProbes: string[],
  cache: StructureCache,
): Promise<PlannedDocument[]> {
  const files = await markdownFiles(config.runbooks);
  return planRewrite(
    files,
    (file) => (region) => renderRegion(region.id, views, { docFile: file, evaluationDir: config.evaluationDir, hosts: config.hosts.map((h) => h.name) }, region),
    (file) => ({
      force,
      // Evidence is redacted when written; generated text is redacted again in case a secret
      // reached a results file some other way. Hand-written text is never touched.
      sanitize: (markdown) => redactor.redact(markdown),
      regionDate: (region) => views.get(region.id)?.since.slice(0, 10),
      plan: {
        views,
        bindings: config.plan.bindings,
        decisions: config.plan.decisions,
        knownProbes,
        render: { docFile: file, evaluationDir: config.evaluationDir },
      },
    }),
    cache,
  );
}
