/**
 * How `init` recognises `mcp.catalog` in hand-written runbooks: plan items about the tool catalog,
 * and sections holding the gateway's tool table or list. A block counts only when it names the
 * configured MCP servers (LiteLLM lists tools as `<server>-<tool>`): a Python template with
 * `"tools":`, a list of config paths or another MCP server's own tools are not the catalog.
 */
import type { Code } from 'mdast';
import { headerCells, namesAny, plainListItems, type GatewayNames, type ProbeAdoption } from '../kit/adopt.ts';

/** The gateway's tool-list output: a tool name prefixed with a configured server (`mcp_postgres-query`). */
function prefixedToolNames(text: string, gateway: GatewayNames): boolean {
  const lower = text.toLowerCase();
  return gateway.servers.some((server) => new RegExp(`(?:^|[^\\w-])${server.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9_]`).test(lower));
}

/** Names the gateway's servers; with none configured, only a block shaped like a tools/list answer would do (see below). */
const namesServers = (text: string, gateway: GatewayNames) => gateway.servers.length > 0 && namesAny(text, gateway.servers);

export const adopt: ProbeAdoption = {
  item: {
    pattern: /tool catalog|tools\/list|\/mcp\/tools|\blist(?:ing)? (?:of )?(?:the )?tools\b|\bcatalog\b|\bsse\b|x-mcp-servers/i,
    keywords: 'tool catalog, tools/list, /mcp/tools, list tools, catalog, SSE, x-mcp-servers',
    rank: 40,
  },
  region: {
    heading: /\b(tool catalog|catalog|tools)\b/i,
    body: /\btools?\b|\bmcp\b/i,
    isData(block, text, gateway) {
      const raw = text.slice(block.position!.start.offset!, block.position!.end.offset!);
      if (block.type === 'table') {
        const header = headerCells(block);
        const shaped = header.some((h) => /^tools?\b|^tool name/.test(h)) || (header.some((h) => /^server/.test(h)) && header.some((h) => /tool/.test(h)));
        return shaped && namesServers(raw, gateway);
      }
      if (block.type === 'list') {
        const items = plainListItems(block, text);
        if (!items?.length) return false;
        // A list of tool names: most items start with an inline code span (`query`, `read_file`…).
        const named = block.children.filter((item) => {
          const first = item.children[0];
          return first?.type === 'paragraph' && first.children[0]?.type === 'inlineCode';
        }).length;
        return named >= Math.max(2, Math.ceil(items.length / 2)) && namesServers(items.join('\n'), gateway);
      }
      if (block.type === 'code') {
        const value = (block as Code).value;
        if (prefixedToolNames(value, gateway)) return true;
        // A tools/list answer: tools with input schemas, under a configured server's name.
        return /"inputSchema"/.test(value) && (namesServers(value, gateway) || !gateway.servers.length);
      }
      return false;
    },
    rank: 20,
  },
};
