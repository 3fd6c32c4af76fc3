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

/**
 * A block of a page. The first for its file shows the facts, the run and the preview, and records
 * the run in `runs` (before its first await, so "first" follows the order of the calls); a repeat
 * (`shownAt`) reuses that run and points back to the first block.
 */
export async function pageBlock(request: BlockRequest, source: BlockSource, runs: Map<string, Promise<RunMeta>>): Promise<Element> {
  const { relative, id, shownAt } = request;
  if (shownAt !== undefined) {
    const meta = await (runs.get(relative) ?? buildBlock(relative, id, source).then((b) => b.meta));
    return repeatedEvidenceBlock({ relative, href: evidenceUrl(relative, source.base), id, meta, shownAt });
  }
  const built = buildBlock(relative, id, source);
  const meta = built.then((b) => b.meta);
  meta.catch(() => undefined); // the failure is reported where the block is awaited
  runs.set(relative, meta);
  return (await built).block;
}

/** The first block for a file on a page: facts, run and preview. */
async function buildBlock(relative: string, id: string, { evidenceDir, limits, base }: BlockSource): Promise<{ block: Element; meta: RunMeta }> {
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
