#!/usr/bin/env node
/**
 * `node scripts/config-reference.ts [--check] [file]`: regenerates the config reference between
 * the `<!-- config-reference:start -->` / `<!-- config-reference:end -->` markers of README.md
 * (or `file`) from the zod schema. `--check` writes nothing and exits 3 when it is out of date.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderConfigReference, replaceReferenceSection } from '../src/config/reference.ts';
import { FULL_CONFIG_SCHEMA } from '../src/probes/config.ts';
import { writeFileAtomic } from '../src/fs/atomic-write.ts';
import { PACKAGE_ROOT } from '../src/package-root.ts';

const args = process.argv.slice(2);
const check = args.includes('--check');
const file = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(PACKAGE_ROOT, 'README.md'));
const before = await readFile(file, 'utf8');
let after: string;
try {
  after = replaceReferenceSection(before, renderConfigReference(FULL_CONFIG_SCHEMA));
} catch (error) {
  console.error(`config-reference: ${file}: ${(error as Error).message}`);
  process.exit(2);
}
if (after === before) console.log(`config-reference: ${path.relative(process.cwd(), file)} is up to date`);
else if (check) {
  console.error(`config-reference: ${path.relative(process.cwd(), file)} is out of date with src/config/schema.ts; run \`node scripts/config-reference.ts\``);
  process.exitCode = 3;
} else {
  await writeFileAtomic(file, after);
  console.log(`config-reference: updated ${path.relative(process.cwd(), file)}`);
}
