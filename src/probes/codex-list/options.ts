/**
 * Options of `codex.list` (`probes."codex.list"` in proofbook.config.yaml).
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';
import { codexBinOption, codexHomeOption, serverName } from '../kit/codex-options.ts';

export const CodexListOptionsSchema = z
  .object({
    codexHome: codexHomeOption,
    server: serverName.optional().describe('Name of the gateway entry (`[mcp_servers.<server>]`). Default: `probes."codex.config".server`, else `litellm`.'),
    host: z.string().optional().describe('Host (from `hosts`) whose MCP endpoint the entry must point at. Default: `probes."codex.config".host`, else `lan`.'),
    path: z.string().startsWith('/').optional().describe('Path of the MCP endpoint on that host. Default: `probes."codex.config".path`, else `/mcp/`.'),
    servers: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('MCP server names the entry\'s `x-mcp-servers` header must name. Default: `probes."codex.config".servers`, else `gateway.mcp.servers`.'),
    codexBin: codexBinOption,
    timeoutMs: probeTimeout(20_000),
  })
  .strict();

export type CodexListOptions = z.infer<typeof CodexListOptionsSchema>;
