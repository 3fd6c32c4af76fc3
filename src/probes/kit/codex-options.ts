/**
 * Option fields the three Codex probes (`codex.config`, `codex.list`, `codex.invoke`) share.
 * Light: imports only zod, so loading the config does not load the probes.
 */
import { z } from 'zod';

/** Codex versions before this ignored or rejected `url`, `http_headers` and `bearer_token_env_var`. */
export const MIN_REMOTE_VERSION = '0.47.0';

export const serverName = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" or "-" (Codex\'s own rule for MCP server names)');

/** Options every Codex probe has; `codex.list` and `codex.invoke` default them to `codex.config`'s. */
export const codexHomeOption = z
  .string()
  .min(1)
  .optional()
  .describe(
    "Codex's config folder (its CODEX_HOME), which holds config.toml. Relative paths start at the folder of proofbook.config.yaml. " +
      'Default: the CODEX_HOME environment variable, else ~/.codex.',
  );
export const codexBinOption = z
  .string()
  .min(1)
  .optional()
  .describe(
    'The codex executable to run (a path, or a name looked up on PATH). Default: the `@openai/codex` package Proofbook depends on.',
  );
