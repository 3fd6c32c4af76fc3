/** `traefik.routes`: what the rest of Proofbook knows of the probe (options, renderer, init keywords and topology; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { TraefikRoutesOptionsSchema } from './options.ts';
import { renderRoutes } from './render.ts';
import { traefikRoutesTopology } from './topology.ts';

export const definition = defineProbe({
  id: 'traefik.routes',
  version: '2',
  kind: 'live',
  summary: 'Live: Traefik API routers per host, a real request through each route to LiteLLM, the https certificate (SAN, trust, expiry).',
  options: withDefaults(TraefikRoutesOptionsSchema),
  load: async () => (await import('./probe.ts')).traefikRoutesProbe,
  render: renderRoutes,
  adopt: {
    item: { pattern: /\broutes?\b|entry ?points?|certificate|\btls\b/i, keywords: 'route(s), entrypoint, certificate, TLS', rank: 20 },
  },
  topology: traefikRoutesTopology,
});
