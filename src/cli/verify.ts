/**
 * `verify`: is the evidence as it was recorded? Walks `evaluation/index.jsonl` (see
 * src/check/chain.ts) and hashes every artifact and transcript it lists.
 *
 * `main` takes its I/O as hooks and returns the exit code (like markdownlint-cli2's `main`), so
 * tests drive it in-process; `scripts/verify.ts` is the bin.
 * Exit codes (src/model/errors.ts): 0 intact (or no evidence yet), 2 usage or config error, 3 tampered.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { verifyChain } from '../check/chain.ts';
import { formatProblem, relativeTo, reportedProblem, type ReportedProblem } from '../check/problems.ts';
import { CONFIG_FILE_NAME, loadConfig } from '../probes/config.ts';
import { EVIDENCE_KEY_ENV, INDEX_FILE } from '../evidence/history.ts';
import { EXIT_CODE } from '../model/errors.ts';
import { CommandOutput, parseCommandArgs, type OutputHooks } from './command-io.ts';

export interface VerifyOptions extends OutputHooks {
  argv: string[];
  /** Folder relative paths start from (default: the process's). */
  cwd?: string;
}

/** The `--json` report. Stable: fields are only ever added. */
export interface VerifyReport {
  /** The evaluation folder, relative to the workspace. */
  evaluationDir: string;
  /** Index entries read. */
  entries: number;
  /** Artifact files hashed (results and transcripts). */
  artifacts: number;
  /** The first broken index entry (or, with an intact index, the first unindexed artifact); null when intact. */
  firstBroken: ReportedProblem | null;
  problems: ReportedProblem[];
  exitCode: number;
}

const USAGE = `Usage: npm run verify -- [options]

Checks that the evidence is as it was recorded: every line of evaluation/index.jsonl chains to
the line before it, every artifact it lists exists with the sha256 recorded for it (transcripts
too), each line agrees with its artifact, and every result artifact is listed.

Options:
  --config <file>          workspace config (default: ${CONFIG_FILE_NAME}, or $PROOFBOOK_CONFIG)
  --evaluation-dir <dir>   verify this evidence folder instead (no config needed)
  --signed                 also require every index entry to carry a valid HMAC signature made with
                           the key in $PROOFBOOK_EVIDENCE_KEY (set it where refreshes run, e.g. CI)
  --json                   print a JSON report (see README)
  -h, --help               show this help

Exit codes: 0 intact (or no evidence yet), 2 usage or config error, 3 tampered: the first broken
entry is named with its line and what to do.`;

export async function main(options: VerifyOptions): Promise<number> {
  // verify reads no secrets: its lines go through the generic forms only.
  const output = new CommandOutput(options);
  const { out: log, err: logError } = output;
  const cwd = options.cwd ?? process.cwd();

  const args = parseCommandArgs(output, { name: 'verify', usage: USAGE, argv: options.argv }, {
    config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME },
    'evaluation-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
    signed: { type: 'boolean', default: false },
  });
  if (typeof args === 'number') return args;

  let evaluationDir: string;
  let rootDir: string;
  if (args['evaluation-dir']) {
    evaluationDir = path.resolve(cwd, args['evaluation-dir']);
    rootDir = cwd;
  } else {
    try {
      const config = await loadConfig(path.resolve(cwd, args.config), { onWarning: logError });
      evaluationDir = config.evaluationDir;
      rootDir = config.rootDir;
    } catch (error) {
      logError(`verify: ${(error as Error).message}`);
      return EXIT_CODE.usage;
    }
  }
  const shownDir = relativeTo(rootDir, evaluationDir);
  const info = await stat(evaluationDir).catch(() => undefined);
  if (info && !info.isDirectory()) {
    logError(`verify: ${shownDir} is not a folder — point evaluationDir (or --evaluation-dir) at the evidence folder`);
    return EXIT_CODE.usage;
  }

  const signingKey = args.signed ? process.env[EVIDENCE_KEY_ENV] : undefined;
  if (args.signed && !signingKey) {
    logError(`verify: --signed needs the signing key in $${EVIDENCE_KEY_ENV}`);
    return EXIT_CODE.usage;
  }
  let chain;
  try {
    chain = await verifyChain({ evaluationDir, deep: true, signingKey });
  } catch (error) {
    logError(`verify: ${shownDir}/${INDEX_FILE} cannot be read: ${(error as Error).message}`);
    return EXIT_CODE.usage;
  }
  const exitCode = chain.problems.length ? EXIT_CODE.check : EXIT_CODE.ok;
  const first = chain.problems[0];

  if (args.json) {
    const report: VerifyReport = {
      evaluationDir: shownDir,
      entries: chain.entries,
      artifacts: chain.artifacts,
      firstBroken: first ? reportedProblem(first, rootDir) : null,
      problems: chain.problems.map((p) => reportedProblem(p, rootDir)),
      exitCode,
    };
    log(JSON.stringify(report, null, 2));
    return exitCode;
  }
  if (!info) {
    log(`verify: ${shownDir} does not exist yet: no evidence to verify.`);
    return exitCode;
  }
  for (const problem of chain.problems) log(formatProblem(problem, rootDir));
  if (first) {
    const where = first.line > 0 ? `${relativeTo(rootDir, first.file)}:${first.line}` : relativeTo(rootDir, first.file);
    log(`verify: evidence tampered: first broken entry at ${where}; ${chain.problems.length} problem(s) in ${chain.entries} index entries and ${chain.artifacts} artifact(s).`);
  } else {
    log(`verify: ${shownDir}/${INDEX_FILE}: ${chain.entries} entries and ${chain.artifacts} artifact(s) intact.`);
  }
  return exitCode;
}
