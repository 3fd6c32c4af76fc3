/** `vscode.config`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { VscodeConfigOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'vscode.config',
  version: '2',
  kind: 'static',
  summary: 'Checks VS Code MCP configs (.vscode/mcp.json): a server per host at the MCP path, the key as ${input:…}, x-mcp-servers, no inline secret; a Windows credential section in a runbook.',
  options: withDefaults(VscodeConfigOptionsSchema),
  load: async () => (await import('../client-configs/probe.ts')).vscodeConfigProbe,
  client: { id: 'vscode', name: 'VS Code' },
  adopt: { client: { pattern: /\bvs[\s-]?code\b/i, name: 'VS Code' }, aspect: 'config' },
});
