/** Tiny builders for GFM tables and lists in mdast, so renderers read as what they draw. */
import type { List, PhrasingContent, RootContent, Table, TableCell } from 'mdast';
import type { Finding } from '../../types.ts';

export type Cell = string | PhrasingContent[];

const cell = (value: Cell): TableCell => ({
  type: 'tableCell',
  children: typeof value === 'string' ? [{ type: 'text', value }] : value,
});

export function table(header: string[], rows: Cell[][], align?: Table['align']): Table {
  return {
    type: 'table',
    align: align ?? header.map(() => 'left'),
    children: [header, ...rows].map((row) => ({ type: 'tableRow', children: row.map(cell) })),
  };
}

export const code = (value: string): PhrasingContent[] => [{ type: 'inlineCode', value }];

export const codeList = (values: string[]): PhrasingContent[] =>
  values.flatMap((value, i): PhrasingContent[] => [...(i ? [{ type: 'text' as const, value: ', ' }] : []), { type: 'inlineCode', value }]);

const SEVERITY_MARK: Record<Finding['severity'], string> = { fail: '❌', warn: '⚠️', info: 'ℹ️' };

/** A bullet list of findings: `❌ lab/docker-compose.yml:24: message`. Nothing when there are none. */
export function findingsList(findings: Finding[] | undefined): RootContent[] {
  if (!findings?.length) return [];
  const list: List = {
    type: 'list',
    ordered: false,
    spread: false,
    children: findings.map((finding) => ({
      type: 'listItem',
      spread: false,
      children: [
        {
          type: 'paragraph',
          children: [
            { type: 'text', value: `${SEVERITY_MARK[finding.severity]} ` },
            ...(finding.file ? [{ type: 'inlineCode' as const, value: `${finding.file}${finding.line ? `:${finding.line}` : ''}` }, { type: 'text' as const, value: ': ' }] : []),
            { type: 'text', value: finding.message },
          ],
        },
      ],
    })),
  };
  return [list];
}

/** "<lead> `where`; reproduce with:" and a bash block: how every region shows its curl commands. */
export function reproduce(lead: string, where: string, commands: string, what = 'reproduce with:'): RootContent[] {
  return [
    { type: 'paragraph', children: [{ type: 'text', value: `${lead} ` }, { type: 'inlineCode', value: where }, { type: 'text', value: `; ${what}` }] },
    { type: 'code', lang: 'bash', value: commands },
  ];
}
