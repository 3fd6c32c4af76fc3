/**
 * Which probe run an evidence file belongs to. Result files say so themselves (the JSON
 * Proofbook writes) and are listed in index.jsonl with their sha256; a transcript belongs
 * to the result with the same stamp; a hand-written log only has a date in its name.
 */
import type { IndexEntry } from '../../evidence/history.ts';
import type { ProbeStatus } from '../../probes/types.ts';
import { PROBE_STATUSES } from '../../probes/types.ts';

export interface RunMeta {
  probe?: string;
  status?: ProbeStatus;
  /** ISO time of the run, or YYYY-MM-DD taken from the file name. */
  time?: string;
  timeFrom?: 'run' | 'file name';
  summary?: string;
  /** sha256 that index.jsonl (or the result's `transcriptSha256`) records for this file. */
  recordedSha256?: string;
  recordedIn?: string;
}

export const TRANSCRIPT = /\.transcript\.json$/;

/**
 * @param relative path inside the evaluation folder, with `/`
 * @param head the file's first bytes, parsed when it is a complete result file
 * @param complete whether `head` is the whole file
 * @param siblingResult for a transcript, the text of its result file (if it exists)
 */
export function runMeta(
  relative: string,
  head: string,
  complete: boolean,
  index: Map<string, IndexEntry>,
  siblingResult?: string,
): RunMeta {
  const entry = index.get(relative);
  if (entry) {
    const result = complete ? parseResult(head) : undefined;
    return {
      probe: entry.id,
      status: entry.status,
      time: entry.startedAt,
      timeFrom: 'run',
      summary: result?.summary,
      recordedSha256: entry.sha256,
      recordedIn: 'index.jsonl',
    };
  }
  if (TRANSCRIPT.test(relative)) {
    const resultPath = relative.replace(TRANSCRIPT, '.json');
    const owner = index.get(resultPath);
    const result = siblingResult === undefined ? undefined : parseResult(siblingResult);
    if (owner || result) {
      return {
        probe: owner?.id ?? result?.id,
        status: owner?.status ?? result?.status,
        time: owner?.startedAt ?? result?.startedAt,
        timeFrom: 'run',
        recordedSha256: result?.transcriptSha256,
        recordedIn: result?.transcriptSha256 ? resultPath : undefined,
      };
    }
  }
  const result = complete ? parseResult(head) : undefined;
  if (result) return { probe: result.id, status: result.status, time: result.startedAt, timeFrom: 'run', summary: result.summary };
  const date = /(\d{4}-\d{2}-\d{2})/.exec(relative.split('/').at(-1) ?? '')?.[1];
  return date ? { time: date, timeFrom: 'file name' } : {};
}

interface ResultShape {
  id?: string;
  status?: ProbeStatus;
  startedAt?: string;
  summary?: string;
  transcriptSha256?: string;
}

/** The fields of a Proofbook result file, or undefined for anything else. */
export function parseResult(text: string): ResultShape | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { id, status, startedAt, summary, transcriptSha256 } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !PROBE_STATUSES.includes(status as ProbeStatus) || typeof startedAt !== 'string') return undefined;
  return {
    id,
    status: status as ProbeStatus,
    startedAt,
    summary: typeof summary === 'string' ? summary : undefined,
    transcriptSha256: typeof transcriptSha256 === 'string' ? transcriptSha256 : undefined,
  };
}
