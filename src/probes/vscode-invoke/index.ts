/** `vscode.invoke`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { definition as vscodeConfig } from '../vscode-config/index.ts';
import { VscodeInvokeOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'vscode.invoke',
  version: '1',
  kind: 'live',
  summary:
    'Calls one safe tool through each http server of the team\'s .vscode/mcp.json: with real VS Code (code-server, `vscode.lm.invokeTool`) when configured, else with the MCP SDK and exactly VS Code\'s URL and headers; checks the result text.',
  options: withDefaults(VscodeInvokeOptionsSchema),
  load: async () => (await import('./probe.ts')).vscodeInvokeProbe,
  client: vscodeConfig.client,
  adopt: { ...vscodeConfig.adopt, aspect: 'invocation' }, // named in a plan as vscode.config is
});
