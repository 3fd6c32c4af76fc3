/**
 * What a killed or failed refresh can leave in the evaluation folder, found and set aside by the
 * next refresh (under the lock, before it writes anything):
 * - a torn last line of `index.jsonl` (an append cut short: no trailing newline) is moved to
 *   `index.jsonl.torn`, so the index is whole again;
 * - result artifacts no index line lists (a refresh killed between writing a result and indexing
 *   it) are renamed `<name>.orphan`, with their transcripts: kept for a person to look at, out of
 *   the chain. The message says so: a refresh never repairs silently.
 */
import { appendFile, readdir, rename, truncate } from 'node:fs/promises';
import path from 'node:path';
import { readContained } from './contained.ts';
import { INDEX_FILE, PREVIEW_FOLDER } from './history.ts';

/** A result artifact's name: `<UTC stamp>.json` (see fileStamp in ./store.ts). */
export const RESULT_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.json$/;

export const TORN_FILE = `${INDEX_FILE}.torn`;
export const ORPHAN_SUFFIX = '.orphan';

export interface EvidenceRepair {
  /** Bytes of a torn last index line moved to `index.jsonl.torn` (0: none). */
  tornBytes: number;
  /** Result artifacts (relative, with `/`) renamed `.orphan`, with their transcripts. */
  orphans: string[];
}

/** Result artifacts (`<probe>/<stamp>.json`) under the evaluation folder, relative with `/`; upgrade previews' runs are their own. */
export async function resultArtifacts(evaluationDir: string): Promise<string[]> {
  const entries = await readdir(evaluationDir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && RESULT_NAME.test(e.name))
    .map((e) => path.relative(evaluationDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((relative) => !relative.startsWith(`${PREVIEW_FOLDER}/`))
    .sort();
}

export async function repairEvidence(evaluationDir: string): Promise<EvidenceRepair> {
  const repair: EvidenceRepair = { tornBytes: 0, orphans: [] };
  const index = path.join(evaluationDir, INDEX_FILE);
  const bytes = await readContained(evaluationDir, INDEX_FILE).catch(() => undefined);
  if (!bytes) return repair; // no index yet (or not a regular file: the preflight reports that)
  let text = bytes;
  if (bytes.length && bytes[bytes.length - 1] !== 0x0a) {
    const keep = bytes.lastIndexOf(0x0a) + 1;
    await appendFile(path.join(evaluationDir, TORN_FILE), Buffer.concat([bytes.subarray(keep), Buffer.from('\n')]));
    await truncate(index, keep);
    repair.tornBytes = bytes.length - keep;
    text = bytes.subarray(0, keep);
  }
  const listed = new Set<string>();
  // A BOM (an editor's) is not part of the first entry.
  for (const line of text.toString('utf8').replace(/^\uFEFF/, '').split('\n')) {
    try {
      const result = (JSON.parse(line) as { result?: unknown }).result;
      if (typeof result === 'string') listed.add(result);
    } catch {
      // not an entry: `verify` reports it; it lists nothing
    }
  }
  for (const artifact of await resultArtifacts(evaluationDir)) {
    if (listed.has(artifact)) continue;
    const file = path.join(evaluationDir, artifact);
    const transcript = file.replace(/\.json$/, '.transcript.json');
    await rename(transcript, `${transcript}${ORPHAN_SUFFIX}`).catch(() => undefined);
    await rename(file, `${file}${ORPHAN_SUFFIX}`);
    repair.orphans.push(artifact);
  }
  return repair;
}

/** One line per repair, for the refresh's stderr; [] when there was nothing to do. */
export function describeRepair(repair: EvidenceRepair, shownDir: string): string[] {
  const lines: string[] = [];
  if (repair.tornBytes) {
    lines.push(`warning: ${shownDir}/${INDEX_FILE} ended in a torn line (${repair.tornBytes} bytes, an append cut short); moved it to ${shownDir}/${TORN_FILE}`);
  }
  if (repair.orphans.length) {
    lines.push(
      `warning: ${repair.orphans.length} result artifact(s) no index line lists (a refresh killed before indexing them) renamed *${ORPHAN_SUFFIX}, kept out of the chain: ` +
        `${repair.orphans.map((o) => `${shownDir}/${o}`).join(', ')}; delete them once you have looked (if the index lost lines instead, restore it from git)`,
    );
  }
  return lines;
}
