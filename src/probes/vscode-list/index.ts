/** `vscode.list`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { definition as vscodeConfig } from '../vscode-config/index.ts';
import { VscodeListOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'vscode.list',
  version: '1',
  kind: 'live',
  summary:
    'Reads the team\'s .vscode/mcp.json as VS Code does (comments, trailing commas, ${input:…} and ${env:…} filled) and lists each http server\'s tools through the gateway: with real VS Code (code-server) when configured, else with the MCP SDK and exactly VS Code\'s URL and headers.',
  options: withDefaults(VscodeListOptionsSchema),
  load: async () => (await import('./probe.ts')).vscodeListProbe,
  client: vscodeConfig.client,
  adopt: { ...vscodeConfig.adopt, aspect: 'listing' }, // named in a plan as vscode.config is
});
