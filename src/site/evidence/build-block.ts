/**
 * An evidence block from its file: the facts (./file-facts.ts), the run that produced it
 * (./meta.ts) and the preview, as the block's hast (./block.ts). The page's own visit builds
 * blocks with it in `astro dev`; during `astro build` a worker thread does (./block-worker.ts).
 */
import path from 'node:path';
import { statSync } from 'node:fs';
import type { Element } from 'hast';
import { INDEX_FILE, readIndex, type IndexEntry } from '../../evidence/history.ts';
import { EVIDENCE_SITE_PATH } from '../evidence.ts';
import type { EvidenceLimits } from '../settings.ts';
import { evidenceBlock, repeatedEvidenceBlock } from './block.ts';
import { fileFacts } from './file-facts.ts';
import { runMeta, TRANSCRIPT, type RunMeta } from './meta.ts';
import { preview } from './preview.ts';

/** Where blocks come from: the evidence folder, how much of a file to show, and Astro's `base` for the links. */
export interface BlockSource {
  evidenceDir: string;
  limits: EvidenceLimits;
  base: string;
}

/** One block of a page: its file (inside the evidence folder, with `/`), its element id, and the id of the page's first block for that file when this one repeats it. */
export interface BlockRequest {
  relative: string;
  id: string;
  shownAt?: string;
}

export function evidenceUrl(relative: string, base: string): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  return `${root}${EVIDENCE_SITE_PATH}/${relative.split('/').map(encodeURIComponent).join('/')}`;
}

/** The first block for a file on a page: facts, run and preview. */
export async function buildBlock(relative: string, id: string, { evidenceDir, limits, base }: BlockSource): Promise<{ block: Element; meta: RunMeta }> {
  const facts = await fileFacts(path.join(evidenceDir, relative), limits.maxBytes);
  const complete = facts.head.length === facts.size;
  const head = facts.binary ? '' : facts.head.toString('utf8');
  let sibling: string | undefined;
  if (TRANSCRIPT.test(relative)) {
    const resultFile = path.join(evidenceDir, relative.replace(TRANSCRIPT, '.json'));
    const result = await fileFacts(resultFile, limits.maxBytes).catch(() => undefined);
    if (result && result.head.length === result.size) sibling = result.head.toString('utf8');
  }
  const meta = runMeta(relative, head, complete, await indexByResult(evidenceDir), sibling);
  const block = evidenceBlock({ relative, href: evidenceUrl(relative, base), id, facts, meta, preview: facts.binary ? undefined : preview(facts, limits) });
  return { block, meta };
}

/** A later block for a file the page already showed: its run, and the way back to the first block. */
export function buildRepeatedBlock(relative: string, id: string, shownAt: string, meta: RunMeta, { base }: Pick<BlockSource, 'base'>): Element {
  return repeatedEvidenceBlock({ relative, href: evidenceUrl(relative, base), id, meta, shownAt });
}

const indexCache = new Map<string, { key: string; entries: Promise<Map<string, IndexEntry>> }>();

/** index.jsonl by result path, read once per version of the file. */
async function indexByResult(evidenceDir: string): Promise<Map<string, IndexEntry>> {
  const info = statSync(path.join(evidenceDir, INDEX_FILE), { throwIfNoEntry: false }); // see fileFacts: one system call
  const key = info ? `${info.size}:${info.mtimeMs}` : 'none';
  const cached = indexCache.get(evidenceDir);
  if (cached?.key === key) return cached.entries;
  const entries = readIndex(evidenceDir).then((list) => new Map(list.map((entry) => [entry.result, entry])));
  indexCache.set(evidenceDir, { key, entries });
  return entries;
}
