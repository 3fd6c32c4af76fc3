/** `codex.list`: what the rest of Proofbook knows of the probe (./options.ts, no probe code). */
import { defineProbe } from '../define.ts';
import { CodexListOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'codex.list',
  version: '1',
  kind: 'live',
  summary: 'Runs `codex mcp list --json` / `codex mcp get <server> --json`: the gateway entry as Codex itself reads it.',
  options: CodexListOptionsSchema.default(CodexListOptionsSchema.parse({})),
  load: async () => (await import('./probe.ts')).codexListProbe,
});
