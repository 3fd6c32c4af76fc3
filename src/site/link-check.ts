/**
 * Broken links fail the build, with the runbook's file:line:col: a relative link to a file
 * that does not exist, to a runbook that is not published, or to an anchor that its target
 * page does not have (also `#anchor` within a page).
 *
 * Anchors are the `id`s of the rendered HTML, so headings are checked exactly as the site
 * slugs them (and HTML anchors count too). Links that leave the runbook and evidence folders
 * to an existing file (e.g. `../../lab/config.yaml`) are right in an editor but dead on the
 * site: those are warnings, not errors.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { digestMarkdown, type DigestLink } from './runbook-digest.ts';
import { pathInside } from '../fs/paths.ts';
import { runbookId } from './slugs.ts';

export interface LinkProblem {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface PublishedPage {
  /** Absolute runbook file. */
  file: string;
  /** Every element id on the page. */
  anchors: ReadonlySet<string>;
}

export interface LinkCheckContext {
  /** Published pages by absolute file. */
  pages: ReadonlyMap<string, PublishedPage>;
  runbookDirs: readonly string[];
  evidenceDir?: string;
}

/** The `id`s in rendered HTML, plus `_top` (Starlight's "back to top" target on every page). */
export function anchorsOf(html: string): Set<string> {
  const ids = new Set(['_top']);
  for (const match of html.matchAll(/\sid="([^"]*)"/g)) ids.add(decodeEntities(match[1]!));
  return ids;
}

/** Problems with the links of `file`: its digest's links, or its Markdown source to digest. */
export function checkLinks(file: string, links: readonly DigestLink[] | string, context: LinkCheckContext): LinkProblem[] {
  const list = typeof links === 'string' ? digestMarkdown(file, links).links : links;
  const problems: LinkProblem[] = [];
  for (const { url, line, column, image } of list) {
    const problem = image ? checkImage(url, file) : checkUrl(url, file, context);
    if (problem) problems.push({ ...problem, file, line, column });
  }
  return problems;
}

/**
 * Where a relative URL points from `fromFile`: the file (none for `#anchor` alone) and the decoded
 * anchor. Undefined for absolute URLs and site-absolute paths: outside what a runbook folder can
 * vouch for.
 */
function relativeTarget(url: string, fromFile: string): { file?: string; anchor: string } | undefined {
  if (!url || url.startsWith('/') || URL.canParse(url)) return undefined;
  const [, target = '', hash = ''] = /^([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/.exec(url) ?? [];
  const anchor = safeDecode(hash, decodeURIComponent);
  return target ? { file: path.resolve(path.dirname(fromFile), safeDecode(target, decodeURI)), anchor } : { anchor };
}

function checkUrl(url: string, fromFile: string, context: LinkCheckContext): Pick<LinkProblem, 'severity' | 'message'> | undefined {
  const target = relativeTarget(url, fromFile);
  if (!target) return undefined;
  const { file, anchor } = target;
  if (!file) {
    const page = context.pages.get(fromFile);
    if (anchor && page && !page.anchors.has(anchor)) return missingAnchor(url, 'this page', page);
    return undefined;
  }
  if (runbookId(context.runbookDirs, file)) {
    const page = context.pages.get(file);
    if (!page) {
      return exists(file)
        ? { severity: 'error', message: `link to ${url}: that runbook is not published (names starting with "_" or "." are skipped)` }
        : { severity: 'error', message: `broken link to ${url}: ${file} does not exist` };
    }
    if (anchor && !page.anchors.has(anchor)) return missingAnchor(url, path.basename(file), page);
    return undefined;
  }
  if (!exists(file)) return { severity: 'error', message: `broken link to ${url}: ${file} does not exist` };
  const published = context.evidenceDir && pathInside(context.evidenceDir, file);
  if (!published) return { severity: 'warning', message: `link to ${url} works in an editor but not on the site: ${file} is not published` };
  return undefined;
}

/**
 * A relative image must exist: Astro bundles it into the site, and a missing one stops the build
 * with an error that names neither the runbook nor the line.
 */
function checkImage(url: string, fromFile: string): Pick<LinkProblem, 'severity' | 'message'> | undefined {
  const file = relativeTarget(url, fromFile)?.file;
  if (!file || exists(file)) return undefined;
  return { severity: 'error', message: `broken image ${url}: ${file} does not exist; fix the path, add the file, or remove the image` };
}

function missingAnchor(url: string, where: string, page: PublishedPage): Pick<LinkProblem, 'severity' | 'message'> {
  const headings = [...page.anchors].filter((id) => id !== '_top' && !id.startsWith('evidence-')).slice(0, 12);
  return {
    severity: 'error',
    message: `broken link to ${url}: ${where} has no anchor "${url.slice(url.indexOf('#') + 1)}"${headings.length ? `; its anchors include ${headings.join(', ')}` : ''}`,
  };
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function safeDecode(value: string, decode: (value: string) => string): string {
  try {
    return decode(value);
  } catch {
    return value;
  }
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[name]!);
}

/** The report that fails the build: one `file:line:col: message` line per problem. */
export function formatProblems(problems: LinkProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n');
}
