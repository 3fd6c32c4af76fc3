/**
 * The evidence store: one folder per probe under the evaluation folder, one dated pair of
 * files per run — `<UTC timestamp>.json` (the result) and `<UTC timestamp>.transcript.json`
 * (the raw exchanges). Both are redacted before they touch the disk, written atomically, and
 * never deleted by a later run.
 */
import path from 'node:path';
import { PACKAGE_VERSION } from '../package-root.ts';
import type { ProbeOutcome, ProbeResult } from '../probes/types.ts';
import type { Redactor } from '../secrets/redactor.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { appendIndex, fingerprintOf, sha256 } from './history.ts';

/** `2026-11-25T10:31:02.123Z` → `2026-11-25T10-31-02-123Z`: sortable and safe in every file system. */
export function fileStamp(iso: string): string {
  return iso.replace(/[:.]/g, '-');
}

/**
 * A result file: the result, plus what makes it tamper-evident and reproducible — who wrote it
 * (Proofbook's and the probe's version), what it checked (`target`), and the transcript's
 * sha256. The index line records the sha256 of the result file itself (see `npm run verify`).
 */
export interface EvidenceFile extends ProbeResult {
  proofbookVersion: string;
  /** The probe's `version` ('1' when it declares none). */
  probeVersion: string;
  /** What the probe checked (URLs, hosts, files, commands), as the probe reported it; [] when it did not. */
  target: string[];
  transcriptSha256: string;
}

/** Longest summary kept: one line for the status line, the progress line and the dashboard. */
export const MAX_SUMMARY_LENGTH = 300;

/**
 * A summary as one line of bounded length. Probes quote what servers answer (an invalid
 * JSON-RPC reply, an HTML error page), which must not become a 120-line status in a runbook;
 * the full answer stays in the transcript.
 */
export function boundedSummary(summary: string): string {
  const line = String(summary).replace(/\s+/g, ' ').trim();
  return line.length > MAX_SUMMARY_LENGTH ? `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : line;
}

export async function writeEvidence(options: {
  evaluationDir: string;
  id: string;
  outcome: ProbeOutcome;
  startedAt: string;
  durationMs: number;
  redactor: Redactor;
  /** The probe's `version` (default '1'). */
  probeVersion?: string;
}): Promise<ProbeResult> {
  const { evaluationDir, id, outcome, redactor } = options;
  const stamp = fileStamp(options.startedAt);
  const resultPath = path.posix.join(id, `${stamp}.json`);
  const transcriptPath = path.posix.join(id, `${stamp}.transcript.json`);

  const transcript = redactor.redact(JSON.stringify(outcome.transcript, null, 2)) + '\n';
  const result: ProbeResult = redactor.redactValue({
    id,
    status: outcome.status,
    summary: boundedSummary(outcome.summary),
    facts: outcome.facts,
    startedAt: options.startedAt,
    durationMs: options.durationMs,
    evidence: { result: resultPath, transcript: transcriptPath },
  });
  const file: EvidenceFile = {
    ...result,
    proofbookVersion: PACKAGE_VERSION,
    probeVersion: options.probeVersion ?? '1',
    target: redactor.redactValue(outcome.target ?? []),
    transcriptSha256: sha256(transcript),
  };
  const resultText = JSON.stringify(file, null, 2) + '\n';
  // Transcript, then result, then index: nothing ever points at a file that is not there yet.
  await writeFileAtomic(path.join(evaluationDir, transcriptPath), transcript);
  await writeFileAtomic(path.join(evaluationDir, resultPath), resultText);
  await appendIndex(evaluationDir, {
    id,
    status: result.status,
    startedAt: result.startedAt,
    result: resultPath,
    sha256: sha256(resultText),
    fingerprint: fingerprintOf(result),
  });
  return result;
}
