/**
 * Keeps the evidence blocks (./block.ts) out of Astro's content store during a build.
 *
 * Everything a loader stores is serialised by devalue (in JavaScript, character by character),
 * written to disk, bundled by Vite into the prerender chunks, read back and collected; on a large
 * site the evidence blocks were most of what made Proofbook's store bigger than a bare Starlight
 * one (5 of the 6 MB more on the bench), though no code reads them before the page is written.
 * So during a build a page holds a short placeholder for every block: the page's visit asks for
 * each block with `deferBlock`, which returns its placeholder at once, and a worker thread builds
 * the block (./worker-blocks.ts) while the pages render, off the thread that renders them. The
 * pass over the generated pages (../page-pass.ts) waits for the worker (`settleDeferredBlocks`)
 * and puts the blocks in: the pages come out byte for byte as if the blocks had been stored,
 * before the search index and the secret scan read them.
 *
 * Only `astro build` defers (the integration turns it on): `astro dev` renders pages on request,
 * with no pass over the output, so there the blocks stay in the store.
 *
 * A placeholder carries a nonce a runbook's own HTML cannot name: the hash of every runbook's
 * source (`keyPlaceholders`; a document cannot contain the hash of itself), random until the loader
 * sets it. It is the same from build to build while no runbook changes, so the content store's
 * module is too, and Node's compile cache (which Astro turns on) compiles it once, as it does a
 * bare Starlight site's; a nonce drawn per build cost about a second of compiling on every build.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AstroIntegration } from 'astro';
import type { BlockRequest, BlockSource } from './build-block.ts';
import { WorkerBlocks } from './worker-blocks.ts';

interface Deferred {
  enabled: boolean;
  nonce: string;
  next: number;
  blocks: Map<number, string>;
  /** The element id of each block asked for with `deferBlock`, by key: the page's anchors before the block exists. */
  ids: Map<number, string>;
  worker?: WorkerBlocks;
}

// The loader (content config) and the integrations may load this module twice in one process (Node
// for both in a build; Vite's runner if Astro falls back to it for the config): the blocks hang off
// globalThis to be one store (as ../digests.ts does).
const STORE_KEY = Symbol.for('proofbook.site.deferredEvidence');
const deferred = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= {
  enabled: false,
  nonce: randomUUID().replaceAll('-', ''),
  next: 0,
  blocks: new Map(),
  ids: new Map(),
}) as Deferred;

const placeholder = (key: number) => `<!--pb-evidence:${deferred.nonce}:${key}-->`;
const PLACEHOLDER = () => new RegExp(`<!--pb-evidence:${deferred.nonce}:(\\d+)-->`, 'g');

/** Keys the placeholders to the runbooks' sources (see above); call it before the pages render. Only a build has placeholders. */
export function keyPlaceholders(sources: readonly string[]): void {
  if (!deferred.enabled) return;
  const hash = createHash('sha256');
  for (const source of sources) hash.update(`${source.length}\0`).update(source);
  deferred.nonce = hash.digest('hex').slice(0, 32);
}

/** Whether blocks are deferred (during `astro build`): then a page asks for them with `deferBlock`. */
export function deferringBlocks(): boolean {
  return deferred.enabled;
}

/** The placeholder for a block of `page`, which a worker thread builds; the page pass puts it in. */
export function deferBlock(request: BlockRequest, source: BlockSource, page: string): string {
  const key = deferred.next++;
  deferred.ids.set(key, request.id);
  (deferred.worker ??= new WorkerBlocks(deferred.blocks)).add({ ...request, key, page }, source);
  return placeholder(key);
}

/** The ids of the blocks whose placeholders `html` holds: anchors a link may point at. */
export function deferredAnchors(html: string): string[] {
  if (!deferred.ids.size || !html.includes('<!--pb-evidence:')) return [];
  return [...html.matchAll(PLACEHOLDER())].map((match) => deferred.ids.get(Number(match[1]))).filter((id): id is string => id !== undefined);
}

/** Waits until every block asked for with `deferBlock` is built; rejects naming those that could not be. */
export async function settleDeferredBlocks(): Promise<void> {
  const worker = deferred.worker;
  deferred.worker = undefined;
  await worker?.settle();
}

/** `html` with the deferred blocks put back where their placeholders are. */
export function restoreEvidenceBlocks(html: string, file = 'a page'): string {
  if (!deferred.blocks.size || !html.includes('<!--pb-evidence:')) return html;
  return html.replace(PLACEHOLDER(), (_match, key: string) => {
    const block = deferred.blocks.get(Number(key));
    if (block === undefined) {
      throw new Error(`${file}: evidence block ${key} was not rendered in this build. Build again without a cache (remove node_modules/.astro).`);
    }
    return block;
  });
}

/** Turns deferral on for `astro build`; list it before the Markdown is rendered (any place among the integrations). */
export function deferredEvidence(): AstroIntegration {
  return {
    name: 'proofbook-deferred-evidence',
    hooks: {
      'astro:config:setup': ({ command }) => {
        deferred.enabled = command === 'build';
        deferred.blocks.clear();
        deferred.ids.clear();
      },
    },
  };
}
