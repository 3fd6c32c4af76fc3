/**
 * The shape every proof check reports in: one problem at a `file:line`, what is wrong and what
 * to do about it. `refresh-docs --check` and `verify` print them as
 * `file:line: problem — what to do` and put them, as they are, in their `--json` reports.
 */
import path from 'node:path';

export type ProblemCode =
  /** A bound item claims success while its probes' latest evidence is not `pass`, or there is none. */
  | 'claim.unproven'
  /** A bound item claims success on evidence older than `check.maxAgeHours`. */
  | 'claim.stale'
  /** A runbook states a documented limitation that a bound probe's latest evidence no longer observes. */
  | 'limitation.contradicted'
  /** A runbook cites an evidence file that does not exist. */
  | 'citation.missing'
  /** A runbook cites an evidence path that is a symbolic link or a special file (never followed). */
  | 'citation.link'
  /** A runbook cites an evidence file whose bytes no longer match the sha256 recorded for it. */
  | 'citation.changed'
  /** An index line that is not an entry (not JSON, or fields missing). */
  | 'index.unreadable'
  /** An index line whose `prev` is not the hash of the line before it: deleted, reordered or edited lines. */
  | 'index.chain'
  /** An index line whose fields disagree with the (intact) artifact it lists: the line was edited. */
  | 'index.edited'
  /** An artifact listed in the index is missing. */
  | 'artifact.missing'
  /** An artifact's bytes no longer match the sha256 recorded for it. */
  | 'artifact.changed'
  /** `verify --signed`: an index entry with no signature. */
  | 'index.unsigned'
  /** `verify --signed`: an index entry whose signature does not match (edited, or another key). */
  | 'index.signature'
  /** A result artifact that no index line lists. */
  | 'artifact.unindexed'
  /** An artifact the index lists is a symbolic link or a special file (never followed). */
  | 'artifact.link'
  /** A symbolic link or special file anywhere in the evaluation folder: the site would publish its target. */
  | 'evidence.link';

export interface CheckProblem {
  code: ProblemCode;
  /** Absolute path of the file the problem is in (a runbook, the index, an artifact). */
  file: string;
  /** 1-based line in `file`; 0 when the problem is the file as a whole. */
  line: number;
  /** What is wrong, in one sentence. */
  problem: string;
  /** What to do about it. */
  fix: string;
  /** Probe ids the problem is about, when any. */
  probes?: string[];
  /** Evidence file (relative to the evaluation folder, with `/`) the problem is about, when any. */
  evidence?: string;
}

/** A problem as it appears in a `--json` report: the file relative to the workspace. */
export type ReportedProblem = Omit<CheckProblem, 'file'> & { file: string };

export function relativeTo(rootDir: string, file: string): string {
  const relative = path.relative(rootDir, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** `file:line: problem — what to do` */
export function formatProblem(problem: CheckProblem, rootDir: string): string {
  const where = problem.line > 0 ? `${relativeTo(rootDir, problem.file)}:${problem.line}` : relativeTo(rootDir, problem.file);
  return `${where}: ${problem.problem} — ${problem.fix}`;
}

export function reportedProblem(problem: CheckProblem, rootDir: string): ReportedProblem {
  return { ...problem, file: relativeTo(rootDir, problem.file) };
}

/** Problems in a stable order: by file, then line. */
export function sortProblems<T extends CheckProblem>(problems: T[]): T[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.code.localeCompare(b.code));
}
