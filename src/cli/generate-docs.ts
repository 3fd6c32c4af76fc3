/**
 * `npm run docs:generate [-- --check]`: regenerates the reference docs that are derived from the
 * code — docs/configuration.md (the config schema) and docs/probes.md (the probe registry and each
 * probe's guide.md) — so they cannot drift from it. `--check` writes nothing and exits 3 when one is out of date.
 * `main` returns the exit code (src/model/errors.ts); scripts/generate-docs.ts is the bin.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GENERATE_DOCS_COMMAND, generatedDocs } from '../config/reference.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { EXIT_CODE } from '../model/errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { FULL_CONFIG_SCHEMA } from '../probes/config.ts';
import { withGuides } from '../probes/guides.ts';
import { PROBE_DEFINITIONS } from '../probes/registry.ts';

export async function main(options: { argv: string[]; stdout?: (line: string) => void; stderr?: (line: string) => void }): Promise<number> {
  const out = options.stdout ?? ((line) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line) => process.stderr.write(`${line}\n`));
  const check = options.argv.includes('--check');
  let exitCode: number = EXIT_CODE.ok;
  // Each probe's guide.md is read from its folder and goes under its section of probes.md.
  for (const doc of generatedDocs(FULL_CONFIG_SCHEMA, await withGuides(PROBE_DEFINITIONS))) {
    const file = path.join(PACKAGE_ROOT, doc.path);
    const before = await readFile(file, 'utf8').catch(() => undefined);
    if (before === doc.text) out(`docs:generate: ${doc.path} is up to date`);
    else if (check) {
      err(`docs:generate: ${doc.path} is out of date with the code; run \`${GENERATE_DOCS_COMMAND}\``);
      exitCode = EXIT_CODE.check;
    } else {
      await writeFileAtomic(file, doc.text);
      out(`docs:generate: ${before === undefined ? 'wrote' : 'updated'} ${doc.path}`);
    }
  }
  return exitCode;
}
