/**
 * `scan-secrets`: runs secretlint and detect-secrets (src/secrets/scanners.ts) over the evidence,
 * the runbooks and the built site, prints every finding as `file:line: [scanner] rule` (never the
 * value) and exits 1 on any finding.
 *
 * Exit codes (src/model/errors.ts): 0 nothing found, 1 a finding (or a scanner failed), 2 usage or config error.
 */
import path from 'node:path';
import { CONFIG_FILE_NAME, loadConfig } from '../probes/config.ts';
import { EXIT_CODE, exitCodeOf } from '../model/errors.ts';
import { formatFinding, scanSecrets } from '../secrets/scanners.ts';
import { siteOutDir } from '../site/workspace.ts';
import { CommandOutput, parseCommandLine, type OutputHooks } from './command-io.ts';

const USAGE = `Usage: npm run scan-secrets -- [--config <file>] [--site <dir>] [folder…]

Scans the evidence (evaluationDir), the runbooks (runbooks) and the built site with secretlint
(recommended preset, .secretlintrc.json) and detect-secrets (pinned, installed into .venv).
Folders given on the command line are scanned instead. A folder that does not exist is skipped.

Options:
  --config <file>   workspace config (default: ${CONFIG_FILE_NAME}, or $PROOFBOOK_CONFIG)
  --site <dir>      the built site (default: $PROOFBOOK_SITE_OUT, or dist)
  -h, --help        show this help

Exit codes: 0 no finding, 1 a finding or a scanner failed, 2 usage or config error.`;

export async function main(options: OutputHooks & { argv: string[] }): Promise<number> {
  // Findings never carry the value; the generic forms still guard every other line printed.
  const output = new CommandOutput(options);
  const { out, err } = output;
  const parsed = parseCommandLine(output, { name: 'scan-secrets', usage: USAGE, argv: options.argv }, {
    config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME },
    site: { type: 'string' },
  });
  if (typeof parsed === 'number') return parsed;
  let roots = parsed.positionals.map((p) => path.resolve(p));
  let rootDir = process.cwd();
  if (!roots.length) {
    try {
      const config = await loadConfig(parsed.values.config);
      rootDir = config.rootDir;
      roots = [config.evaluationDir, ...config.runbooks, parsed.values.site ? path.resolve(parsed.values.site) : siteOutDir()];
    } catch (error) {
      err(`scan-secrets: ${(error as Error).message}`);
      return exitCodeOf(error);
    }
  }
  try {
    const report = await scanSecrets(roots, (line) => err(`scan-secrets: ${line}`));
    const shown = (dir: string) => path.relative(rootDir, dir) || '.';
    for (const dir of report.missing) out(`scan-secrets: skipped ${shown(dir)} (not there)`);
    for (const finding of report.findings) out(formatFinding(finding, rootDir));
    const count = (scanner: string) => report.findings.filter((f) => f.scanner === scanner).length;
    out(
      `scan-secrets: secretlint ${report.versions.secretlint}: ${count('secretlint')}, detect-secrets ${report.versions.detectSecrets}: ${count('detect-secrets')} finding(s) in ${report.scanned.map(shown).join(', ') || 'nothing'}`,
    );
    if (report.findings.length) out('scan-secrets: a finding is a secret in published output: find how it got past the redactor and fix that; allow-list a non-secret narrowly in .secretlintrc.json or DETECT_SECRETS_EXCLUDE_LINES (src/secrets/scanners.ts), with the reason.');
    return report.findings.length ? EXIT_CODE.failed : EXIT_CODE.ok;
  } catch (error) {
    err(`scan-secrets: ${(error as Error).message}`);
    return EXIT_CODE.failed;
  }
}
