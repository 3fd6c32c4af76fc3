/** `mcp.catalog`: what the rest of Proofbook knows of the probe (options, renderer, init keywords, the catalog diff and topology; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { McpCatalogOptionsSchema } from './options.ts';
import { renderCatalog } from './render.ts';
import { adopt } from './adopt.ts';
import { compareCatalog } from './compare.ts';
import { mcpCatalogTopology } from './topology.ts';

export const definition = defineProbe({
  id: 'mcp.catalog',
  version: '1',
  kind: 'live',
  summary: 'Lists the full MCP tool catalog through the gateway.',
  options: withDefaults(McpCatalogOptionsSchema),
  load: async () => (await import('./probe.ts')).mcpCatalogProbe,
  render: renderCatalog,
  adopt,
  compare: compareCatalog,
  topology: mcpCatalogTopology,
});
