/** The Markdown files of the runbook folders: what refresh rewrites and the preflight checks. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every Markdown file under the folders, skipping dot-folders and node_modules. */
export async function markdownFiles(dirs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      const file = path.join(entry.parentPath, entry.name);
      const hidden = path.relative(dir, file).split(path.sep).some((p) => p.startsWith('.') || p === 'node_modules');
      if (entry.isFile() && entry.name.endsWith('.md') && !hidden) files.push(file);
    }
  }
  return files.sort();
}
