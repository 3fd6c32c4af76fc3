/** `codex.config`: what the rest of Proofbook knows of the probe (options, client and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { CodexConfigOptionsSchema } from './options.ts';
import { CODEX_CLIENT, CODEX_MENTION } from '../kit/codex-client.ts';

export const definition = defineProbe({
  id: 'codex.config',
  version: '2',
  kind: 'static',
  summary: "Checks Codex CLI's config.toml: the gateway entry's url, x-mcp-servers header, key from an env var (never inline), unknown keys, Codex version.",
  options: withDefaults(CodexConfigOptionsSchema),
  load: async () => (await import('./probe.ts')).codexConfigProbe,
  client: CODEX_CLIENT,
  adopt: { client: CODEX_MENTION, aspect: 'config' },
});
