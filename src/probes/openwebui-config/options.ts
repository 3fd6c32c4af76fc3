/**
 * Options of `openwebui.config` (`probes."openwebui.config"` in proofbook.config.yaml).
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { mcpPathOption, portPolicyOption, probeTimeout, serverNamesOption } from '../kit/options.ts';

export const OpenWebuiConfigOptionsSchema = z
  .object({
    envFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Open WebUI's `.env` (relative to the folder of proofbook.config.yaml). It holds the real key: list it in `secretsFiles` too, " +
          'so its values are redacted everywhere. Omitted: the probe is skipped.',
      ),
    host: z
      .string()
      .min(1)
      .default('lan')
      .describe('Name of the host (from `hosts`) Open WebUI must reach the gateway through, for its models and its MCP tool server.'),
    mcpPath: mcpPathOption('Path of the gateway\'s MCP endpoint the tool server URL must use. Default: `gateway.mcp.path`.'),
    servers: serverNamesOption('MCP server names `x-mcp-servers` may name and whose tools the live check expects. Default: `gateway.mcp.servers`.'),
    ports: portPolicyOption('Whether URLs in the .env must use the host\'s port from `hosts` (`match`) or only its scheme and host name (`ignore`).'),
    live: z
      .object({
        url: z
          .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
          .describe('Base URL of the running Open WebUI, e.g. "http://openwebui.linuxserver.lan:3000".'),
        tokenEnvVar: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/, 'use an environment variable name such as OPENWEBUI_ADMIN_TOKEN')
          .default('OPENWEBUI_ADMIN_TOKEN')
          .describe("Environment variable with an Open WebUI admin's API key (Settings → Account → API keys). Read from the environment first, then from `secretsFiles`."),
        requestTimeoutMs: z.number().int().positive().default(15_000).describe('Deadline of each request to Open WebUI.'),
      })
      .strict()
      .optional()
      .describe(
        'Check the running Open WebUI too: its admin API must list the MCP connection (GET /api/v1/configs/tool_servers) and verify it ' +
          '(POST /api/v1/configs/tool_servers/verify lists the gateway\'s tools). Omitted: the listing is reported as not checked.',
      ),
    timeoutMs: probeTimeout(30_000),
  })
  .strict();

export type OpenWebuiConfigOptions = z.infer<typeof OpenWebuiConfigOptionsSchema>;
