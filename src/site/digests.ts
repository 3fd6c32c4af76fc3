/**
 * The runbook digests of one build, shared by the content loader (titles, link check) and the
 * status page (outline, plan progress, decisions, region links), so each runbook is parsed once.
 *
 * The loader and the status page run in different Vite module graphs of the same process, so
 * the store hangs off `globalThis` to be one store. Keyed by a hash of the page body, so an
 * edited file (`astro dev`) is digested afresh.
 */
import { createHash } from 'node:crypto';
import { digestRunbook, type RunbookDigest } from './runbook-digest.ts';

type BodyTreeDigest = Omit<RunbookDigest, 'title'>;

/**
 * A page body's digest. When the loader cut the title heading out of the text to make the body,
 * the digest is of the text before the cut and `cut` is its range: offsets are that text's
 * (consistent within the digest), and the heading in that range is not part of the body.
 */
export interface BodyDigest {
  digest: BodyTreeDigest;
  cut?: { start: number; end: number };
}

const STORE_KEY = Symbol.for('proofbook.site.runbookDigests');
const store = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new Map()) as Map<string, BodyDigest>;

const hashOf = (text: string) => createHash('sha1').update(text).digest('hex');

/** Records the digest a published page body comes from. */
export function shareBodyDigest(body: string, entry: BodyDigest): void {
  store.set(hashOf(body), entry);
}

/** The digest of a published page body: the loader's when it shared one, else the body's own. */
export function bodyDigest(file: string, body: string): BodyDigest {
  const key = hashOf(body);
  let entry = store.get(key);
  if (!entry) {
    entry = { digest: digestRunbook({ file, source: body, content: body }) };
    store.set(key, entry);
  }
  return entry;
}
