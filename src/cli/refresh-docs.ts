/**
 * `refresh-docs`: parses the arguments, runs `refresh()` (src/refresh/refresh.ts) and prints its
 * report with one formatter (./format/): the table, `--json`, the diff of `--check`/`--dry-run`,
 * or the `--report` of claims.
 *
 * `main` takes its I/O as hooks and returns the exit code, so tests drive it in-process.
 * Exit codes (src/model/errors.ts, see USAGE): 0 ok, 1 a probe failed, 2 usage/config/document
 * error, 3 `--check` found docs that would change, 4 another refresh holds the lock.
 */
import { EXIT_CODE, exitCodeOf } from '../model/errors.ts';
import { CONFIG_FILE_NAME } from '../probes/config.ts';
import { PROBE_DEFINITIONS } from '../probes/registry.ts';
import type { Probe } from '../probes/types.ts';
import { PreflightError, refresh, type RefreshMode, type RefreshReport } from '../refresh/refresh.ts';
import { CommandOutput, parseCommandArgs, type OutputHooks } from './command-io.ts';
import { diffLines } from './format/diff.ts';
import { refreshJson } from './format/json.ts';
import { probeLine, Progress } from './format/progress.ts';
import { claimsReportJson, claimsReportText } from './format/proofs.ts';
import { tableLines } from './format/table.ts';

export type { RefreshJson } from './format/json.ts';

export interface MainOptions extends OutputHooks {
  argv: string[];
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
  const output = new CommandOutput(options);
  const { out, err } = output;

  const args = parseCommandArgs(output, { name: 'refresh-docs', usage: USAGE, argv: options.argv }, {
    config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME },
    only: { type: 'string' },
    check: { type: 'boolean', default: false },
    offline: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
  });
  if (typeof args === 'number') return args;
  if (args.report && (args.check || args['dry-run'] || args.offline || args.only || args.force)) {
    err(`refresh-docs: --report runs nothing and writes nothing; use it without --check, --dry-run, --offline, --only or --force\n\n${USAGE}`);
    return EXIT_CODE.usage;
  }
  const mode: RefreshMode = args.report ? 'report' : args.check ? 'check' : args['dry-run'] ? 'dry-run' : args.offline ? 'offline' : 'run';

  const live = !args.json && (options.live ?? (Boolean(process.stdout.isTTY) && !process.env.CI));
  const progress = args.json ? undefined : new Progress(out, live ? (text) => process.stdout.write(text) : undefined);
  let report: RefreshReport;
  try {
    report = await refresh(
      {
        configPath: args.config,
        mode,
        only: args.only?.split(',').map((s) => s.trim()).filter(Boolean),
        force: args.force,
        lockWaitMs: options.lockWaitMs,
        defaultTimeoutMs: options.defaultTimeoutMs,
        now: options.now,
      },
      {
        probes: options.probes,
        onRedactor: (workspaceRedactor) => (output.redactor = workspaceRedactor),
        onWarning: err,
        onProbeStarted: (id) => progress?.started(id),
        onProbeFinished: (result) => progress?.finished(result.id, probeLine(result, (text) => output.redactor.redact(text))),
        onProbesDone: () => progress?.stop(),
      },
    );
  } catch (error) {
    // The preflight's message is its own report; everything else is one line.
    err(error instanceof PreflightError ? error.message : `refresh-docs: ${(error as Error).message}`);
    return exitCodeOf(error);
  }
  for (const line of formatted(report, args.json)) out(line);
  return report.exitCode;
}

/** The report as the lines to print: the claims of `--report`, `--json`, the diff, or the table. */
function formatted(report: RefreshReport, json: boolean): string[] {
  if (report.claims) {
    return json ? [JSON.stringify(claimsReportJson(report.claims, report.rootDir, report.exitCode), null, 2)] : claimsReportText(report.claims, report.rootDir);
  }
  if (json) return [JSON.stringify(refreshJson(report), null, 2)];
  if (report.mode === 'check' || report.mode === 'dry-run') return diffLines(report);
  return tableLines(report);
}
