/**
 * `proofbook upgrade-preview --to <version>`: proves a LiteLLM upgrade before it is made. A second
 * lab (src/lab/preview-lab.ts) runs the target version on the workspace's own `config.yaml`,
 * compose labels, secrets layout and clients, beside the first; every probe runs against it and
 * writes evidence marked with the version under `<evaluation>/upgrade-preview/<version>/`; then
 * the preview (src/upgrade/preview.ts) says what would change, on the console or as `--json`, and
 * the runbooks' `upgrade.preview` regions are re-rendered from it.
 *
 * Never touched: the current evidence (its index, "status since"), the plan items, the first lab.
 * A version that cannot be installed or whose lab does not start is an error naming the version
 * and the log, before anything is written.
 *
 * The one product command that starts the lab: a preview is a lab run on the team's own files
 * (the dependency rule allows this edge, .dependency-cruiser.cjs).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { probeViews } from '../evidence/history.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { ensureLitellm, litellmVenv } from '../lab/toolchain.ts';
import { previewLab, previewLabDown, previewLabUp } from '../lab/preview-lab.ts';
import { EXIT_CODE, exitCodeOf, ProofbookError } from '../model/errors.ts';
import type { Finding } from '../model/findings.ts';
import { CONFIG_FILE_NAME, loadConfig, type Config } from '../probes/config.ts';
import { loadProbes, PROBE_IDS } from '../probes/registry.ts';
import { refresh } from '../refresh/refresh.ts';
import { runAndRecord } from '../refresh/run-probes.ts';
import { readWorkspaceSecrets } from '../refresh/workspace-secrets.ts';
import { configCompatibility, parseLitellmConfig } from '../upgrade/config-compat.ts';
import { litellmPackageDirs, sourceNames } from '../upgrade/litellm-source.ts';
import { stdioGateFindings } from '../upgrade/stdio-gate.ts';
import { comparePreview, PREVIEW_FILE, type UpgradePreview } from '../upgrade/preview.ts';
import { CommandOutput, parseCommandArgs, type OutputHooks } from './command-io.ts';
import { probeLine, Progress } from './format/progress.ts';
import { upgradePreviewLines } from './format/upgrade-preview.ts';

const USAGE = `Usage: npm run proofbook -- upgrade-preview --to <version> [options]

Runs a second lab with LiteLLM <version> on this workspace's config.yaml, compose labels and
clients (other ports, its own venv and runtime folder), runs every probe against it, and shows
what the upgrade would change: findings cleared, new findings, changed statuses per probe and per
client cell, and config.yaml keys the version no longer reads. Its evidence goes under
<evaluation>/upgrade-preview/<version>/; the current evidence and the plan items are untouched.

Options:
  --to <version>    the LiteLLM release to preview (X.Y.Z; lab/requirements/litellm-<version>.txt
                    must hold its hash lock)
  --config <file>   workspace config (default: ${CONFIG_FILE_NAME}, or $PROOFBOOK_CONFIG)
  --json            print the preview as JSON
  --keep-lab        leave the second lab running (npm run lab:down does not stop it: its
                    runtime folder is <lab.runtimeDir>-preview-<version>)
  -h, --help        show this help

Exit codes: 0 the preview ran (whatever it found), 1 the version could not be installed or its
lab did not start, 2 usage or config error.`;

/** The preview could not run: the version did not install or its lab did not start. Nothing was written. */
export class UpgradePreviewError extends ProofbookError {
  readonly exitCode = EXIT_CODE.failed;
}

export async function main(options: { argv: string[] } & OutputHooks): Promise<number> {
  const output = new CommandOutput(options);
  const { out, err } = output;

  const args = parseCommandArgs(output, { name: 'upgrade-preview', usage: USAGE, argv: options.argv }, {
    to: { type: 'string' },
    config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME },
    json: { type: 'boolean', default: false },
    'keep-lab': { type: 'boolean', default: false },
  });
  if (typeof args === 'number') return args;
  if (!args.to) {
    err(`upgrade-preview: --to <version> is required\n\n${USAGE}`);
    return EXIT_CODE.usage;
  }
  const to = args.to;
  const log = (line: string) => err(`  ${line}`);

  try {
    const config = await loadConfig(args.config, { knownProbes: PROBE_IDS, onWarning: err });
    const from = config.lab.litellmVersion;
    // Installed first: a refused or unlockable version stops before any lab or file is touched.
    await ensureLitellm(log, from);
    await ensureLitellm(log, to).catch((error) => {
      if (error instanceof ProofbookError) throw error;
      throw new UpgradePreviewError(`LiteLLM ${to} could not be installed: ${(error as Error).message}`, { cause: error });
    });
    const preview = await previewLab(config, to);
    const evidenceFolder = path.relative(process.cwd(), preview.config.evaluationDir) || '.';

    err(`upgrade-preview: starting a second lab with LiteLLM ${to} (runtime folder ${path.relative(process.cwd(), preview.config.lab.runtimeDir)})`);
    const labStarted = performance.now();
    await previewLabUp(preview, log).catch((error) => {
      throw new UpgradePreviewError(`the lab with LiteLLM ${to} did not start (the first lab and the evidence are untouched): ${(error as Error).message}`, { cause: error });
    });
    const labUpMs = Math.round(performance.now() - labStarted);

    let probesMs: number;
    const ranAt = new Date().toISOString();
    try {
      const secrets = await readWorkspaceSecrets(preview.config);
      output.redactor = secrets.redactor;
      const progress = args.json ? undefined : new Progress(out);
      const probesStarted = performance.now();
      await runAndRecord(
        await loadProbes(),
        { config: preview.config, secrets: secrets.entries, redactor: secrets.redactor },
        {
          onProbeStarted: (id) => progress?.started(id),
          onProbeFinished: (result) => progress?.finished(result.id, probeLine(result, (text) => output.redactor.redact(text))),
          onProbesDone: () => progress?.stop(),
        },
      );
      probesMs = Math.round(performance.now() - probesStarted);
    } finally {
      if (!args['keep-lab']) await previewLabDown(preview);
    }

    const compared = comparePreview({
      before: await probeViews(config.evaluationDir),
      after: await probeViews(preview.config.evaluationDir),
      previewPrefix: path.relative(config.evaluationDir, preview.config.evaluationDir).split(path.sep).join('/'),
      order: PROBE_IDS,
      hosts: config.hosts.map((h) => h.name),
      normalise: preview.normalise,
    });
    const result: UpgradePreview = { schema: 1, from, to, ranAt, labUpMs, probesMs, ...compared, configCompatibility: await compatibility(config, from, to) };
    await writeFileAtomic(path.join(preview.config.evaluationDir, PREVIEW_FILE), `${JSON.stringify(output.redactor.redactValue(result), null, 2)}\n`);

    // The runbooks' upgrade.preview regions, drawn from what was just written (no probe runs).
    const docs = await refresh({ configPath: args.config, mode: 'offline' }, { onWarning: err });
    for (const file of docs.written) err(`upgrade-preview: wrote ${path.relative(process.cwd(), file)}`);

    const lines = args.json ? [JSON.stringify(result, null, 2)] : upgradePreviewLines(result, evidenceFolder);
    for (const line of lines) out(line);
    return EXIT_CODE.ok;
  } catch (error) {
    err(`upgrade-preview: ${(error as Error).message}`);
    return exitCodeOf(error);
  }
}

/**
 * `config.yaml` against both releases' sources: keys the target never names (src/upgrade/config-compat.ts)
 * and stdio servers the target will not start as configured (src/upgrade/stdio-gate.ts).
 */
async function compatibility(config: Config, from: string, to: string): Promise<Finding[]> {
  const names = async (version: string) => ({ version, names: await sourceNames(await litellmPackageDirs(litellmVenv(version))) });
  const [current, target] = await Promise.all([names(from), names(to)]);
  const yaml = parseLitellmConfig(await readFile(config.gateway.configFile, 'utf8')); // parsed once for both checks
  const input = { configFile: path.relative(config.rootDir, config.gateway.configFile), yaml, from: current, to: target };
  // The stdio gate first: the lab allows its servers, so only this finding shows that break.
  return [...stdioGateFindings(input), ...configCompatibility(input)];
}
