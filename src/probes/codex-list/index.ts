/** `codex.list`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { CodexListOptionsSchema } from './options.ts';
import { CODEX_CLIENT, CODEX_MENTION } from '../kit/codex-client.ts';

export const definition = defineProbe({
  id: 'codex.list',
  version: '1',
  kind: 'live',
  summary: 'Runs `codex mcp list --json` / `codex mcp get <server> --json`: the gateway entry as Codex itself reads it.',
  options: withDefaults(CodexListOptionsSchema),
  load: async () => (await import('./probe.ts')).codexListProbe,
  client: CODEX_CLIENT,
  adopt: { client: CODEX_MENTION, aspect: 'listing' },
});
