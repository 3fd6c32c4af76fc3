/**
 * Options of `openwebui.invoke` (`probes."openwebui.invoke"` in proofbook.config.yaml). Where Open
 * WebUI is and the token default to `openwebui.list`'s (then `openwebui.config`'s `live`).
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { InvokeCallSchema } from '../mcp-invoke/options.ts';
import { openWebuiAccessFields } from '../openwebui-list/options.ts';

const fromList = ' Default: `probes."openwebui.list".<same>`, then `probes."openwebui.config".live`.';

export const OpenWebuiInvokeOptionsSchema = z
  .object({
    url: openWebuiAccessFields.url.describe(`Base URL of the running Open WebUI.${fromList}`),
    tokenEnvVar: openWebuiAccessFields.tokenEnvVar.describe(`Environment variable with an Open WebUI admin's API key or token.${fromList}`),
    requestTimeoutMs: openWebuiAccessFields.requestTimeoutMs.describe(`Deadline of each request to Open WebUI.${fromList}`),
    model: z
      .string()
      .min(1)
      .optional()
      .describe('The Open WebUI model the chat uses (one that can call tools). Default: the first model GET /api/models lists.'),
    call: InvokeCallSchema.default({ server: 'mcp_postgres', tool: 'query', arguments: { sql: 'select 1' }, expect: '"?column?": 1' }).describe(
      'The one safe call the chat makes through the gateway: `server` and `tool` as LiteLLM names them (Open WebUI offers the model ' +
        '`<connection id>_<server>-<tool>`), `arguments`, and `expect` (text the result must contain). Default: `mcp_postgres` `query {sql: "select 1"}`.',
    ),
    prompt: z
      .string()
      .min(1)
      .optional()
      .describe('The chat message. Default: an instruction to call exactly `call` and to list the tools offered (the lab\'s scripted model reads it; a real model follows it).'),
    limitation: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A limitation of tool calls through Open WebUI the team has documented and accepted, e.g. "catalog only: …". The probe reports `known-limitation` ' +
          'only when the call then fails as documented (the model asked, the tool did not complete), and fails with "documented limitation no longer observed" ' +
          'when the call succeeds: the docs need updating. Omitted: a failed call fails.',
      ),
    timeoutMs: z.number().int().positive().default(90_000).describe('Give up on the probe after this many milliseconds (the chat runs the tool loop server-side).'),
  })
  .strict();

export type OpenWebuiInvokeOptions = z.infer<typeof OpenWebuiInvokeOptionsSchema>;
