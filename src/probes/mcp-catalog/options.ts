/**
 * Options of `mcp.catalog` (`probes."mcp.catalog"` in proofbook.config.yaml). The endpoint path and the
 * servers it lists are the gateway's (`gateway.mcp`), not options of the probe.
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

/** Transports `mcp.catalog` can list the catalog over. */
export const MCP_CATALOG_TRANSPORTS = ['streamable-http', 'sse'] as const;

export const McpCatalogOptionsSchema = z
  .object({
    host: z.string().default('lan').describe('Name of the host (from `hosts`) whose MCP endpoint is listed.'),
    expectedTools: z
      .record(z.string(), z.array(z.string().min(1)))
      .default({})
      .describe('Per server, tool names (without the `<server>-` prefix) that must appear in the catalog.'),
    timeoutMs: probeTimeout(30_000),
    transports: z
      .array(z.enum(MCP_CATALOG_TRANSPORTS))
      .min(1)
      .default([...MCP_CATALOG_TRANSPORTS])
      .describe(
        'Transports the catalog is listed over: `streamable-http` at `gateway.mcp.path`, `sse` (the legacy HTTP+SSE transport: a GET event ' +
          'stream that announces a POST `endpoint`) at `ssePath`. The first one that lists tools provides the catalog; the others ' +
          'must list the same. LiteLLM 1.77.x does not serve the legacy SSE transport: `sse` then warns with the reason; from 1.104.0 on it does.',
      ),
    ssePath: z
      .string()
      .startsWith('/')
      .default('/mcp/sse')
      .describe('Path of the legacy SSE MCP endpoint (the GET event stream), used when `transports` includes `sse`.'),
    streamWaitMs: z
      .number()
      .int()
      .positive()
      .default(20_000)
      .describe(
        'How long an SSE stream that should carry MCP messages may send nothing but keep-alive pings before the transport counts ' +
          'as stuck. Longer than the gateway\'s ping interval (LiteLLM: 15 s), so the evidence shows the pings.',
      ),
    pingLimit: z
      .number()
      .int()
      .positive()
      .default(3)
      .describe('A stream that sends this many keep-alive pings and no MCP message counts as stuck before `streamWaitMs`.'),
  })
  .strict();

export type McpCatalogOptions = z.infer<typeof McpCatalogOptionsSchema>;
