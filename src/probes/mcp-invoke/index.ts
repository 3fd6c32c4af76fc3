/** `mcp.invoke`: what the rest of Proofbook knows of the probe (options, renderer and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { McpInvokeOptionsSchema } from './options.ts';
import { renderInvoke } from './render.ts';

export const definition = defineProbe({
  id: 'mcp.invoke',
  version: '1',
  kind: 'live',
  summary: 'Makes one safe tool call per MCP server through the gateway (official SDK, streamable HTTP) and checks the results.',
  options: withDefaults(McpInvokeOptionsSchema),
  load: async () => (await import('./probe.ts')).mcpInvokeProbe,
  render: renderInvoke,
  adopt: {
    item: { pattern: /tool (?:call|invocation)|\binvo(?:ke|cation)\b|tools\/call|call a tool/i, keywords: 'tool call, invoke, invocation, tools/call', rank: 30 },
  },
});
