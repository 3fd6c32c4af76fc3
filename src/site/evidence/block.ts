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
  /** What to inline; undefined when the file is binary or already shown on this page. */
  preview?: Preview;
  /** Id of the block earlier on the page that already shows this file. */
  shownAt?: string;
}

export function evidenceBlock({ relative, href, id, facts, meta, preview, shownAt }: BlockInput): Element {
  const status = meta.status;
  const summary = h(
    'summary',
    {},
    h('span', { className: ['pb-evidence__label'] }, 'Evidence'),
    ' ',
    h('code', {}, relative),
    status && [' ', badge(status)],
    meta.time && [' ', timeElement(meta)],
  );
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
    summary,
    h('dl', { className: ['pb-evidence__facts'] }, rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('p', { className: ['pb-evidence__actions'] }, h('a', { href, download: relative.split('/').at(-1) }, 'Download the raw file')),
    body({ href, facts, preview, shownAt }),
  );
}

function body({ href, facts, preview, shownAt }: Pick<BlockInput, 'href' | 'facts' | 'preview' | 'shownAt'>): Element[] {
  if (shownAt) return [h('p', { className: ['pb-evidence__note'] }, 'Shown ', h('a', { href: `#${shownAt}` }, 'earlier on this page'), '.')];
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
