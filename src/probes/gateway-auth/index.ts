/** `gateway.auth`: what the rest of Proofbook knows of the probe (options, renderer and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { GatewayAuthOptionsSchema } from './options.ts';
import { renderAuth } from './render.ts';

export const definition = defineProbe({
  id: 'gateway.auth',
  version: '2',
  kind: 'live',
  summary: 'Live: no host lists MCP tools with no key or a wrong key; the configured key works.',
  options: withDefaults(GatewayAuthOptionsSchema),
  load: async () => (await import('./probe.ts')).gatewayAuthProbe,
  render: renderAuth,
  adopt: {
    item: { pattern: /\bauth(?:entication|orization)?\b|api key|master key|unauthori[sz]ed|\bwrong key\b/i, keywords: 'auth, API key, master key, unauthorized', rank: 70 },
  },
});
