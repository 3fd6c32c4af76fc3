/** `traefik.labels`: what the rest of Proofbook knows of the probe (options, renderer, init keywords and topology; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { TraefikLabelsOptionsSchema } from './options.ts';
import { renderRouting } from './render.ts';
import { adopt } from './adopt.ts';
import { traefikLabelsTopology } from './topology.ts';

export const definition = defineProbe({
  id: 'traefik.labels',
  version: '2',
  kind: 'static',
  summary: 'Checks the Traefik labels of gateway.composeFile: a router per host to LiteLLM, entrypoint, TLS, port, network, no secrets.',
  options: withDefaults(TraefikLabelsOptionsSchema),
  load: async () => (await import('./probe.ts')).traefikLabelsProbe,
  render: renderRouting,
  adopt,
  topology: traefikLabelsTopology,
});
