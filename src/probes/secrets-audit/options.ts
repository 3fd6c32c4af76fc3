/**
 * Options of `secrets.audit` (`probes."secrets.audit"` in proofbook.config.yaml).
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

const keyName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use an environment variable name such as LITELLM_MASTER_KEY');

export const SecretsAuditOptionsSchema = z
  .object({
    examples: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Committed `.env.example` files, or folders holding them (e.g. `lab/secrets`), relative to the folder of ' +
          'proofbook.config.yaml. The secrets file `litellm.env` is compared with `litellm.env.example` found here, ' +
          'else with one beside it. An example lists the keys its secrets file must have, with placeholder values.',
      ),
    requiredKeys: z
      .record(z.string().min(1), z.array(keyName))
      .default({})
      .describe(
        'Keys that must be present with a non-empty value, per secrets file basename (e.g. `litellm.env: [LITELLM_MASTER_KEY]`), ' +
          'or under `"*"` in at least one of the secrets files. A basename listed here replaces the keys of its example ' +
          'as the required set. `gateway.keyEnvVar` is always required in at least one file unless listed in `optionalKeys`.',
      ),
    optionalKeys: z
      .array(keyName)
      .default([])
      .describe('Keys that may be absent or empty even though an example or `requiredKeys` lists them.'),
    timeoutMs: probeTimeout(15_000),
  })
  .strict();

export type SecretsAuditOptions = z.infer<typeof SecretsAuditOptionsSchema>;
