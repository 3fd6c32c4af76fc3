/**
 * Options of `mcp.invoke` (`probes."mcp.invoke"` in proofbook.config.yaml); `codex.invoke` reuses its call.
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';

export const InvokeCallSchema = z
  .object({
    server: z
      .string()
      .min(1)
      .describe('MCP server name as LiteLLM registers it (sent in `x-mcp-servers`), e.g. `mcp_postgres`.'),
    tool: z
      .string()
      .min(1)
      .describe('Tool name as the server names it, without LiteLLM\'s `<server>-` prefix, e.g. `query`. Pick a call without side effects.'),
    arguments: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Arguments of the call, e.g. `{sql: "select 1"}`. Recorded in the evidence (redacted): put no secret here.'),
    expect: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Text the result must contain, e.g. `"?column?": 1`. Recommended: LiteLLM 1.77.x drops the upstream `isError` flag, ' +
          'so an error text only fails the call when it lacks this.',
      ),
  })
  .strict();

export const DEFAULT_INVOKE_CALLS: z.input<typeof InvokeCallSchema>[] = [
  { server: 'mcp_postgres', tool: 'query', arguments: { sql: 'select 1' }, expect: '"?column?": 1' },
  { server: 'mcp_filesystem', tool: 'list_allowed_directories', arguments: {}, expect: 'Allowed directories' },
];

export const McpInvokeOptionsSchema = z
  .object({
    host: z.string().default('lan').describe('Name of the host (from `hosts`) whose MCP endpoint is called.'),
    path: z
      .string()
      .startsWith('/')
      .optional()
      .describe('Path of the streamable HTTP MCP endpoint. Default: `gateway.mcp.path`. Keep the trailing slash: LiteLLM answers `/mcp` with a 307.'),
    calls: z
      .array(InvokeCallSchema)
      .min(1)
      .default(DEFAULT_INVOKE_CALLS.map((call) => InvokeCallSchema.parse(call)))
      .describe(
        'The safe calls to make, typically one per server; all run concurrently in one MCP session. Default: the lab\'s ' +
          '`mcp_postgres` `query {sql: "select 1"}` and `mcp_filesystem` `list_allowed_directories`.',
      ),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe('Give up on the probe after this many milliseconds; a call still unanswered a little before then is an error.'),
  })
  .strict();

export type McpInvokeOptions = z.infer<typeof McpInvokeOptionsSchema>;
export type InvokeCall = z.infer<typeof InvokeCallSchema>;
