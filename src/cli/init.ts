/**
 * `proofbook init [folder]`: adopt Proofbook on a folder of hand-written runbooks.
 *
 * Shows everything as a diff first (the default, or `--dry-run`) and writes only with `--yes`.
 * `main` takes its I/O as hooks and returns the exit code, like refresh-docs:
 * 0 ok, 1 unexpected failure, 2 usage or document error (nothing written), 4 a refresh holds the lock.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { CONFIG_FILE_NAME, deprecationWarnings } from '../probes/config.ts';
import { acquireLock } from '../fs/lock.ts';
import { applyInit, planInit, type InitPlan } from '../init/init.ts';
import { exitCodeOf, EXIT_CODE } from '../model/errors.ts';
import { PROBE_IDS } from '../probes/registry.ts';
import { CommandOutput, parseCommandLine, type OutputHooks } from './command-io.ts';

export interface InitMainOptions extends OutputHooks {
  argv: string[];
  /** Registered probe ids (default: the registry's); tests pin them. */
  probeIds?: string[];
  lockWaitMs?: number;
}

/** The `--json` report. Stable: fields are only ever added. */
export interface InitReport {
  root: string;
  config: InitPlan['config'];
  docs: InitPlan['docs'];
  /** Documents left alone because they are not about the gateway, and why. */
  skipped: InitPlan['skipped'];
  regions: InitPlan['regions'];
  bound: InitPlan['bound'];
  unbound: InitPlan['unbound'];
  lastUpdated: InitPlan['lastUpdated'];
  /** Every file that would change or be created, with its unified diff. */
  changes: { file: string; created: boolean; diff: string }[];
  /** Files written (empty without --yes). */
  written: string[];
  durationMs: number;
  exitCode: number;
}

export const INIT_USAGE = `Usage: npm run proofbook -- init [folder] [options]

Adopts Proofbook on a folder of hand-written runbooks about the gateway: proposes generated
regions in the sections probes can generate (routing, tool catalog, client matrix, secrets),
binds existing plan items (✅/⚠️ lines, GFM checkboxes, Status fields) to probes, and writes a
starter ${CONFIG_FILE_NAME}. Documents that are not about the gateway are listed and left alone.
A region goes beside the hand-written block it supersedes, which is kept; --replace opts one
proposal into replacing that block instead. Everything is shown as a unified diff first;
nothing is written without --yes.

Options:
  [folder]          the folder to adopt (default: the current folder)
  --config <file>   the config to write or extend (default: <folder>/${CONFIG_FILE_NAME})
  --dry-run         print the diff and the binding report; write nothing (the default)
  --yes             write the changes (each file atomically)
  --replace <sel>   let a proposal replace the hand-written block it supersedes (shown in the
                    diff): <file>:<line> as the report lists it, <file>:<region id>, or a region
                    id for all its proposals; repeatable
  --json            print a JSON report (see README) instead of text
  -h, --help        show this help

Exit codes: 0 ok, 1 unexpected failure, 2 usage or document error (nothing written),
4 a refresh holds the lock.`;

export async function main(options: InitMainOptions): Promise<number> {
  // Every line printed goes through the redactor: the generic forms at first, the workspace's
  // secrets too once init has read them (like refresh-docs). The diff holds hand-written lines.
  const output = new CommandOutput(options);
  const { out, err } = output;
  const started = performance.now();
  const args = parseCommandLine(output, { name: 'init', usage: INIT_USAGE, argv: options.argv }, {
    config: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean', short: 'y', default: false },
    json: { type: 'boolean', default: false },
    replace: { type: 'string', multiple: true, default: [] },
  });
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  if (values.yes && values['dry-run']) {
    err(`init: --yes and --dry-run contradict each other; pick one\n\n${INIT_USAGE}`);
    return EXIT_CODE.usage;
  }
  if (positionals.length > 1) {
    err(`init: one folder at a time (got ${positionals.join(', ')})\n\n${INIT_USAGE}`);
    return EXIT_CODE.usage;
  }
  const root = path.resolve(positionals[0] ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    err(`init: ${root} is not a folder`);
    return EXIT_CODE.usage;
  }

  let plan: InitPlan;
  try {
    plan = await planInit({ root, configPath: values.config, probeIds: options.probeIds ?? PROBE_IDS, replace: values.replace });
  } catch (error) {
    err(`init: ${(error as Error).message}`);
    return exitCodeOf(error);
  }
  output.redactor = plan.redactor;
  // An existing config that still sets a moved field: said once, as refresh-docs and verify say it.
  const configText = await readFile(plan.configPath, 'utf8').catch(() => undefined);
  if (configText !== undefined) for (const line of deprecationWarnings(configText, plan.configPath)) err(line);

  const changes = plan.changes.map((change) => ({
    file: change.rel,
    created: change.before === undefined,
    diff:
      change.before === undefined
        ? createTwoFilesPatch('/dev/null', `b/${change.rel}`, '', change.after, '', '', { context: 3 }).trimEnd()
        : createTwoFilesPatch(`a/${change.rel}`, `b/${change.rel}`, change.before, change.after, '', '', { context: 3 }).trimEnd(),
  }));

  let written: string[] = [];
  if (values.yes && plan.changes.length) {
    let lock;
    try {
      lock = await acquireLock(path.join(path.dirname(plan.configPath), '.proofbook.lock'), { waitMs: options.lockWaitMs });
    } catch (error) {
      err(`init: ${(error as Error).message}`);
      return exitCodeOf(error);
    }
    try {
      written = (await applyInit(plan)).map((file) => path.relative(path.dirname(plan.configPath), file).split(path.sep).join('/'));
    } catch (error) {
      err(`init: ${(error as Error).message}`);
      return EXIT_CODE.failed;
    } finally {
      await lock.release();
    }
  }
  const durationMs = Math.round(performance.now() - started);

  if (values.json) {
    const report: InitReport = {
      root: plan.root,
      config: plan.config,
      docs: plan.docs,
      skipped: plan.skipped,
      regions: plan.regions,
      bound: plan.bound,
      unbound: plan.unbound,
      lastUpdated: plan.lastUpdated,
      changes,
      written,
      durationMs,
      exitCode: EXIT_CODE.ok,
    };
    out(JSON.stringify(report, null, 2));
    return EXIT_CODE.ok;
  }

  const plans = plan.docs.filter((d) => d.kind === 'plan').length;
  out(`proofbook init: ${plan.root}`);
  out(`Found ${plan.docs.length} Markdown file(s): ${plans} plan(s), ${plan.docs.length - plans} runbook(s); ${plan.docs.length - plan.skipped.length} about the gateway.`);
  const gateway = [plan.gateway.litellmConfigs[0]?.rel, plan.gateway.composeFiles[0]?.rel, ...plan.gateway.secretsFiles].filter(Boolean);
  const none = plan.config.action === 'create' ? 'none found (the new config gets TODOs)' : `none found here (${plan.config.file} names them)`;
  out(`Gateway files: ${gateway.length ? gateway.join(', ') : none}`);
  out('');
  if (plan.skipped.length) {
    out(`Left alone, not about the gateway (${plan.skipped.length}):`);
    for (const doc of plan.skipped) out(`  ${doc.file} — ${doc.reason}`);
    out('');
  }
  out(`Regions (${plan.regions.length}):`);
  for (const region of plan.regions) {
    const lines = (r: { from: number; to: number; blocks: string[] }) => `lines ${r.from}–${r.to} (${r.blocks.join(', ')})`;
    const what =
      region.mode === 'wrap' && region.replaces
        ? `wraps ${lines(region.replaces)}: the first refresh replaces them (--replace)`
        : region.supersedes
          ? `new region after ${lines(region.supersedes)}, which it supersedes and which stay as written (to replace them: --replace ${region.file}:${region.supersedes.from})`
          : 'new empty region at the end of the section (nothing hand-written is replaced)';
    out(`  ${region.file}:${region.line}  ${region.id.padEnd(15)} ${what} — ${region.why}`);
  }
  out('');
  out(`Bound plan items (${plan.bound.length}):`);
  for (const item of plan.bound) out(`  ${item.file}:${item.line}  ${item.probes.join(', ').padEnd(15)} ← ${item.why}: ${item.text}`);
  out('');
  out(`Not bound (${plan.unbound.length}):`);
  for (const item of plan.unbound) out(`  ${item.file}:${item.line}  ${item.text} — ${item.reason}`);
  out('');
  const configLine = {
    create: `will be created${plan.config.todo.length ? `; fill in: ${plan.config.todo.join(', ')} (marked TODO)` : ''}`,
    update: `gets ${plan.bound.length} binding(s) under plan.bindings; nothing else in it changes`,
    unchanged: 'exists and needs no change',
    manual: 'exists, but its plan.bindings cannot be extended automatically: add the bindings above by hand',
  }[plan.config.action];
  if (plan.lastUpdated.length) {
    out(`"Last Updated" dates refresh-docs will keep (the date the doc's status last changed): ${plan.lastUpdated.map((l) => `${l.file}:${l.line}`).join(', ')}`);
    out('');
  }
  out(`Config ${plan.config.file}: ${configLine}`);
  out('');
  for (const change of changes) {
    out(change.diff);
    out('');
  }
  const created = changes.filter((c) => c.created).length;
  if (!values.yes) {
    out(
      changes.length
        ? `proofbook init --dry-run: ${changes.length - created} file(s) would change, ${created} would be created; nothing written. Run again with --yes to write.`
        : 'proofbook init --dry-run: nothing to change.',
    );
  } else {
    out(written.length ? `Wrote ${written.length} file(s): ${written.join(', ')} (${durationMs} ms).` : 'Nothing to change.');
    const configArg = path.relative(process.cwd(), plan.configPath) || plan.configPath;
    if (written.length) out(`Next: npm run refresh-docs -- --config ${configArg}, then review \`git diff\`: only the marked regions and the bound items' status change.`);
  }
  return EXIT_CODE.ok;
}
