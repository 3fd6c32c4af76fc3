/**
 * A command run in-process on a workspace, and the workspace's runbooks and evidence before and
 * after: for tests that check what a command printed and what it wrote (or did not).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A command's `main` (src/cli/): its arguments and output hooks in, its exit code out. */
export type CommandMain = (options: { argv: string[]; stdout: (line: string) => void; stderr: (line: string) => void }) => Promise<number>;

/** Runs `main` with `argv`; what it printed to stdout and stderr, a line each. */
export async function run(main: CommandMain, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main({ argv, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/**
 * Every file under the workspace's content/ and evaluation/ (path relative to `dir` → contents):
 * 'utf8' to compare text (parts of it masked), 'base64' to compare every byte.
 */
export async function snapshot(dir: string, encoding: 'utf8' | 'base64' = 'utf8'): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const sub of ['content', 'evaluation']) {
    const root = path.join(dir, sub);
    if (!existsSync(root)) continue;
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, file), await readFile(file, encoding));
    }
  }
  return files;
}
