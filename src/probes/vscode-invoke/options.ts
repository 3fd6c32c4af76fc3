/**
 * Options of `vscode.invoke` (`probes."vscode.invoke"` in proofbook.config.yaml). Where the team's
 * `.vscode/mcp.json` is, how its inputs are answered and code-server default to `vscode.list`'s.
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { InvokeCallSchema } from '../mcp-invoke/options.ts';
import { vscodeProjectFields } from '../vscode-list/options.ts';

const fromList = (name: string) => ` Default: \`probes."vscode.list".${name}\`.`;

export const VscodeInvokeOptionsSchema = z
  .object({
    file: vscodeProjectFields.file.removeDefault().optional().describe(`${vscodeProjectFields.file.description}${fromList('file')}`),
    inputs: vscodeProjectFields.inputs.removeDefault().optional().describe(`${vscodeProjectFields.inputs.description}${fromList('inputs')}`),
    servers: vscodeProjectFields.servers.describe(`The \`servers\` entries to call the tool through, one call each.${fromList('servers')}, else every http entry.`),
    codeServer: vscodeProjectFields.codeServer.describe(`${vscodeProjectFields.codeServer.description} The call is made with \`vscode.lm.invokeTool\`.${fromList('codeServer')}`),
    call: InvokeCallSchema.default({ server: 'mcp_postgres', tool: 'query', arguments: { sql: 'select 1' }, expect: '"?column?": 1' }).describe(
      'The one safe call made through each entry: `server` and `tool` as LiteLLM names them (the gateway lists `<server>-<tool>`; VS Code shows it with its own prefix), ' +
        '`arguments`, and `expect` (text the result must contain: LiteLLM 1.77.1 reports an upstream error with `isError: false`). Default: `mcp_postgres` `query {sql: "select 1"}`.',
    ),
    timeoutMs: z.number().int().positive().default(120_000).describe('Give up on the probe after this many milliseconds.'),
  })
  .strict();

export type VscodeInvokeOptions = z.infer<typeof VscodeInvokeOptionsSchema>;
