/** `openwebui.invoke`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { definition as openwebuiConfig } from '../openwebui-config/index.ts';
import { OpenWebuiInvokeOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'openwebui.invoke',
  version: '1',
  kind: 'live',
  summary:
    "Runs one chat in the running Open WebUI with the gateway's MCP tool server attached: its model asks for one safe tool call, Open WebUI runs it through the gateway server-side, and the saved chat must show the call completed with the expected text.",
  options: withDefaults(OpenWebuiInvokeOptionsSchema),
  load: async () => (await import('./probe.ts')).openwebuiInvokeProbe,
  client: openwebuiConfig.client,
  adopt: { ...openwebuiConfig.adopt, aspect: 'invocation' }, // named in a plan as openwebui.config is
});
