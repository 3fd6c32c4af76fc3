#!/usr/bin/env node
/**
 * `npm run docs:generate [-- --check]`: regenerates the reference docs that are derived from the
 * code — docs/configuration.md (the config schema) and docs/probes.md (the probe registry) — so
 * they cannot drift from it. `--check` writes nothing and exits 3 when one is out of date.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GENERATE_DOCS_COMMAND, generatedDocs } from '../src/config/reference.ts';
import { FULL_CONFIG_SCHEMA } from '../src/probes/config.ts';
import { PROBE_DEFINITIONS } from '../src/probes/registry.ts';
import { writeFileAtomic } from '../src/fs/atomic-write.ts';
import { PACKAGE_ROOT } from '../src/package-root.ts';

const check = process.argv.slice(2).includes('--check');
for (const doc of generatedDocs(FULL_CONFIG_SCHEMA, PROBE_DEFINITIONS)) {
  const file = path.join(PACKAGE_ROOT, doc.path);
  const before = await readFile(file, 'utf8').catch(() => undefined);
  if (before === doc.text) console.log(`docs:generate: ${doc.path} is up to date`);
  else if (check) {
    console.error(`docs:generate: ${doc.path} is out of date with the code; run \`${GENERATE_DOCS_COMMAND}\``);
    process.exitCode = 3;
  } else {
    await writeFileAtomic(file, doc.text);
    console.log(`docs:generate: ${before === undefined ? 'wrote' : 'updated'} ${doc.path}`);
  }
}
