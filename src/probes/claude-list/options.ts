/**
 * Options of `claude.list` (`probes."claude.list"` in proofbook.config.yaml); `claude.invoke`
 * shares the fields that say where the team's `.mcp.json` is and how to fill its variables.
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use an environment variable name (letters, digits, "_")');

/** Where the team's `.mcp.json` is and how Claude Code gets its `${VAR}`s and host names. */
export const claudeProjectFields = {
  project: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Claude Code\'s project folder: the folder whose `.mcp.json` the team shares (relative to the folder of proofbook.config.yaml). ' +
        'The probe trusts it in a temporary HOME (`.claude.json`), as a team member does once with the trust dialog. ' +
        'Default: the folder of proofbook.config.yaml; the probe is skipped when that holds no `.mcp.json`.',
    ),
  env: z
    .record(variableName, variableName)
    .default({})
    .describe(
      'Where the `${VAR}`s of `.mcp.json` get their values. Each is read from the environment, else from the secrets files (as `set -a; . file` would); ' +
        'an entry `VAR: OTHER` fills `${VAR}` with the value of OTHER instead, e.g. `{LITELLM_API_KEY: LITELLM_MASTER_KEY}`. Values are never recorded.',
    ),
  resolve: z
    .enum(['auto', 'dns'])
    .default('auto')
    .describe(
      'How Claude Code reaches host names that have `resolveTo` in `hosts`. `auto`: a hosts file in a private mount namespace (`unshare`), ' +
        'else for http an HTTP proxy at `http://<resolveTo>:<port>` (the host\'s own entrypoint); a host it cannot point there gets a `skip` cell ' +
        'saying why. `dns`: Claude Code asks DNS, as on a team member\'s machine.',
    ),
  claudeBin: z
    .string()
    .min(1)
    .optional()
    .describe('The claude executable to run (a path, or a name looked up on PATH). Default: the `@anthropic-ai/claude-code` package when installed, else `claude` on PATH.'),
};

export const ClaudeListOptionsSchema = z
  .object({
    ...claudeProjectFields,
    timeoutMs: probeTimeout(60_000),
  })
  .strict();

export type ClaudeListOptions = z.infer<typeof ClaudeListOptionsSchema>;
