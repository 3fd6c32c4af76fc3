/**
 * Rewrites every runbook of a workspace, all or nothing: every document is planned first
 * (any error → nothing is written), then all new versions are written to temp files, synced,
 * and renamed into place. A crash leaves each document either old or new; temp files of a
 * crashed run are removed by the next one.
 */
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { firstInvalidUtf8 } from '../formats/input-error.ts';
import { sha256 } from '../evidence/history.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { RegionError } from './regions.ts';
import { rewriteDocument, type DocumentRewrite, type RegionRenderer, type RewriteOptions } from './rewrite-document.ts';
import { nothingToDo } from './pre-scan.ts';
import type { DocStructure } from './structure.ts';

/**
 * Structures of documents by content hash, so a document Proofbook has seen (or written)
 * before is rewritten without parsing it again. Bump the version when DocStructure changes.
 */
export interface StructureCache {
  version: number;
  files: Record<string, { sha256: string; structure: DocStructure }>;
}

const CACHE_VERSION = 3;

export async function readStructureCache(file: string): Promise<StructureCache> {
  try {
    const cache = JSON.parse(await readFile(file, 'utf8')) as StructureCache;
    if (cache.version === CACHE_VERSION && cache.files) return cache;
  } catch {
    // missing or unreadable: start empty (it is only a cache)
  }
  return { version: CACHE_VERSION, files: {} };
}

export async function writeStructureCache(file: string, cache: StructureCache): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(cache));
}

export interface PlannedDocument extends Omit<DocumentRewrite, 'structure'> {
  file: string;
  before: string;
}

const TEMP_SUFFIX = '.proofbook-tmp';

export async function planRewrite(
  files: string[],
  renderFor: (file: string) => RegionRenderer,
  optionsFor: (file: string) => RewriteOptions,
  cache?: StructureCache,
): Promise<PlannedDocument[]> {
  return Promise.all(
    files.map(async (file) => {
      const before = decodeUtf8(await readFile(file), file);
      const cached = cache?.files[file];
      const structure = cached && cached.sha256 === sha256(before) ? cached.structure : undefined;
      const options = optionsFor(file);
      // Not parsed at all when it certainly has nothing to do (nor cached: bindings may change).
      if (!structure && nothingToDo(before, file, options.plan)) {
        if (cache) delete cache.files[file];
        return { file, before, text: before, changed: false, regions: [], items: [] };
      }
      const rewrite = rewriteDocument(before, file, renderFor(file), { ...options, structure });
      if (cache) cache.files[file] = { sha256: rewrite.changed ? sha256(rewrite.text) : sha256(before), structure: rewrite.structure };
      return { file, before, ...rewrite };
    }),
  );
}

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    // ignoreBOM keeps a BOM in the text, so it is written back as it was.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    let line = 1;
    let column = 1;
    const bad = firstInvalidUtf8(bytes);
    for (let i = 0; i < bad; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        column = 1;
      } else column++;
    }
    throw new RegionError(file, line, column, 'not valid UTF-8; save the file as UTF-8 (Proofbook never rewrites a file it cannot read exactly)');
  }
}


/** Writes the changed documents: all temp files first, then the renames. */
export async function commitRewrite(planned: PlannedDocument[]): Promise<string[]> {
  const changed = planned.filter((doc) => doc.changed);
  const temps = changed.map((doc) => ({
    file: doc.file,
    text: doc.text,
    temp: path.join(path.dirname(doc.file), `.${path.basename(doc.file)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`),
  }));
  try {
    // Written and synced in parallel: fsync dominates, and the renames below wait for all of them.
    await Promise.all(
      temps.map(async ({ temp, text }) => {
        const handle = await open(temp, 'w');
        try {
          await handle.writeFile(text);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }),
    );
  } catch (error) {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
  for (const { temp, file } of temps) await rename(temp, file);
  return changed.map((doc) => doc.file);
}

/** Removes temp files that a killed refresh left next to the runbooks. */
export async function removeStaleTemps(dirs: string[]): Promise<number> {
  let removed = 0;
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith(TEMP_SUFFIX)) {
        await rm(path.join(entry.parentPath, entry.name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}
