/**
 * Options of `traefik.labels` (`probes."traefik.labels"` in proofbook.config.yaml).
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

export const TraefikLabelsOptionsSchema = z
  .object({
    composeService: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Compose service (or `docker run --name`) that runs LiteLLM and carries the Traefik labels. ' +
          'Default: the service with a `traefik.enable` label (if several, the one whose rules name the configured hosts).',
      ),
    litellmPort: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe(
        'Port LiteLLM listens on inside its container; `loadbalancer.server.port` must equal it. ' +
          'Default: `lab.litellmPort` (4000).',
      ),
    lanEntryPoint: z
      .string()
      .min(1)
      .default('web')
      .describe('Traefik entrypoint that serves the http:// hosts (the LAN), e.g. "web".'),
    tlsEntryPoint: z
      .string()
      .min(1)
      .default('websecure')
      .describe('Traefik entrypoint that serves the https:// hosts with TLS, e.g. "websecure".'),
    network: z
      .string()
      .min(1)
      .optional()
      .describe('Docker network Traefik reaches LiteLLM on; `traefik.docker.network` must name it. Default: any network the service joins.'),
    ruleSyntax: z
      .enum(['v3', 'v2'])
      .default('v3')
      .describe(
        'Router rule syntax of the Traefik in front of LiteLLM: v3 takes one name per Host(), v2 several. ' +
          "A router's own `rulesyntax` label wins.",
      ),
    timeoutMs: probeTimeout(10_000),
  })
  .strict();

export type TraefikLabelsOptions = z.output<typeof TraefikLabelsOptionsSchema>;

/**
 * The options as the checks read them: `litellmPort` resolved (the option, else `lab.litellmPort`,
 * else 4000), and the gateway's key variable and MCP path (for the request clients send).
 */
export type TraefikLabelsCheckOptions = TraefikLabelsOptions & { litellmPort: number; keyEnvVar: string; mcpPath: string };

/** What the checks know of the gateway besides the labels (`gateway.keyEnvVar`, `gateway.mcp.path`). */
export interface TraefikLabelsGateway {
  keyEnvVar?: string;
  mcpPath?: string;
}
