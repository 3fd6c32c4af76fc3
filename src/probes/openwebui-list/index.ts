/** `openwebui.list`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { definition as openwebuiConfig } from '../openwebui-config/index.ts';
import { OpenWebuiListOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'openwebui.list',
  version: '1',
  kind: 'live',
  summary:
    "Asks the running Open WebUI's admin API for its tool servers (the MCP connection to the gateway must be there) and has it verify that connection: Open WebUI's own MCP client lists the gateway's tools.",
  options: withDefaults(OpenWebuiListOptionsSchema),
  load: async () => (await import('./probe.ts')).openwebuiListProbe,
  client: openwebuiConfig.client,
  adopt: { ...openwebuiConfig.adopt, aspect: 'listing' }, // named in a plan as openwebui.config is
});
