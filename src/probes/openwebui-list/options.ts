/**
 * Options of `openwebui.list` (`probes."openwebui.list"` in proofbook.config.yaml). Which host and
 * servers the connection must serve default to `openwebui.config`'s.
 * Light: imports only zod, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

/** Where the running Open WebUI is and how to sign in (`openwebui.invoke` defaults to these). */
export const openWebuiAccessFields = {
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .describe('Base URL of the running Open WebUI, e.g. "http://openwebui.linuxserver.lan:3000". Default: `probes."openwebui.config".live.url`; neither: the probe is skipped.'),
  tokenEnvVar: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'use an environment variable name such as OPENWEBUI_ADMIN_TOKEN')
    .optional()
    .describe("Environment variable with an Open WebUI admin's API key or token, read from the environment first, then from `secretsFiles`. Default: `probes.\"openwebui.config\".live.tokenEnvVar` (OPENWEBUI_ADMIN_TOKEN)."),
  requestTimeoutMs: z.number().int().positive().optional().describe('Deadline of each request to Open WebUI. Default: `probes."openwebui.config".live.requestTimeoutMs` (15 s).'),
};

export const OpenWebuiListOptionsSchema = z
  .object({
    ...openWebuiAccessFields,
    timeoutMs: probeTimeout(30_000),
  })
  .strict();

export type OpenWebuiListOptions = z.infer<typeof OpenWebuiListOptionsSchema>;
