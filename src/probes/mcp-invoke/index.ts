/** `mcp.invoke`: what the rest of Proofbook knows of the probe (./options.ts, no probe code). */
import { defineProbe } from '../define.ts';
import { McpInvokeOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'mcp.invoke',
  version: '1',
  kind: 'live',
  summary: 'Makes one safe tool call per MCP server through the gateway (official SDK, streamable HTTP) and checks the results.',
  options: McpInvokeOptionsSchema.default(McpInvokeOptionsSchema.parse({})),
  load: async () => (await import('./probe.ts')).mcpInvokeProbe,
});
