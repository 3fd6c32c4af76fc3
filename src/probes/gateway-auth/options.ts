/**
 * Options of `gateway.auth` (`probes."gateway.auth"` in proofbook.config.yaml).
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout, requestTimeout } from '../kit/options.ts';

export const GatewayAuthOptionsSchema = z
  .object({
    hosts: z
      .array(z.string().min(1))
      .optional()
      .describe('Names of the hosts (from `hosts`) to check. Default: every configured host.'),
    mcpPath: z
      .string()
      .startsWith('/')
      .optional()
      .describe('Streamable HTTP MCP endpoint; an `initialize` there without a valid key must be refused. Default: `gateway.mcp.path`. Keep the trailing slash.'),
    restPath: z
      .string()
      .startsWith('/')
      .default('/mcp-rest/tools/list')
      .describe("LiteLLM's REST tool list; it must refuse a request without a valid key and list tools with the configured key."),
    keyHeader: z
      .enum(['authorization', 'x-litellm-api-key'])
      .default('authorization')
      .describe(
        'Header that carries the key (`Bearer <key>`): LiteLLM reads `Authorization` or `x-litellm-api-key`. ' +
          'Default `authorization`, as clients send it (a Traefik router gated on it answers 404 to anything else).',
      ),
    misleadingRejection: z
      .enum(['pass', 'warn', 'fail'])
      .default('warn')
      .describe(
        'What a refusal with a status other than 401/403 counts as when its body lists no tools ' +
          '(LiteLLM 1.77.1 answers a missing or wrong key on /mcp/ with HTTP 500).',
      ),
    externalHosts: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Names of the hosts reachable from the internet; a catalog listed without a key there is reported as exposed to the internet. ' +
          'Default: hosts whose hostname is a public DNS name or address (not .lan, .local, .internal, .home.arpa, localhost or a private IP).',
      ),
    requestTimeoutMs: requestTimeout(),
    timeoutMs: probeTimeout(30_000),
  })
  .strict();

export type GatewayAuthOptions = z.output<typeof GatewayAuthOptionsSchema>;
