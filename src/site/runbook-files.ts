/**
 * Finds the runbooks to publish. Shared by the content loader (pages) and
 * astro.config.mjs (sidebar), so both see the same files.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { RUNBOOK_EXTENSION } from './slugs.ts';

/** Markdown files under `dirs`, sorted; like Starlight, skips `_`-prefixed names, dot folders and node_modules. */
export async function findRunbooks(dirs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const dir of dirs) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`Cannot read the runbooks folder ${dir} (${error.code ?? error}); fix \`runbooks\` in the Proofbook config.`);
    });
    for (const entry of entries) {
      if (!entry.isFile() || !RUNBOOK_EXTENSION.test(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      const skipped = path
        .relative(dir, file)
        .split(path.sep)
        .some((segment) => segment.startsWith('_') || segment.startsWith('.') || segment === 'node_modules');
      if (!skipped) files.push(file);
    }
  }
  return files.sort();
}
