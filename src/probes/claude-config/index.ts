/** `claude.config`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { ClaudeConfigOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'claude.config',
  version: '2',
  kind: 'static',
  summary: 'Checks Claude Code MCP configs (.mcp.json): a server per host at the MCP path, the key as ${VAR}, x-mcp-servers, no inline secret; a Windows credential section in a runbook.',
  options: withDefaults(ClaudeConfigOptionsSchema),
  load: async () => (await import('../client-configs/probe.ts')).claudeConfigProbe,
  client: { id: 'claude', name: 'Claude Code' },
  adopt: { client: { pattern: /\bclaude\b/i, name: 'Claude' }, aspect: 'config' },
});
