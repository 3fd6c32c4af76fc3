/**
 * Renders the `mcp.catalog` region: status, a table of servers and tools, how each transport
 * did, what changed since the previous catalog, and the command to reproduce.
 */
import type { PhrasingContent, RootContent, TableRow } from 'mdast';
import type { CatalogFacts, CatalogTransport, TransportCheck } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { evidenceHref, STATUS_MARK, statusLine, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { code, codeList, reproduce, table } from '../kit/render/table.ts';

const TRANSPORT_NAME: Record<CatalogTransport, string> = { 'streamable-http': 'streamable HTTP', sse: 'SSE' };

/** Tool names shown per server; a catalog of thousands is a link to its evidence, not a megabyte of runbook. */
export const MAX_TOOL_NAMES = 100;

export const renderCatalog: RegionRenderer = (view: ProbeView<CatalogFacts>, context: RenderContext): RootContent[] => {
  const facts = view.facts;
  const cell = (value: string) => ({ type: 'tableCell' as const, children: [{ type: 'text' as const, value }] });
  const codeCell = (values: string[]) => {
    const shown = codeList(values.slice(0, MAX_TOOL_NAMES));
    if (values.length <= MAX_TOOL_NAMES) return { type: 'tableCell' as const, children: shown };
    const more: PhrasingContent[] = [
      { type: 'text', value: ` … and ${values.length - MAX_TOOL_NAMES} more (` },
      { type: 'link', url: evidenceHref(context, view.evidence), children: [{ type: 'text', value: 'all in the evidence' }] },
      { type: 'text', value: ')' },
    ];
    return { type: 'tableCell' as const, children: [...shown, ...more] };
  };
  const rows: TableRow[] = [
    { type: 'tableRow', children: [cell('Server'), cell('Tools'), cell('Names')] },
    ...(facts.servers ?? []).map((server) => ({
      type: 'tableRow' as const,
      children: [cell(server.name), cell(String(server.tools.length)), codeCell(server.tools)],
    })),
  ];
  const nodes: RootContent[] = [{ type: 'paragraph', children: statusLine(view, context) }];
  if ((facts.servers ?? []).some((s) => s.tools.length > 0)) nodes.push({ type: 'table', align: ['left', 'right', 'left'], children: rows });
  if (facts.transports?.length) {
    nodes.push(
      table(
        ['Transport', 'Endpoint', 'Result', 'Answers'],
        facts.transports.map((check) => [TRANSPORT_NAME[check.transport] ?? check.transport, code(check.endpoint), transportResult(check), codeList(check.responses)]),
      ),
    );
  }
  const change = changeParagraph(facts, context);
  if (change) nodes.push(change);
  nodes.push(...reproduce('Listed at', facts.endpoint, facts.reproduce));
  return nodes;
};

function transportResult(check: TransportCheck): string {
  const mark = STATUS_MARK[check.status];
  if (check.note) return `${mark} ${check.note}`;
  return `${mark} ${check.toolCount ?? 0} tools${check.sseEvents.length ? ` (SSE events: ${check.sseEvents.join(', ')})` : ''}`;
}

/** "Changed since the previous catalog: …", or where the last listed catalog is. */
function changeParagraph(facts: CatalogFacts, context: RenderContext): RootContent | undefined {
  const link = (evidence: string): PhrasingContent => ({
    type: 'link',
    url: evidenceHref(context, evidence),
    children: [{ type: 'text', value: 'previous catalog' }],
  });
  const diff = facts.diff;
  if (!diff) {
    if (!facts.lastCatalog) return undefined;
    return { type: 'paragraph', children: [{ type: 'text', value: 'No catalog listed in this run; the last one is the ' }, link(facts.lastCatalog.evidence), { type: 'text', value: '.' }] };
  }
  if (!diff.against) {
    return { type: 'paragraph', children: [{ type: 'text', value: 'First catalog on record: later runs show the tools added, removed or changed since it.' }] };
  }
  const parts: [string, string[]][] = [
    ['added', diff.added],
    ['removed', diff.removed],
    ['input schema changed', diff.changed],
  ];
  const listed = parts.filter(([, names]) => names.length);
  if (!listed.length) {
    return { type: 'paragraph', children: [{ type: 'text', value: 'No tool added, removed or changed since the ' }, link(diff.against), { type: 'text', value: '.' }] };
  }
  const children: PhrasingContent[] = [{ type: 'text', value: 'Changed since the ' }, link(diff.against), { type: 'text', value: ': ' }];
  listed.forEach(([what, names], i) => {
    children.push({ type: 'text', value: `${i ? '; ' : ''}${what} ` }, ...codeList(names));
  });
  children.push({ type: 'text', value: '.' });
  return { type: 'paragraph', children };
}
