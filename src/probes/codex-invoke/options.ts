/**
 * Options of `codex.invoke` (`probes."codex.invoke"` in proofbook.config.yaml).
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { codexBinOption, codexHomeOption, serverName } from '../kit/codex-options.ts';
import { InvokeCallSchema } from '../mcp-invoke/options.ts';

export const CodexInvokeOptionsSchema = z
  .object({
    codexHome: codexHomeOption,
    server: serverName.optional().describe('Name of the gateway entry (`[mcp_servers.<server>]`). Default: `probes."codex.config".server`, else `litellm`.'),
    host: z.string().optional().describe('Host (from `hosts`) the entry is for, when its url names none of them. Default: `probes."codex.config".host`, else `lan`.'),
    hosts: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Hosts (from `hosts`) to make the same call through as well: the entry\'s url with that host\'s origin, for this run only ' +
          '(`-c mcp_servers.<server>.url=…`). A host with `resolveTo` is reached by its name through a hosts file in a private mount ' +
          'namespace, its `caFile` trusted through SSL_CERT_FILE. Default: every host in `hosts`; `[]`: the entry\'s host only.',
      ),
    call: InvokeCallSchema.default({ server: 'mcp_postgres', tool: 'query', arguments: { sql: 'select 1' }, expect: '"?column?": 1' }).describe(
      'The one safe call Codex makes through the gateway: `server` and `tool` as LiteLLM names them (Codex sees the tool as ' +
        '`<server>-<tool>` in the entry), `arguments`, and `expect` (text the result must contain). Default: `mcp_postgres` `query {sql: "select 1"}`.',
    ),
    prompt: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The prompt for `codex exec`. Default: an instruction to call exactly `call` and to list the tools offered (the lab\'s scripted model reads ' +
          'that instruction; a real model follows it).',
      ),
    proxy: z
      .union([z.enum(['auto', 'none']), z.url({ protocol: /^http$/ })])
      .default('auto')
      .describe(
        'HTTP proxy for the codex process, standing in for DNS. `auto`: when the entry\'s url is http and its host has `resolveTo`, ' +
          '`http://<resolveTo>:<port>` (the host\'s own entrypoint, which routes by Host). `none`: Codex resolves the hostname itself. Or a URL.',
      ),
    approve: z
      .boolean()
      .default(true)
      .describe(
        'Approve the one tool called, for this run only (`-c mcp_servers.<server>.tools.<tool>.approval_mode="approve"`): `codex exec` ' +
          'never asks, and LiteLLM drops the read-only annotation that would let Codex run it unasked.',
      ),
    codexBin: codexBinOption,
    timeoutMs: z.number().int().positive().default(60_000).describe('Give up on the probe (and kill codex) after this many milliseconds.'),
  })
  .strict();

export type CodexInvokeOptions = z.infer<typeof CodexInvokeOptionsSchema>;
