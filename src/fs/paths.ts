/** Paths relative to a folder, never leaving it. */
import path from 'node:path';

/** `file` relative to `dir`, or undefined when `file` is not below `dir`. */
export function pathInside(dir: string, file: string): string | undefined {
  const relative = path.relative(dir, file);
  if (!relative || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
  return relative;
}
