/** `gateway.config`: what the rest of Proofbook knows of the probe (./options.ts, no probe code). */
import { defineProbe } from '../define.ts';
import { GatewayConfigOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'gateway.config',
  version: '2',
  kind: 'static',
  summary: "Checks LiteLLM's config.yaml: MCP servers, transports, os.environ references, master key, aliases.",
  options: GatewayConfigOptionsSchema.default(GatewayConfigOptionsSchema.parse({})),
  load: async () => (await import('./probe.ts')).gatewayConfigProbe,
});
