/**
 * Options of `codex.config` (`probes."codex.config"` in proofbook.config.yaml).
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';
import { codexBinOption, codexHomeOption, MIN_REMOTE_VERSION, serverName } from '../kit/codex-options.ts';

export const CodexConfigOptionsSchema = z
  .object({
    codexHome: codexHomeOption,
    server: serverName
      .default('litellm')
      .describe('Name of the gateway entry in config.toml: the table `[mcp_servers.<server>]`.'),
    host: z
      .string()
      .default('lan')
      .describe('Name of the host (from `hosts`) whose MCP endpoint the entry\'s `url` must be.'),
    path: z
      .string()
      .startsWith('/')
      .default('/mcp/')
      .describe('Path of the MCP endpoint on that host. Keep the trailing slash: LiteLLM answers `/mcp` with a 307.'),
    servers: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('MCP server names the entry\'s `x-mcp-servers` header must name. Default: `gateway.mcp.servers`.'),
    codexBin: codexBinOption,
    checkVersion: z
      .boolean()
      .default(true)
      .describe(`Run \`codex --version\` and warn when it is older than ${MIN_REMOTE_VERSION} (older Codex ignores or rejects url, http_headers and bearer_token_env_var).`),
    timeoutMs: probeTimeout(15_000),
  })
  .strict();

export type CodexConfigOptions = z.infer<typeof CodexConfigOptionsSchema>;
