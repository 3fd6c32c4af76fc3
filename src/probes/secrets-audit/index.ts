/** `secrets.audit`: what the rest of Proofbook knows of the probe (options, renderer and init keywords; no probe code). */
import { defineProbe } from '../define.ts';
import { withDefaults } from '../kit/options.ts';
import { SecretsAuditOptionsSchema } from './options.ts';
import { renderSecretsSources } from './render.ts';
import { adopt } from './adopt.ts';

export const definition = defineProbe({
  id: 'secrets.audit',
  version: '2',
  kind: 'static',
  summary: 'Checks the secrets files without printing values: keys, examples, permissions, git.',
  options: withDefaults(SecretsAuditOptionsSchema),
  load: async () => (await import('./probe.ts')).secretsAuditProbe,
  render: renderSecretsSources,
  adopt,
});
