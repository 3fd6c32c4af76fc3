/**
 * Options of `gateway.health` (`probes."gateway.health"` in proofbook.config.yaml).
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout, requestTimeout } from '../kit/options.ts';

export const GatewayHealthOptionsSchema = z
  .object({
    host: z
      .string()
      .min(1)
      .optional()
      .describe('Name of the one host (from `hosts`) to check. Default: every configured host.'),
    livelinessPath: z
      .string()
      .startsWith('/')
      .default('/health/liveliness')
      .describe("LiteLLM's liveness endpoint (no key needed); it must answer 200."),
    readinessPath: z
      .string()
      .startsWith('/')
      .default('/health/readiness')
      .describe("LiteLLM's readiness endpoint (no key needed); not 200 while liveliness is 200 is a warning. Its JSON carries `litellm_version` on LiteLLM 1.77.1 (not on 1.110.2)."),
    readinessDetailsPath: z
      .string()
      .startsWith('/')
      .default('/health/readiness/details')
      .describe("Where the version is asked when readiness does not report it (LiteLLM 1.110.2 moved it there, behind the key): sent with the gateway key; its answer never changes the status."),
    requestTimeoutMs: requestTimeout(),
    timeoutMs: probeTimeout(30_000),
  })
  .strict();

export type GatewayHealthOptions = z.output<typeof GatewayHealthOptionsSchema>;
