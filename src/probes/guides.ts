/**
 * A probe's guide — what it checks and what a failure means, in more words than its summary —
 * is `guide.md` in the probe's own folder, so adding a probe edits no shared doc. Read from disk
 * by the docs generator (never imported: nothing in src/ imports Markdown), which puts it under
 * the probe's section of docs/probes.md.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { probeFolderName } from './define.ts';

/** `src/probes/<folder>/guide.md` of the probe with this id. */
export function probeGuidePath(id: string): string {
  return path.join(import.meta.dirname, probeFolderName(id), 'guide.md');
}

/** The probe's guide, or undefined when its folder has none. */
export async function readProbeGuide(id: string): Promise<string | undefined> {
  try {
    return await readFile(probeGuidePath(id), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Each definition with its guide (`guide` absent when it has none), in the order given. */
export function withGuides<Definition extends { id: string }>(definitions: readonly Definition[]): Promise<(Definition & { guide?: string })[]> {
  return Promise.all(
    definitions.map(async (definition) => {
      const guide = await readProbeGuide(definition.id);
      return guide === undefined ? definition : { ...definition, guide };
    }),
  );
}
