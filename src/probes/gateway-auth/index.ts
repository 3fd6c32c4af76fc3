/** `gateway.auth`: what the rest of Proofbook knows of the probe (./options.ts, no probe code). */
import { defineProbe } from '../define.ts';
import { GatewayAuthOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'gateway.auth',
  version: '1',
  kind: 'live',
  summary: 'Live: no host lists MCP tools with no key or a wrong key; the configured key works.',
  options: GatewayAuthOptionsSchema.default(GatewayAuthOptionsSchema.parse({})),
  load: async () => (await import('./probe.ts')).gatewayAuthProbe,
});
