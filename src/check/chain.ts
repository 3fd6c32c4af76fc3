/**
 * Tamper evidence: walks `evaluation/index.jsonl` and checks that
 * - every line is an entry, and its `prev` is the sha256 of the line before it ('' for the
 *   first) — a deleted, reordered or edited line breaks the chain at the line after it;
 * - every artifact it lists exists and still has the sha256 recorded for it (the result file's
 *   in the index line; the transcript's in the result file, with `deep`);
 * - the line's id, status, startedAt and fingerprint agree with the artifact (an edited line
 *   whose artifact is intact, e.g. the last line, which no later `prev` covers);
 * - every result artifact in the folder is listed (an index whose last lines were deleted).
 *
 * Problems are in index order; the first one is the first broken entry.
 */
import path from 'node:path';
import { containedFile, describeContainment, fixContainment, readContained, unsafeEntries, type ContainmentProblem } from '../evidence/contained.ts';
import { entrySignature, EVIDENCE_KEY_ENV, fingerprintOf, INDEX_FILE, readIndexText, sha256, type IndexEntry } from '../evidence/history.ts';
import { resultArtifacts } from '../evidence/repair.ts';
import type { ProbeResult } from '../probes/types.ts';
import { pathInside } from '../fs/paths.ts';
import type { CheckProblem } from './problems.ts';

export interface ChainOptions {
  evaluationDir: string;
  /** Also require every entry to carry a valid signature made with this key (`verify --signed`). */
  signingKey?: string;
  /** Also hash every transcript (the biggest files); otherwise transcripts are only checked to exist. */
  deep?: boolean;
}

export interface ChainReport {
  /** Index entries read. */
  entries: number;
  /** Artifact files checked (results and transcripts). */
  artifacts: number;
  /** In index order, then unindexed artifacts. */
  problems: CheckProblem[];
}

const RESTORE_INDEX = (index: string) =>
  `restore it from git (\`git checkout -- ${index}\`; it is append-only and never edited) and see who changed it with \`git log -p -- ${index}\``;

export async function verifyChain(options: ChainOptions): Promise<ChainReport> {
  const { evaluationDir } = options;
  const indexFile = path.join(evaluationDir, INDEX_FILE);
  const shownIndex = `${path.basename(evaluationDir)}/${INDEX_FILE}`;
  const shown = (relative: string) => `${path.basename(evaluationDir)}/${relative}`;
  // A link in place of the index is reported below (unsafeEntries) and never followed.
  const text = await readIndexText(evaluationDir).then(
    (found) => found ?? '',
    (error: { problem?: ContainmentProblem }) => {
      if (error.problem) return '';
      throw error;
    },
  );
  const report: ChainReport = { entries: 0, artifacts: 0, problems: [] };
  const listed = new Set<string>();
  let previous: { raw: string; line: number } | undefined;

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (!raw.trim()) continue;
    const line = i + 1;
    const at = { file: indexFile, line };
    const prior = previous;
    previous = { raw, line };
    report.entries++;

    let entry: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) entry = parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    const fields = ['id', 'status', 'startedAt', 'result', 'sha256', 'fingerprint', 'prev'] as const;
    const missing = entry ? fields.filter((f) => typeof entry[f] !== 'string') : [];
    if (!entry || missing.length) {
      report.problems.push({
        ...at,
        code: 'index.unreadable',
        problem: entry ? `index entry lacks ${missing.join(', ')}` : 'index line is not a JSON entry',
        fix: RESTORE_INDEX(shownIndex),
      });
      continue;
    }
    const id = entry.id as string;
    const result = entry.result as string;

    if (options.signingKey) {
      const sig = entry.sig;
      if (typeof sig !== 'string') {
        report.problems.push({ ...at, code: 'index.unsigned', probes: [id], problem: 'this entry carries no signature: it was written without the signing key', fix: `write evidence only where ${EVIDENCE_KEY_ENV} is set (CI); an entry added by hand or elsewhere is not Proofbook's` });
      } else if (sig !== entrySignature(entry as unknown as IndexEntry, options.signingKey)) {
        report.problems.push({ ...at, code: 'index.signature', probes: [id], problem: 'this entry\'s signature does not match its content under the signing key: it was edited, or signed with another key', fix: `${RESTORE_INDEX(shownIndex)}; check that ${EVIDENCE_KEY_ENV} is the key CI signs with` });
      }
    }

    const expected = prior ? sha256(prior.raw) : '';
    if (entry.prev !== expected) {
      report.problems.push({
        ...at,
        code: 'index.chain',
        probes: [id],
        problem: prior
          ? `the chain breaks here: this entry's prev is not the hash of line ${prior.line} — an entry between them was deleted, entries were reordered, or line ${prior.line} was edited`
          : 'the chain breaks here: the first entry has a prev hash — the entries before it were deleted',
        fix: RESTORE_INDEX(shownIndex),
      });
    }

    const inside = pathInside(evaluationDir, path.resolve(evaluationDir, result));
    if (!inside || inside.split(path.sep).join('/') !== result) {
      report.problems.push({ ...at, code: 'index.edited', probes: [id], problem: `the entry lists ${JSON.stringify(result)}, which is not a file path inside the evaluation folder`, fix: RESTORE_INDEX(shownIndex) });
      continue;
    }
    if (listed.has(result)) {
      report.problems.push({ ...at, code: 'index.edited', probes: [id], evidence: result, problem: `the entry lists ${shown(result)} a second time`, fix: RESTORE_INDEX(shownIndex) });
      continue;
    }
    listed.add(result);

    let linked: ContainmentProblem | undefined;
    const bytes = await readContained(evaluationDir, result).catch((error: { problem?: ContainmentProblem }) => {
      if (error.problem && error.problem.kind !== 'missing') linked = error.problem;
      return undefined;
    });
    report.artifacts++;
    if (linked) {
      report.problems.push({ ...at, code: 'artifact.link', probes: [id], evidence: result, problem: `the artifact this entry lists: ${describeContainment(linked)}`, fix: fixContainment(linked) });
      continue;
    }
    if (!bytes) {
      report.problems.push({
        ...at,
        code: 'artifact.missing',
        probes: [id],
        evidence: result,
        problem: `${shown(result)}, which this entry lists, is missing`,
        fix: `restore it from git (\`git checkout -- ${shown(result)}\`): evidence is never deleted`,
      });
      continue;
    }
    const actual = sha256(bytes);
    if (actual !== entry.sha256) {
      report.problems.push({
        ...at,
        code: 'artifact.changed',
        probes: [id],
        evidence: result,
        problem: `${shown(result)} no longer has the sha256 this entry recorded (${actual.slice(0, 12)}… ≠ ${(entry.sha256 as string).slice(0, 12)}…): the artifact or this line was edited`,
        fix: `restore both from git (\`git checkout -- ${shown(result)} ${shownIndex}\`): evidence is never edited; for new results run the probe again`,
      });
      continue;
    }

    // The artifact is as recorded: the line's other fields must agree with it.
    let artifact: Partial<ProbeResult> & { transcriptSha256?: unknown };
    try {
      artifact = JSON.parse(bytes.toString('utf8')) as typeof artifact;
    } catch {
      continue; // recorded as it is; nothing more to compare
    }
    const disagree: string[] = (['id', 'status', 'startedAt'] as const).filter((f) => artifact[f] !== entry[f]);
    if (typeof artifact.status === 'string' && artifact.facts !== undefined && entry.fingerprint !== fingerprintOf(artifact as ProbeResult)) disagree.push('fingerprint');
    if (disagree.length) {
      report.problems.push({
        ...at,
        code: 'index.edited',
        probes: [id],
        evidence: result,
        problem: `this entry's ${disagree.join(', ')} disagree${disagree.length === 1 ? 's' : ''} with ${shown(result)} (e.g. ${disagree[0]} ${JSON.stringify(entry[disagree[0]!])} vs ${JSON.stringify((artifact as Record<string, unknown>)[disagree[0]!] ?? '(computed)')}): the line was edited`,
        fix: RESTORE_INDEX(shownIndex),
      });
    }

    const transcript = artifact.evidence?.transcript;
    if (typeof transcript === 'string' && transcript && typeof artifact.transcriptSha256 === 'string') {
      report.artifacts++;
      const exists = options.deep
        ? await readContained(evaluationDir, transcript).catch(() => undefined)
        : await containedFile(evaluationDir, transcript).then((found) => ('file' in found ? true : undefined));
      if (!exists) {
        report.problems.push({
          ...at,
          code: 'artifact.missing',
          probes: [id],
          evidence: transcript,
          problem: `${shown(transcript)}, the transcript of ${shown(result)}, is missing`,
          fix: `restore it from git (\`git checkout -- ${shown(transcript)}\`): evidence is never deleted`,
        });
      } else if (exists !== true && sha256(exists) !== artifact.transcriptSha256) {
        report.problems.push({
          ...at,
          code: 'artifact.changed',
          probes: [id],
          evidence: transcript,
          problem: `${shown(transcript)} no longer has the sha256 recorded in ${shown(result)}: the transcript was edited`,
          fix: `restore it from git (\`git checkout -- ${shown(transcript)}\`): evidence is never edited`,
        });
      }
    }
  }

  // Links and special files anywhere below the folder: the site would publish what a link points at.
  for (const unsafe of await unsafeEntries(evaluationDir)) {
    report.problems.push({ code: 'evidence.link', file: unsafe.file, line: 0, problem: describeContainment(unsafe), fix: fixContainment(unsafe) });
  }

  for (const relative of await resultArtifacts(evaluationDir)) {
    if (listed.has(relative)) continue;
    report.problems.push({
      code: 'artifact.unindexed',
      file: path.join(evaluationDir, relative),
      line: 0,
      evidence: relative,
      problem: `no entry of ${shownIndex} lists this artifact: its entry was deleted (the index lost lines), or a refresh was killed before indexing it`,
      fix: `${RESTORE_INDEX(shownIndex)}; if a refresh was killed, the next refresh sets the artifact aside (*.orphan)`,
    });
  }
  return report;
}
