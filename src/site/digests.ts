/**
 * The runbook digests of one build, shared by the content loader (titles, link check) and the
 * status page (outline, plan progress, decisions, region links), so each runbook is parsed once.
 *
 * The loader and the status page may load this module twice in one process (Node loads both in a
 * build; under `astro dev` the page comes through Vite's runner), so the store hangs off
 * `globalThis` to be one store. Keyed by a hash of the page body, so an
 * edited file (`astro dev`) is digested afresh.
 */
import { createHash } from 'node:crypto';
import { digestMarkdown, type RunbookDigest } from './runbook-digest.ts';

const STORE_KEY = Symbol.for('proofbook.site.runbookDigests');
const store = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new Map()) as Map<string, RunbookDigest>;

const hashOf = (text: string) => createHash('sha1').update(text).digest('hex');

/** Records the digest of a published page body. */
export function shareBodyDigest(body: string, digest: RunbookDigest): void {
  store.set(hashOf(body), digest);
}

/** The digest of a published page body: the loader's when it shared one, else the body's own. */
export function bodyDigest(file: string, body: string): RunbookDigest {
  const key = hashOf(body);
  let digest = store.get(key);
  if (!digest) {
    digest = digestMarkdown(file, body);
    store.set(key, digest);
  }
  return digest;
}
