/** `claude.list`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { definition as claudeConfig } from '../claude-config/index.ts';
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { ClaudeListOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'claude.list',
  version: '1',
  kind: 'live',
  summary:
    'Runs the real `claude mcp list` in the project that holds the team\'s .mcp.json (trusted in a temporary HOME, the key from the environment or secrets): Claude Code connects to each server and says ✔ Connected or why not.',
  options: withDefaults(ClaudeListOptionsSchema),
  load: async () => (await import('./probe.ts')).claudeListProbe,
  client: claudeConfig.client,
  adopt: { ...claudeConfig.adopt, aspect: 'listing' }, // named in a plan as claude.config is
});
