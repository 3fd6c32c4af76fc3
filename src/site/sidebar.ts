/**
 * Starlight sidebar with one group per project folder (`claude`, `litellm`, ...).
 *
 * Starlight's automatic sidebar groups by path under src/content/docs; runbooks live
 * elsewhere, so the groups are listed here by page id instead (labels come from the pages).
 */
import path from 'node:path';
import { findRunbooks } from './runbook-files.ts';
import { pathInside } from '../fs/paths.ts';
import { runbookId } from './slugs.ts';

export type SidebarItem = string | { label: string; items: string[] };

export async function projectSidebar(dirs: readonly string[]): Promise<SidebarItem[]> {
  const loose: string[] = [];
  const groups = new Map<string, string[]>();
  for (const file of await findRunbooks(dirs)) {
    const id = runbookId(dirs, file)!;
    const relative = dirs.map((dir) => pathInside(dir, file)).find(Boolean)!;
    const [project, ...rest] = relative.split(path.sep);
    if (rest.length === 0) {
      if (id !== 'index') loose.push(id);
    } else {
      groups.set(project!, [...(groups.get(project!) ?? []), id]);
    }
  }
  return [...loose, ...[...groups].sort(([a], [b]) => a.localeCompare(b)).map(([label, items]) => ({ label, items }))];
}
