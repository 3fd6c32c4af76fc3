/**
 * Options of `gateway.config` (`probes."gateway.config"` in proofbook.config.yaml).
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

export const MCP_TRANSPORTS = ['stdio', 'http', 'sse'] as const;
export type McpTransport = (typeof MCP_TRANSPORTS)[number];

export const ExpectedServerSchema = z
  .object({
    transport: z
      .enum(MCP_TRANSPORTS)
      .optional()
      .describe('Transport the server must declare explicitly in config.yaml (`stdio`, `http` or `sse`). Omitted: any explicit transport.'),
    command: z.string().min(1).optional().describe('For a stdio server: the exact `command`, e.g. `sh` or `npx`.'),
    args: z.array(z.string()).optional().describe('For a stdio server: the exact `args`, in order.'),
    url: z.string().min(1).optional().describe('For an http or sse server: the exact `url`.'),
  })
  .strict();

export const GatewayConfigOptionsSchema = z
  .object({
    servers: z
      .record(z.string().min(1), ExpectedServerSchema)
      .optional()
      .describe(
        'MCP servers that must be registered under `mcp_servers` in LiteLLM\'s config.yaml, by name, with what each must declare, ' +
          'e.g. `{mcp_postgres: {transport: stdio, command: sh}}`. Default: the names in `gateway.mcp.servers`, ' +
          'each only required to exist with an explicit transport.',
      ),
    unexpectedServers: z
      .enum(['ignore', 'warn', 'fail'])
      .default('warn')
      .describe('What a server registered in config.yaml but not expected (by `servers`, or by default by `gateway.mcp.servers`) counts as.'),
    timeoutMs: probeTimeout(10_000),
  })
  .strict();

export type GatewayConfigOptions = z.infer<typeof GatewayConfigOptionsSchema>;
export type ExpectedServer = z.infer<typeof ExpectedServerSchema>;
