/**
 * Renders the `clients.matrix` region: one row per client and host, with the config, listing
 * and invocation checks of the client probes. A cell with no probe behind it says so (—),
 * so a gap in coverage is visible instead of looking like a pass.
 */
import type { PhrasingContent, RootContent } from 'mdast';
import { clientMatrix, clientName, FIRST_CLIENT_PROBES, MATRIX_ASPECTS, type MatrixEntry } from '../evidence/client-matrix.ts';
import type { ProbeView } from '../evidence/history.ts';
import { evidenceHref, STATUS_MARK, type RenderContext } from '../probes/kit/render/status.ts';
import { table, type Cell } from '../probes/kit/render/table.ts';

export function renderClientMatrix(views: Map<string, ProbeView>, context: RenderContext): RootContent[] {
  const rows = clientMatrix(views, context.hosts);
  if (!rows.length) {
    return [
      {
        type: 'paragraph',
        children: [
          {
            type: 'emphasis',
            children: [
              { type: 'text', value: `No client probe has run yet (${FIRST_CLIENT_PROBES.join(', ')}…): run ` },
              { type: 'inlineCode', value: 'npm run refresh-docs' },
              { type: 'text', value: '.' },
            ],
          },
        ],
      },
    ];
  }
  const body: Cell[][] = rows.map((row) => [clientName(row.client), row.host, ...MATRIX_ASPECTS.map((aspect) => entryCell(row.cells[aspect], context))]);
  const limitations = rows.flatMap((row) =>
    MATRIX_ASPECTS.flatMap((aspect) => {
      const entry = row.cells[aspect];
      return entry?.status === 'known-limitation' ? [`${clientName(row.client)} (${row.host}), ${aspect}: ${entry.notes.join('; ') || 'known limitation'}`] : [];
    }),
  );
  const nodes: RootContent[] = [table(['Client', 'Host', 'Config', 'Listing', 'Invocation'], body)];
  if (limitations.length) {
    nodes.push({
      type: 'list',
      ordered: false,
      spread: false,
      children: [...new Set(limitations)].map((text) => ({
        type: 'listItem',
        spread: false,
        children: [{ type: 'paragraph', children: [{ type: 'text', value: `⚠️ Known limitation — ${text}` }] }],
      })),
    });
  }
  return nodes;
}

function entryCell(entry: MatrixEntry | undefined, context: RenderContext): PhrasingContent[] {
  if (!entry) return [{ type: 'text', value: '— not checked' }];
  const word = entry.status === 'known-limitation' ? 'known limitation' : entry.status;
  return [
    { type: 'text', value: `${STATUS_MARK[entry.status]} ` },
    { type: 'link', url: evidenceHref(context, entry.evidence), children: [{ type: 'text', value: word }] },
  ];
}
