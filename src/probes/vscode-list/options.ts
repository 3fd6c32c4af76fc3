/**
 * Options of `vscode.list` (`probes."vscode.list"` in proofbook.config.yaml); `vscode.invoke`
 * defaults to these for where the file is and how its variables are filled.
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import { z } from 'zod';
import { probeTimeout } from '../kit/options.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const vscodeProjectFields = {
  file: z
    .string()
    .min(1)
    .default('lab/clients/vscode/.vscode/mcp.json')
    .describe('The team\'s VS Code MCP config (`.vscode/mcp.json`), relative to the folder of proofbook.config.yaml. Its folder\'s parent is the workspace folder VS Code opens.'),
  inputs: z
    .record(z.string().min(1), z.string().regex(ENV_NAME))
    .default({})
    .describe(
      'What a team member would type at each `${input:id}` prompt: input id → the variable holding it, read from the environment, else from the secrets files, ' +
        'e.g. `{litellm-key: LITELLM_MASTER_KEY}`. An input the file uses and this does not map fails. Values are never recorded.',
    ),
  servers: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('The `servers` entries to use. Default: every entry of type `http` (or with a `url`).'),
  codeServer: z
    .union([
      z.literal('auto'),
      z
        .object({
          bin: z.string().min(1).optional().describe('The code-server executable, relative to the folder of proofbook.config.yaml. Default: the lab\'s (`npm run lab:toolchain`).'),
          chromium: z.string().min(1).optional().describe('The Chromium that opens the workbench. Default: /usr/bin/chromium.'),
        })
        .strict(),
    ])
    .optional()
    .describe(
      'Observe with real VS Code: code-server opens the workspace in headless Chromium, the inputs are typed at its prompts and the lab\'s extension reports what `vscode.lm.tools` lists ' +
        '(and `vscode.lm.invokeTool` returns). `auto`: the lab\'s code-server when installed, else the fallback. Unset: the fallback (the MCP SDK with VS Code\'s URLs and headers). ' +
        'When set and code-server does not start, the probe errors with its log. In a run with both `vscode.list` and `vscode.invoke` on the same file, inputs, servers and code-server, one code-server run serves both.',
    ),
};

export type CodeServerOption = z.infer<typeof vscodeProjectFields.codeServer>;

export const VscodeListOptionsSchema = z
  .object({
    ...vscodeProjectFields,
    timeoutMs: probeTimeout(120_000),
  })
  .strict();

export type VscodeListOptions = z.infer<typeof VscodeListOptionsSchema>;
