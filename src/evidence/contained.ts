/**
 * Evidence files are read, embedded, copied and served only from inside the evaluation folder.
 *
 * A path is checked lexically (no `..` out, not absolute) and then on disk: no component below
 * the folder may be a symbolic link, and the file must be a regular file. git stores symlinks,
 * so a PR can add `evaluation/x.log -> /etc/passwd` or a link to a secrets file; following it
 * would embed and publish that file (issue 13, high 2). The folder itself may be a link (the
 * config names it); what is below it may not.
 */
import { constants, lstatSync, type Stats } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathInside } from '../fs/paths.ts';

export type ContainmentKind = 'outside' | 'link' | 'special' | 'missing' | 'folder';

export interface ContainmentProblem {
  kind: ContainmentKind;
  /** The offending path: the link or special file (a component of the cited path), or the cited path. */
  file: string;
}

/** `relative` (with `/` or the platform separator) resolved inside `dir`, or undefined when it leaves it. */
export function resolveInside(dir: string, relative: string): string | undefined {
  if (!relative || path.isAbsolute(relative) || relative.includes('\0')) return undefined;
  const file = path.resolve(dir, relative);
  return pathInside(dir, file) ? file : undefined;
}

function judge(file: string, stats: Stats | undefined, last: boolean): ContainmentProblem | undefined {
  if (!stats) return { kind: 'missing', file };
  if (stats.isSymbolicLink()) return { kind: 'link', file };
  if (last ? !stats.isFile() : !stats.isDirectory()) return { kind: stats.isDirectory() ? 'folder' : 'special', file };
  return undefined;
}

function components(dir: string, file: string): string[] {
  const parts = path.relative(dir, file).split(path.sep);
  return parts.map((_, i) => path.join(dir, ...parts.slice(0, i + 1)));
}

/** The regular file `relative` names inside `dir`, reached through no link; or why not. */
export function containedFileSync(dir: string, relative: string): { file: string } | { problem: ContainmentProblem } {
  const file = resolveInside(dir, relative);
  if (!file) return { problem: { kind: 'outside', file: path.resolve(dir, relative) } };
  const steps = components(dir, file);
  for (const [i, step] of steps.entries()) {
    let stats: Stats | undefined;
    try {
      stats = lstatSync(step);
    } catch {
      stats = undefined;
    }
    const problem = judge(step, stats, i === steps.length - 1);
    if (problem) return { problem: problem.kind === 'missing' ? { kind: 'missing', file } : problem };
  }
  return { file };
}

/** containedFileSync for async callers: a few lstat calls, not worth a second copy of the walk. */
export async function containedFile(dir: string, relative: string): Promise<{ file: string } | { problem: ContainmentProblem }> {
  return containedFileSync(dir, relative);
}

export class ContainmentError extends Error {
  readonly problem: ContainmentProblem;
  readonly code: string;
  constructor(problem: ContainmentProblem) {
    super(describeContainment(problem));
    this.name = 'ContainmentError';
    this.problem = problem;
    // Callers that treat a missing file like ENOENT keep doing so.
    this.code = problem.kind === 'missing' ? 'ENOENT' : `EVIDENCE_${problem.kind.toUpperCase()}`;
  }
}

/**
 * The bytes of an evidence file, read only when it is contained. The final open refuses a link
 * too (O_NOFOLLOW), so a link swapped in after the check is not followed either.
 */
export async function readContained(dir: string, relative: string): Promise<Buffer> {
  const found = await containedFile(dir, relative);
  if ('problem' in found) throw new ContainmentError(found.problem);
  let handle;
  try {
    handle = await open(found.file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new ContainmentError({ kind: 'link', file: found.file });
    throw error;
  }
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** What is wrong with a path, said for a person: `… is a symbolic link`. */
export function describeContainment(problem: ContainmentProblem): string {
  switch (problem.kind) {
    case 'outside':
      return `${problem.file} is outside the evaluation folder`;
    case 'link':
      return `${problem.file} is a symbolic link; evidence is never read, embedded or published through a link`;
    case 'special':
      return `${problem.file} is not a regular file (a FIFO, socket or device)`;
    case 'folder':
      return `${problem.file} is a folder, not a file`;
    case 'missing':
      return `${problem.file} does not exist`;
  }
}

/** What to do about a problem. */
export function fixContainment(problem: ContainmentProblem): string {
  switch (problem.kind) {
    case 'link':
      return 'replace the link with a copy of the file it should show (`cp --remove-destination "$(readlink -f FILE)" FILE`), or delete it';
    case 'special':
      return 'delete it: evidence is regular files only';
    case 'outside':
      return 'cite a file inside the evaluation folder';
    default:
      return 'restore the file from git, or point the citation at evidence that exists';
  }
}

/** Every symbolic link and special file below `dir` (links to folders are not descended into). */
export async function unsafeEntries(dir: string): Promise<ContainmentProblem[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const problems: ContainmentProblem[] = [];
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) problems.push({ kind: 'link', file });
    else if (!entry.isFile() && !entry.isDirectory()) problems.push({ kind: 'special', file });
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file));
}
