/** `codex.invoke`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { CodexInvokeOptionsSchema } from './options.ts';
import { CODEX_CLIENT, CODEX_MENTION } from '../kit/codex-client.ts';

export const definition = defineProbe({
  id: 'codex.invoke',
  version: '1',
  kind: 'live',
  summary: 'Runs the real `codex exec --json`: Codex lists the gateway\'s tools and completes one safe MCP tool call through it.',
  options: withDefaults(CodexInvokeOptionsSchema),
  load: async () => (await import('./probe.ts')).codexInvokeProbe,
  client: CODEX_CLIENT,
  adopt: { client: CODEX_MENTION, aspect: 'invocation' },
});
