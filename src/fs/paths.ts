/** Paths relative to a folder, never leaving it; and how a path is shown to a reader. */
import path from 'node:path';

/** `file` relative to `dir`, or undefined when `file` is not below `dir`. */
export function pathInside(dir: string, file: string): string | undefined {
  const relative = path.relative(dir, file);
  if (!relative || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
  return relative;
}

/**
 * How findings, facts and messages name a file: relative to the workspace (`rootDir`) when it is
 * inside it, else as given (also when there is no workspace).
 */
export function displayPath(rootDir: string | undefined, file: string): string {
  if (!rootDir) return file;
  const relative = path.relative(rootDir, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
