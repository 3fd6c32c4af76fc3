/**
 * The evidence block: a collapsed <details> after the paragraph that refers to a file,
 * saying which run produced it (probe, status, time), how to check it (sha256, size),
 * where to download it, and — when it is text — its first lines.
 */
import type { Element } from 'hast';
import { h } from '../hast.ts';
import type { FileFacts } from './file-facts.ts';
import type { RunMeta } from './meta.ts';
import { formatBytes, type Preview } from './preview.ts';

export interface BlockInput {
  /** Path inside the evaluation folder, with `/`. */
  relative: string;
  /** Site URL of the published file. */
  href: string;
  /** Element id of this block. */
  id: string;
  facts: Omit<FileFacts, 'head'>;
  meta: RunMeta;
  /** What to inline; undefined when the file is binary. */
  preview?: Preview;
}

/** A later block for a file already shown on the page: what it is, and a link to the first block. */
export interface RepeatInput {
  relative: string;
  href: string;
  id: string;
  meta: RunMeta;
  /** Id of the block earlier on the page that shows this file in full. */
  shownAt: string;
}

export function evidenceBlock({ relative, href, id, facts, meta, preview }: BlockInput): Element {
  const status = meta.status;
  const rows: [string, ReturnType<typeof h> | string][] = [];
  if (meta.probe) rows.push(['Probe', h('code', {}, meta.probe)]);
  if (status) rows.push(['Status', h('span', {}, badge(status), meta.summary ? ` ${meta.summary}` : '')]);
  if (meta.time) rows.push(['Time', timeElement(meta)]);
  rows.push(['SHA-256', h('span', {}, h('code', { className: ['pb-evidence__sha'] }, facts.sha256), integrity(facts.sha256, meta))]);
  rows.push(['Size', `${formatBytes(facts.size)} (${facts.size.toLocaleString('en-US')} bytes, ${facts.lines.toLocaleString('en-US')} lines)`]);

  return h(
    'details',
    // Search should find the runbooks' own words, not every line of every log.
    { className: ['pb-evidence'], id, dataPagefindIgnore: '' },
    summary(relative, meta),
    h('dl', { className: ['pb-evidence__facts'] }, rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    download(relative, href),
    body({ href, facts, preview }),
  );
}

/**
 * The same file cited again on the page: its summary line and the way to the first block, whose
 * facts (sha256, size, probe) and preview are not repeated. A runbook that cites one file many
 * times would otherwise carry its facts each time, and every byte of a page is stored, serialised
 * and bundled by Astro's content layer before it is written.
 */
export function repeatedEvidenceBlock({ relative, href, id, meta, shownAt }: RepeatInput): Element {
  return h(
    'details',
    { className: ['pb-evidence', 'pb-evidence--repeat'], id, dataPagefindIgnore: '' },
    summary(relative, meta),
    h('p', { className: ['pb-evidence__note'] }, 'Shown ', h('a', { href: `#${shownAt}` }, 'earlier on this page'), ' with its SHA-256 and size.'),
    download(relative, href),
  );
}

function summary(relative: string, meta: RunMeta): Element {
  return h(
    'summary',
    {},
    h('span', { className: ['pb-evidence__label'] }, 'Evidence'),
    ' ',
    h('code', {}, relative),
    meta.status && [' ', badge(meta.status)],
    meta.time && [' ', timeElement(meta)],
  );
}

function download(relative: string, href: string): Element {
  return h('p', { className: ['pb-evidence__actions'] }, h('a', { href, download: relative.split('/').at(-1) }, 'Download the raw file'));
}

function body({ href, facts, preview }: Pick<BlockInput, 'href' | 'facts' | 'preview'>): Element[] {
  if (facts.binary) return [h('p', { className: ['pb-evidence__note'] }, 'Binary file: download it to inspect it.')];
  if (!preview) return [];
  const nodes = [h('pre', { className: ['pb-evidence__preview'], tabIndex: 0 }, h('code', {}, preview.text))];
  if (preview.truncated) {
    nodes.push(
      h(
        'p',
        { className: ['pb-evidence__note', 'pb-evidence__truncated'] },
        `Showing the first ${preview.lines.toLocaleString('en-US')} of ${facts.lines.toLocaleString('en-US')} lines (${formatBytes(facts.size)} in all). `,
        h('a', { href }, 'Open the full file'),
        '.',
      ),
    );
  }
  return nodes;
}

function badge(status: string): Element {
  return h('span', { className: ['pb-badge', `pb-badge--${status}`] }, status);
}

function timeElement(meta: RunMeta): Element {
  const time = meta.time!;
  const shown = /T/.test(time) ? `${time.slice(0, 10)} ${time.slice(11, 19)} UTC` : time;
  return h('time', { dateTime: time }, shown, meta.timeFrom === 'file name' ? ' (from the file name)' : '');
}

function integrity(sha256: string, meta: RunMeta): string {
  if (!meta.recordedSha256) return '';
  return meta.recordedSha256 === sha256 ? ` (matches ${meta.recordedIn})` : ` (differs from ${meta.recordedIn}: the file changed after it was recorded)`;
}
