/**
 * The evidence store: one folder per probe under the evaluation folder, one dated pair of
 * files per run — `<UTC timestamp>.json` (the result) and `<UTC timestamp>.transcript.json`
 * (the raw exchanges). Both are redacted before they touch the disk, written atomically, and
 * never deleted by a later run.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_VERSION } from '../package-root.ts';
import type { ProbeOutcome, ProbeResult } from '../probes/types.ts';
import type { Redactor } from '../secrets/redactor.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';

/** `2026-11-25T10:31:02.123Z` → `2026-11-25T10-31-02-123Z`: sortable and safe in every file system. */
export function fileStamp(iso: string): string {
  return iso.replace(/[:.]/g, '-');
}

export interface EvidenceFile extends ProbeResult {
  proofbookVersion: string;
  transcriptSha256: string;
}

export async function writeEvidence(options: {
  evaluationDir: string;
  id: string;
  outcome: ProbeOutcome;
  startedAt: string;
  durationMs: number;
  redactor: Redactor;
}): Promise<ProbeResult> {
  const { evaluationDir, id, outcome, redactor } = options;
  const stamp = fileStamp(options.startedAt);
  const resultPath = path.posix.join(id, `${stamp}.json`);
  const transcriptPath = path.posix.join(id, `${stamp}.transcript.json`);

  const transcript = redactor.redact(JSON.stringify(outcome.transcript, null, 2)) + '\n';
  const result: ProbeResult = redactor.redactValue({
    id,
    status: outcome.status,
    summary: outcome.summary,
    facts: outcome.facts,
    startedAt: options.startedAt,
    durationMs: options.durationMs,
    evidence: { result: resultPath, transcript: transcriptPath },
  });
  const file: EvidenceFile = {
    ...result,
    proofbookVersion: PACKAGE_VERSION,
    transcriptSha256: createHash('sha256').update(transcript).digest('hex'),
  };
  // Transcript first: a result file never points at a transcript that is not there.
  await writeFileAtomic(path.join(evaluationDir, transcriptPath), transcript);
  await writeFileAtomic(path.join(evaluationDir, resultPath), JSON.stringify(file, null, 2) + '\n');
  return result;
}

/** The newest result of each probe that has evidence, keyed by probe id. */
export async function latestResults(evaluationDir: string): Promise<Map<string, ProbeResult>> {
  const latest = new Map<string, ProbeResult>();
  let probeDirs: string[];
  try {
    probeDirs = (await readdir(evaluationDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return latest;
  }
  for (const id of probeDirs) {
    const results = (await readdir(path.join(evaluationDir, id)))
      .filter((f) => f.endsWith('.json') && !f.endsWith('.transcript.json'))
      .sort();
    const newest = results.at(-1);
    if (!newest) continue;
    const file = path.join(evaluationDir, id, newest);
    try {
      latest.set(id, JSON.parse(await readFile(file, 'utf8')) as ProbeResult);
    } catch (error) {
      throw new Error(`${file}: not a readable evidence file (${(error as Error).message}). Restore it from git or delete it.`);
    }
  }
  return latest;
}
