/**
 * Options of `traefik.routes` (`probes."traefik.routes"` in proofbook.config.yaml).
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

export const TraefikRoutesOptionsSchema = z
  .object({
    apiUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'Base URL of the Traefik API (`api.insecure` or a router to `api@internal`); `/api/http/routers` is read from it. ' +
          'Default: `http://127.0.0.1:<lab.traefikApiPort>`.',
      ),
    hosts: z
      .array(z.string().min(1))
      .optional()
      .describe('Names of the hosts (from `hosts`) whose routes are checked. Default: every configured host.'),
    healthPath: z
      .string()
      .startsWith('/')
      .default('/health/liveliness')
      .describe("Path requested through each host's route; LiteLLM answers it with 200 without a key."),
    certWarnDays: z
      .number()
      .int()
      .min(0)
      .default(14)
      .describe('An https certificate that expires within this many days is a warning (an expired one is a failure).'),
    requestTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('Give up on one request (API call, route request or TLS handshake) after this many milliseconds.'),
    timeoutMs: probeTimeout(30_000),
  })
  .strict();

export type TraefikRoutesOptions = z.output<typeof TraefikRoutesOptionsSchema>;
