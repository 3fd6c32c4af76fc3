/** Renders the `mcp.catalog` region: status, a table of servers and tools, and the command to reproduce. */
import type { RootContent, TableRow } from 'mdast';
import type { CatalogFacts } from '../probes/mcp-catalog.ts';
import type { ProbeView } from '../evidence/history.ts';
import { statusLine, type RenderContext } from './status.ts';

export function renderCatalog(view: ProbeView, context: RenderContext): RootContent[] {
  const facts = view.facts as unknown as CatalogFacts;
  const cell = (value: string) => ({ type: 'tableCell' as const, children: [{ type: 'text' as const, value }] });
  const codeCell = (values: string[]) => ({
    type: 'tableCell' as const,
    children: values.flatMap((value, i) => [
      ...(i ? [{ type: 'text' as const, value: ', ' }] : []),
      { type: 'inlineCode' as const, value },
    ]),
  });
  const rows: TableRow[] = [
    { type: 'tableRow', children: [cell('Server'), cell('Tools'), cell('Names')] },
    ...(facts.servers ?? []).map((server) => ({
      type: 'tableRow' as const,
      children: [cell(server.name), cell(String(server.tools.length)), codeCell(server.tools)],
    })),
  ];
  const nodes: RootContent[] = [{ type: 'paragraph', children: statusLine(view, context) }];
  if ((facts.servers ?? []).some((s) => s.tools.length > 0)) nodes.push({ type: 'table', align: ['left', 'right', 'left'], children: rows });
  nodes.push(
    {
      type: 'paragraph',
      children: [
        { type: 'text', value: 'Listed at ' },
        { type: 'inlineCode', value: facts.endpoint },
        { type: 'text', value: '; reproduce with:' },
      ],
    },
    { type: 'code', lang: 'bash', value: facts.reproduce },
  );
  return nodes;
}
