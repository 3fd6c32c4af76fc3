/**
 * Untrusted text in generated Markdown (issue 13, high 1): tool names, descriptions, gateway error
 * texts and every other string in the evidence reach a runbook only as text. Each test parses what
 * a real rewrite wrote (remark + GFM, the CommonMark reading the site's processor shares) and looks
 * for raw HTML and for rows or cells that moved.
 */
import fc from 'fast-check';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { Nodes, Root, RootContent, Table } from 'mdast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import type { ProbeView } from '../../../src/evidence/history.ts';
import { hardenTree, safeUrl, visibleControls } from '../../../src/markdown/harden.ts';
import { REGION_IDS, renderRegion } from '../../../src/render/index.ts';
import { parseMarkdown } from '../../../src/rewrite/regions.ts';
import { rewriteDocument } from '../../../src/rewrite/rewrite-document.ts';
import { allViews, ATTACK_NAMES, hostile, XSS } from '../../helpers/hostile-facts.ts';

const RENDER = { docFile: '/ws/content/ops/RUNBOOK.md', evaluationDir: '/ws/evaluation', hosts: ['lan', 'external'] };

function htmlNodes(tree: Nodes): string[] {
  const found: string[] = [];
  visit(tree, 'html', (node) => {
    found.push(node.value);
  });
  return found;
}

function regionTree(text: string): Root {
  const start = text.indexOf('-->', text.indexOf('<!-- proofbook:start')) + 3;
  const end = text.lastIndexOf('<!-- proofbook:end');
  return parseMarkdown(text.slice(start, end));
}


describe('generated regions are text, whatever the evidence holds', () => {
  it('the reported attack: a tool named with a line break and the next one with an <img onerror> stay in their row, as code', () => {
    const view: ProbeView = {
      id: 'mcp.catalog',
      status: 'pass',
      summary: '2 tools via lan',
      facts: {
        host: 'lan',
        endpoint: 'http://litellm.linuxserver.lan/mcp/',
        toolCount: 2,
        servers: [{ name: 'mcp_postgres', tools: ATTACK_NAMES, missingTools: [] }],
        reproduce: 'curl -s http://litellm.linuxserver.lan/mcp-rest/tools/list',
      },
      since: '2026-11-25T12:00:00.000Z',
      evidence: 'mcp.catalog/2026-11-25T12-00-00-000Z.json',
      lastRun: '2026-11-25T12:00:00.000Z',
    };
    const doc = '# Runbook\n\n<!-- proofbook:start mcp.catalog -->\n<!-- proofbook:end mcp.catalog -->\n';
    const { text } = rewriteDocument(doc, RENDER.docFile, (region) => renderRegion(region.id, new Map([['mcp.catalog', view]]), RENDER));
    const tree = regionTree(text);
    expect(htmlNodes(tree)).toEqual([]);
    const table = tree.children.find((n): n is Table => n.type === 'table')!;
    expect(table.children).toHaveLength(2); // header + one server: the line break did not end the row
    const codes: string[] = [];
    visit(table, 'inlineCode', (node) => void codes.push(node.value));
    expect(codes).toEqual(['mcp_postgres-a␊b', `mcp_postgres-c${XSS}`]);
  });

  it.each(REGION_IDS)('%s: hostile strings in every fact and the summary give no raw HTML and no extra row', (id) => {
    const views = allViews();
    const plain = new Map([...views].map(([key, v]) => [key, { ...v, summary: v.summary.replace(XSS, '').replace('\nsecond line', '') }]));
    const poisoned = new Map([...views].map(([key, v]) => [key, { ...v, facts: hostile(v.facts) as Record<string, unknown> }]));
    const doc = `# Runbook\n\n<!-- proofbook:start ${id} -->\n<!-- proofbook:end ${id} -->\n`;
    const render = (map: Map<string, ProbeView>) => rewriteDocument(doc, RENDER.docFile, (region) => renderRegion(region.id, map, RENDER)).text;
    const before = regionTree(render(plain));
    const after = regionTree(render(poisoned));
    expect(htmlNodes(after)).toEqual([]);
    // Same shape: every table keeps its rows and cells, and no block was added by a line break.
    const shape = (tree: Root) => tree.children.map((n) => (n.type === 'table' ? `table ${n.children.map((r) => r.children.length).join(',')}` : n.type));
    expect(shape(after)).toEqual(shape(before));
    const links: string[] = [];
    visit(after, 'link', (node) => void links.push(node.url));
    for (const url of links) expect(url).not.toMatch(/^javascript:/i);
  });

  it('a plan item status made from a hostile summary stays one line of text', () => {
    const views = new Map([['mcp.catalog', { ...allViews().get('mcp.catalog')!, status: 'fail' as const }]]);
    const doc = '# Plan\n\n- [ ] Scripted curl (SSE) test <!-- proof: mcp.catalog -->\n- [ ] next item\n';
    const { text } = rewriteDocument(doc, RENDER.docFile, () => [], { plan: { views, bindings: [], decisions: [], knownProbes: ['mcp.catalog'], render: RENDER } });
    const tree = parseMarkdown(text);
    expect(htmlNodes(tree).filter((h) => !h.startsWith('<!-- proof:'))).toEqual([]);
    const list = tree.children.find((n) => n.type === 'list')!;
    expect(list.type === 'list' && list.children).toHaveLength(2);
    expect(text.split('\n')[2]).toContain('␊second line');
  });
});

describe('generated regions are bounded', () => {
  const doc = (id: string) => `# Runbook\n\n<!-- proofbook:start ${id} -->\n<!-- proofbook:end ${id} -->\n`;

  it('a 10,000-tool catalog with long names renders 100 names per server and a link to the evidence', () => {
    const tools = Array.from({ length: 10_000 }, (_, i) => `tool_${i}_${'x'.repeat(300)}`);
    const views = new Map([['mcp.catalog', { ...allViews().get('mcp.catalog')!, facts: { host: 'lan', endpoint: 'http://x/mcp/', servers: [{ name: 'mcp_big', tools, missingTools: [] }], reproduce: 'curl' } }]]);
    const { text } = rewriteDocument(doc('mcp.catalog'), RENDER.docFile, (region) => renderRegion(region.id, views, RENDER));
    expect(text.length).toBeLessThan(64 * 1024);
    expect(text).toContain('`tool_99_');
    expect(text).not.toContain('`tool_100_');
    expect(text).toMatch(/… and 9900 more \(\[all in the evidence\]\(\.\.\/\.\.\/evaluation\/mcp\.catalog\//);
  });

  it('any region over the limit becomes a note, so the runbook stays under what the next refresh reads', () => {
    const findings = Array.from({ length: 5_000 }, (_, i) => ({ severity: 'warn', message: `finding ${i} ${'y'.repeat(100)}` }));
    const views = new Map([['gateway.config', { ...allViews().get('gateway.config')!, facts: { ...allViews().get('gateway.config')!.facts, findings } }]]);
    const { text } = rewriteDocument(doc('gateway.config'), RENDER.docFile, (region) => renderRegion(region.id, views, RENDER));
    expect(text.length).toBeLessThan(2_000);
    expect(text).toMatch(/_The gateway\.config region would be \d+ KB of Markdown, over Proofbook's 256 KB limit/);
  });
});

describe('hardenTree', () => {
  const serialise = (nodes: RootContent[]) => toMarkdown({ type: 'root', children: hardenTree(nodes) }, { extensions: [gfmToMarkdown({ tablePipeAlign: false })] });

  it('property: any strings in text, code and table cells serialise to the same table, with no HTML', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fc.tuple(anyText, anyText), { minLength: 1, maxLength: 4 }), (rows) => {
        const table: Table = {
          type: 'table',
          children: [['A', 'B'], ...rows].map((row) => ({
            type: 'tableRow',
            children: [
              { type: 'tableCell', children: row[0] ? [{ type: 'text', value: row[0] }] : [] },
              { type: 'tableCell', children: row[1] ? [{ type: 'inlineCode', value: row[1] }] : [] },
            ],
          })),
        };
        const tree = parseMarkdown(serialise([table]));
        expect(htmlNodes(tree)).toEqual([]);
        const parsed = tree.children.filter((n) => n.type === 'table');
        expect(parsed).toHaveLength(1);
        expect((parsed[0] as Table).children.map((r) => r.children.length)).toEqual(table.children.map(() => 2));
      }),
      { numRuns: 300 },
    );
  });

  it('turns raw HTML into text and unsafe URLs into #', () => {
    const md = serialise([{ type: 'html', value: '<script>x()</script>' }, { type: 'paragraph', children: [{ type: 'link', url: 'JavaScript:alert(1)', children: [{ type: 'text', value: 'l' }] }] }]);
    expect(htmlNodes(parseMarkdown(md))).toEqual([]);
    expect(md).toContain('[l](#)');
    expect(safeUrl('../evaluation/mcp.catalog/x.json')).toBe('../evaluation/mcp.catalog/x.json');
    expect(safeUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeUrl('//evil.example/x')).toBe('#');
    expect(safeUrl('data:text/html,<b>')).toBe('#');
  });

  it('shows control characters instead of acting on them', () => {
    expect(visibleControls('a\nb\r\tc\u0000\u001b\u007f\u0085\u202e')).toBe('a␊b␍␉c␀␛␡\\u0085\\u202E');
    expect(visibleControls('emoji 👩‍💻 and ✅ stay')).toBe('emoji 👩‍💻 and ✅ stay');
  });
});
