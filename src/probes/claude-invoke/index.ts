/** `claude.invoke`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { definition as claudeConfig } from '../claude-config/index.ts';
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { ClaudeInvokeOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'claude.invoke',
  version: '1',
  kind: 'live',
  summary:
    'Runs the real `claude -p --output-format stream-json` with the team\'s .mcp.json (--strict-mcp-config, one tool allowed): Claude Code lists the gateway\'s tools and completes one safe MCP tool call through each host.',
  options: withDefaults(ClaudeInvokeOptionsSchema),
  load: async () => (await import('./probe.ts')).claudeInvokeProbe,
  client: claudeConfig.client,
  adopt: { ...claudeConfig.adopt, aspect: 'invocation' }, // named in a plan as claude.config is
});
