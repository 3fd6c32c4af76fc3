/**
 * The evaluation index and what it tells the renderers.
 *
 * `evaluation/index.jsonl` gets one line per probe run, appended under the refresh lock, each
 * carrying the hash of the line before it. From it, for every probe:
 * - the latest run (for the dashboard's "last verified");
 * - `since`: when the current status began (the first run of the latest streak of that status);
 * - the establishing run: the first run whose results are exactly what the latest shows
 *   (same fingerprint), so docs link the artifact that established what they say and stay
 *   byte-identical while nothing changes.
 */
import { createHash, createHmac } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../formats/input-error.ts';
import { jsonSyntaxError } from '../formats/json-errors.ts';
import { positionAt } from '../formats/positions.ts';
import { ContainmentError, describeContainment, fixContainment, readContained } from './contained.ts';
import type { ProbeResult, ProbeStatus, ProbeView } from '../probes/types.ts';

export const INDEX_FILE = 'index.jsonl';
/**
 * Upgrade previews keep their runs under `<evaluation>/upgrade-preview/<version>/`, each with an
 * index of its own (src/upgrade/preview.ts): never part of this folder's index or its chain.
 */
export const PREVIEW_FOLDER = 'upgrade-preview';

export interface IndexEntry {
  id: string;
  status: ProbeStatus;
  startedAt: string;
  /** Path of the result file, relative to the evaluation folder. */
  result: string;
  /** sha256 of the result file's bytes. */
  sha256: string;
  /** sha256 of status + summary + facts: equal fingerprints render identically. */
  fingerprint: string;
  /** sha256 of the previous index line ('' for the first). */
  prev: string;
  /**
   * With PROOFBOOK_EVIDENCE_KEY set when the line was written: HMAC-SHA256 (hex) of the line
   * without this field, keyed with that secret. The chain proves order; this proves origin
   * (`verify --signed`).
   */
  sig?: string;
}

/** The environment variable that holds the evidence signing key (a CI secret; never written anywhere). */
export const EVIDENCE_KEY_ENV = 'PROOFBOOK_EVIDENCE_KEY';

/** The signature of an index entry: HMAC-SHA256 of its JSON without `sig`, keyed with `key`. */
export function entrySignature(entry: Omit<IndexEntry, 'sig'>, key: string): string {
  const { sig: _sig, ...unsigned } = entry as IndexEntry;
  return createHmac('sha256', key).update(JSON.stringify(unsigned)).digest('hex');
}

/** What renderers get for one probe (defined with the probe contract, which reads it as a probe's history). */
export type { ProbeView } from '../probes/types.ts';

export function fingerprintOf(result: Pick<ProbeResult, 'status' | 'summary' | 'facts'>): string {
  return sha256(JSON.stringify([result.status, result.summary, result.facts]));
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Unreadable evidence (a line of the index or a result file that is not JSON, or missing): exit 2. */
export class EvidenceError extends InputError {
  constructor(file: string, line: number, column: number, message: string) {
    super(file, line, column, message);
    this.name = 'EvidenceError';
  }
}

/**
 * The index's text, read only from inside the evaluation folder, without a BOM an editor may have
 * added; undefined when there is no index yet. A link or special file in its place throws a
 * ContainmentError. Every reader of the index starts here.
 */
export async function readIndexText(evaluationDir: string): Promise<string | undefined> {
  try {
    return (await readContained(evaluationDir, INDEX_FILE)).toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof ContainmentError && error.problem.kind === 'missing') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function readIndex(evaluationDir: string): Promise<IndexEntry[]> {
  return (await readIndexLines(evaluationDir)).map(({ entry }) => entry);
}

/** The index entries with their line numbers; a line that is not a JSON object is an EvidenceError. */
async function readIndexLines(evaluationDir: string): Promise<{ entry: IndexEntry; line: number }[]> {
  let text: string | undefined;
  try {
    text = await readIndexText(evaluationDir);
  } catch (error) {
    if (error instanceof ContainmentError) {
      throw new EvidenceError(error.problem.file, 1, 1, `${describeContainment(error.problem)} — ${fixContainment(error.problem)}`);
    }
    return [];
  }
  if (text === undefined) return [];
  const file = path.join(evaluationDir, INDEX_FILE);
  const lines = text.split('\n');
  // A last line without its newline is an append cut short, not an entry: the next refresh moves
  // it aside (./repair.ts); until then it is read as absent.
  if (lines.at(-1) !== '' && jsonSyntaxError(lines.at(-1)!)) lines.pop();
  return lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim())
    .map(({ line, index }) => {
      const problem = jsonSyntaxError(line);
      const entry = problem ? undefined : (JSON.parse(line) as IndexEntry);
      if (!entry || typeof entry !== 'object' || typeof entry.id !== 'string' || typeof entry.result !== 'string') {
        const column = problem ? problem.offset + 1 : 1;
        const what = problem ? `not a JSON line (${problem.message})` : 'not an index entry (no "id" or "result")';
        throw new EvidenceError(file, index + 1, column, `${what} — restore the index from git (it is append-only and never edited by hand)`);
      }
      return { entry, line: index + 1 };
    });
}

// Appends within this process are serialised, so concurrent probes chain correctly; other
// processes are kept out by the refresh lock.
let appending: Promise<unknown> = Promise.resolve();

/** Appends one entry, chained to the last line of the index. */
export function appendIndex(evaluationDir: string, entry: Omit<IndexEntry, 'prev'>): Promise<IndexEntry> {
  const next = appending.then(() => appendNow(evaluationDir, entry));
  appending = next.catch(() => {});
  return next;
}

async function appendNow(evaluationDir: string, entry: Omit<IndexEntry, 'prev'>): Promise<IndexEntry> {
  const file = path.join(evaluationDir, INDEX_FILE);
  let last = '';
  try {
    const lines = ((await readIndexText(evaluationDir)) ?? '').split('\n').filter((l) => l.trim());
    last = lines.at(-1) ?? '';
  } catch {
    // first entry
  }
  const unsigned: IndexEntry = { ...entry, prev: last ? sha256(last) : '' };
  const key = process.env[EVIDENCE_KEY_ENV];
  const full: IndexEntry = key ? { ...unsigned, sig: entrySignature(unsigned, key) } : unsigned;
  // A line is appended whole or not at all: a failed write (a full disk) is cut back off.
  const handle = await open(file, 'a');
  try {
    const { size } = await handle.stat();
    try {
      // writeFile loops until every byte is written or a write fails (ENOSPC, EFBIG).
      await handle.writeFile(`${JSON.stringify(full)}\n`);
      await handle.sync();
    } catch (error) {
      await handle.truncate(size).catch(() => undefined);
      throw error;
    }
  } finally {
    await handle.close();
  }
  return full;
}

/** The view of every probe with evidence, keyed by probe id. */
export async function probeViews(evaluationDir: string): Promise<Map<string, ProbeView>> {
  const lines = await readIndexLines(evaluationDir);
  const lineOf = new Map(lines.map(({ entry, line }) => [entry, line]));
  const byProbe = new Map<string, IndexEntry[]>();
  for (const { entry } of lines) {
    const list = byProbe.get(entry.id) ?? [];
    list.push(entry);
    byProbe.set(entry.id, list);
  }
  const views = new Map<string, ProbeView>();
  for (const [id, runs] of byProbe) {
    runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const latest = runs.at(-1)!;
    let statusStart = runs.length - 1;
    while (statusStart > 0 && runs[statusStart - 1]!.status === latest.status) statusStart--;
    let establishing = runs.length - 1;
    while (establishing > 0 && runs[establishing - 1]!.fingerprint === latest.fingerprint) establishing--;
    const shown = runs[establishing]!;
    const resultFile = path.join(evaluationDir, shown.result);
    let text: string;
    try {
      // Contained: an index line naming `../../x.json`, or a result that is a link, is never read.
      text = (await readContained(evaluationDir, shown.result)).toString('utf8');
    } catch (error) {
      const at = [path.join(evaluationDir, INDEX_FILE), lineOf.get(shown) ?? 1, 1] as const;
      if (error instanceof ContainmentError && error.problem.kind !== 'missing') {
        throw new EvidenceError(...at, `the evidence this line lists: ${describeContainment(error.problem)} — ${fixContainment(error.problem)}`);
      }
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new EvidenceError(...at, `the evidence this line lists, ${shown.result}, cannot be read (${code}) — restore it from git (evidence is never deleted)`);
    }
    const problem = jsonSyntaxError(text);
    if (problem) {
      const { line, column } = positionAt(text, problem.offset);
      throw new EvidenceError(resultFile, line, column, `evidence is not valid JSON (truncated or edited): ${problem.message} — restore it from git (evidence is written once, never edited)`);
    }
    const result = JSON.parse(text) as ProbeResult;
    views.set(id, {
      id,
      status: latest.status,
      summary: result.summary,
      facts: result.facts as Record<string, unknown>,
      since: runs[statusStart]!.startedAt,
      evidence: shown.result,
      lastRun: latest.startedAt,
    });
  }
  return views;
}
