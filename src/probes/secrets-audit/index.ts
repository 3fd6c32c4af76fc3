/** `secrets.audit`: what the rest of Proofbook knows of the probe (./options.ts, no probe code). */
import { defineProbe } from '../define.ts';
import { SecretsAuditOptionsSchema } from './options.ts';

export const definition = defineProbe({
  id: 'secrets.audit',
  version: '2',
  kind: 'static',
  summary: 'Checks the secrets files without printing values: keys, examples, permissions, git.',
  options: SecretsAuditOptionsSchema.default(SecretsAuditOptionsSchema.parse({})),
  load: async () => (await import('./probe.ts')).secretsAuditProbe,
});
