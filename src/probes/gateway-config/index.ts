/** `gateway.config`: what the rest of Proofbook knows of the probe (options, renderer and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { GatewayConfigOptionsSchema } from './options.ts';
import { renderGatewayConfig } from './render.ts';

export const definition = defineProbe({
  id: 'gateway.config',
  version: '3',
  kind: 'static',
  summary: "Checks LiteLLM's config.yaml: MCP servers, transports, os.environ references, master key, aliases.",
  options: withDefaults(GatewayConfigOptionsSchema),
  load: async () => (await import('./probe.ts')).gatewayConfigProbe,
  render: renderGatewayConfig,
  adopt: {
    item: { pattern: /mcp_servers|config\.yaml|server definitions?|mcp server (?:definition|config)/i, keywords: 'mcp_servers, config.yaml, server definitions', rank: 50 },
  },
});
