/** How `init` recognises `mcp.catalog` in hand-written runbooks: plan items about the tool catalog, and sections holding a tool table or list. */
import type { Code } from 'mdast';
import { headerCells, plainListItems, type ProbeAdoption } from '../kit/adopt.ts';

export const adopt: ProbeAdoption = {
  item: {
    pattern: /tool catalog|tools\/list|\/mcp\/tools|\blist(?:ing)? (?:of )?(?:the )?tools\b|\bcatalog\b|\bsse\b|x-mcp-servers/i,
    keywords: 'tool catalog, tools/list, /mcp/tools, list tools, catalog, SSE, x-mcp-servers',
    rank: 40,
  },
  region: {
    heading: /\b(tool catalog|catalog|tools)\b/i,
    body: /\btools?\b|\bmcp\b/i,
    isData(block, text) {
      if (block.type === 'table') {
        const header = headerCells(block);
        return header.some((h) => /^tools?\b|^tool name/.test(h)) || (header.some((h) => /^server/.test(h)) && header.some((h) => /tool/.test(h)));
      }
      if (block.type === 'list') {
        const items = plainListItems(block, text);
        if (!items?.length) return false;
        // A list of tool names: most items start with an inline code span (`query`, `read_file`…).
        const named = block.children.filter((item) => {
          const first = item.children[0];
          return first?.type === 'paragraph' && first.children[0]?.type === 'inlineCode';
        }).length;
        return named >= Math.max(2, Math.ceil(items.length / 2)) && /tool|mcp_|query|read|list/i.test(items.join('\n'));
      }
      if (block.type === 'code') return /"inputSchema"|"tools"\s*:/.test((block as Code).value);
      return false;
    },
    rank: 20,
  },
};
