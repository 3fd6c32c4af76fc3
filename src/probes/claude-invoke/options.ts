/**
 * Options of `claude.invoke` (`probes."claude.invoke"` in proofbook.config.yaml). Where the team's
 * `.mcp.json` is and how its variables are filled default to `claude.list`'s.
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { claudeProjectFields } from '../claude-list/options.ts';
import { InvokeCallSchema } from '../mcp-invoke/options.ts';

const fromList = (name: string) => ` Default: \`probes."claude.list".${name}\`.`;

export const ClaudeInvokeOptionsSchema = z
  .object({
    project: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Claude Code\'s project folder, holding the team\'s `.mcp.json` (`claude -p` runs there with `--mcp-config <it>/.mcp.json --strict-mcp-config`). ' +
          'Default: `probes."claude.list".project`, else the folder of proofbook.config.yaml.',
      ),
    env: claudeProjectFields.env.unwrap().optional().describe(`${claudeProjectFields.env.description}${fromList('env')}`),
    resolve: claudeProjectFields.resolve.unwrap().optional().describe(`${claudeProjectFields.resolve.description}${fromList('resolve')}`),
    claudeBin: z.string().min(1).optional().describe('The claude executable to run (a path, or a name looked up on PATH). Default: `probes."claude.list".claudeBin`, else the `@anthropic-ai/claude-code` package, else `claude` on PATH.'),
    hosts: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Hosts (from `hosts`) to call the tool through, one `claude -p` each, with the `.mcp.json` server whose URL is on that host. Default: every host the file\'s servers use.'),
    call: InvokeCallSchema.default({ server: 'mcp_postgres', tool: 'query', arguments: { sql: 'select 1' }, expect: '"?column?": 1' }).describe(
      'The one safe call Claude Code makes through the gateway: `server` and `tool` as LiteLLM names them (Claude Code sees the tool as ' +
        '`mcp__<entry>__<server>-<tool>`), `arguments`, and `expect` (text the result must contain). Default: `mcp_postgres` `query {sql: "select 1"}`.',
    ),
    settings: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A Claude Code settings file passed with `--settings`, e.g. one whose `env` sets ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY for the model ' +
          '(the lab\'s points at its scripted model). Without it, the model comes from the environment; with neither a key nor `apiKeyHelper` the probe is skipped.',
      ),
    prompt: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The prompt for `claude -p`. Default: an instruction to call exactly `call` and to list the tools offered (the lab\'s scripted model reads ' +
          'that instruction; a real model follows it).',
      ),
    timeoutMs: z.number().int().positive().default(90_000).describe('Give up on the probe (and kill claude) after this many milliseconds.'),
  })
  .strict();

export type ClaudeInvokeOptions = z.infer<typeof ClaudeInvokeOptionsSchema>;
