/** `openwebui.config`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { OpenWebuiConfigOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'openwebui.config',
  version: '3',
  kind: 'static',
  summary: "Checks Open WebUI's .env (models and MCP tool server on the LAN host, key present, TOOL_SERVER_CONNECTIONS valid JSON) and, with `live`, its admin API (listing); `openwebui.invoke` owns invocation.",
  options: withDefaults(OpenWebuiConfigOptionsSchema),
  load: async () => (await import('./probe.ts')).openwebuiConfigProbe,
  client: { id: 'openwebui', name: 'Open WebUI' },
  adopt: { client: { pattern: /\bopen[\s-]?webui\b/i, name: 'Open WebUI' }, aspect: 'config' },
});
