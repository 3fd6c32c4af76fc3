/** `gateway.health`: what the rest of Proofbook knows of the probe (options, renderer, init keywords and topology; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { GatewayHealthOptionsSchema } from './options.ts';
import { renderHealth } from './render.ts';
import { gatewayHealthTopology } from './topology.ts';

export const definition = defineProbe({
  id: 'gateway.health',
  version: '3',
  kind: 'live',
  summary: "Live: LiteLLM's liveliness and readiness through every host, and its version.",
  options: withDefaults(GatewayHealthOptionsSchema),
  load: async () => (await import('./probe.ts')).gatewayHealthProbe,
  render: renderHealth,
  adopt: {
    item: { pattern: /\bhealth\b|liveliness|readiness|\bis up\b|\buptime\b/i, keywords: 'health, liveliness, readiness, is up', rank: 80 },
  },
  topology: gatewayHealthTopology,
});
