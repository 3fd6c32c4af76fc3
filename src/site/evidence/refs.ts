/**
 * Which evidence file a runbook refers to, if any: a relative Markdown link into the
 * evaluation folder (what refresh-docs writes), or a path in inline code that names a file
 * of it (what people write: `projects/litellm/evaluation/lan-mcp-tools-2025-09-18.log`).
 *
 * Inline code is matched by the part after `evaluation/`, because hand-written paths are
 * relative to wherever the author's checkout was; it only counts when that file exists.
 */
import path from 'node:path';
import { containedFileSync } from '../../evidence/contained.ts';
import { pathInside } from '../../fs/paths.ts';

/** Path inside `evidenceDir` (with `/`) of the existing file `href` points at from `fromFile`. */
export function evidenceFromHref(href: string, fromFile: string, evidenceDir: string): string | undefined {
  if (!href || href.startsWith('/') || href.startsWith('#') || URL.canParse(href)) return undefined;
  const target = /^([^?#]*)/.exec(href)?.[1] ?? '';
  if (!target) return undefined;
  let decoded: string;
  try {
    decoded = decodeURI(target);
  } catch {
    return undefined;
  }
  return existingInside(evidenceDir, path.resolve(path.dirname(fromFile), decoded));
}

/** Path inside `evidenceDir` of the existing file that inline code `text` names. */
export function evidenceFromCode(text: string, evidenceDir: string): string | undefined {
  const value = text.trim();
  if (!value || /\s/.test(value)) return undefined;
  const folders = new Set(['evaluation', path.basename(evidenceDir)]);
  const segments = value.split('/');
  // Every `evaluation/` in the path is a candidate start, nearest the root first.
  for (let i = 0; i < segments.length - 1; i++) {
    if (!folders.has(segments[i]!)) continue;
    const suffix = segments.slice(i + 1).join('/');
    const found = suffix && existingInside(evidenceDir, path.resolve(evidenceDir, suffix));
    if (found) return found;
  }
  return undefined;
}

/** Only a regular file reached through no symbolic link (../../evidence/contained.ts): a link is never embedded. */
function existingInside(dir: string, file: string): string | undefined {
  const relative = pathInside(dir, file);
  if (!relative || 'problem' in containedFileSync(dir, relative)) return undefined;
  return relative.split(path.sep).join('/');
}
