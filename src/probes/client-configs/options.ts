/**
 * Option fields shared by the client-config probes `vscode.config` and `claude.config`.
 * Light: imports only zod, so loading the config does not load the probes.
 */
import { z } from 'zod';
import { mcpPathOption, portPolicyOption, probeTimeout, serverNamesOption } from '../kit/options.ts';

/** The options of a client-config probe; `vscode.config` and `claude.config` differ only in the texts. */
export const clientOptions = (client: string, example: string) =>
  z
    .object({
      files: z
        .array(z.string().min(1))
        .default([])
        .describe(
          `${client} MCP config files to check, relative to the folder of proofbook.config.yaml, e.g. \`${example}\`. ` +
            'An entry may be a pattern: `*` and `?` within a folder or file name, `**` for any depth. No files: the probe is skipped.',
        ),
      hosts: z
        .array(z.string().min(1))
        .optional()
        .describe('Names of the hosts (from `hosts`) every file must have a server entry for. Default: every configured host.'),
      mcpPath: mcpPathOption('Path of the gateway\'s MCP endpoint that client URLs must use. Default: `gateway.mcp.path`.'),
      servers: serverNamesOption('MCP server names `x-mcp-servers` may name (another name warns). Default: `gateway.mcp.servers`.'),
      ports: portPolicyOption(
        'Whether a client URL\'s port must equal the host\'s port in `hosts`. `ignore` compares scheme and host name only: ' +
          'client examples usually carry the public ports (80/443) while Proofbook may reach the gateway on others (the lab: 18080/18443).',
      ),
      runbook: z
        .string()
        .min(1)
        .optional()
        .describe(
          'A Markdown runbook (relative to the folder of proofbook.config.yaml) that must have a section on storing the key on Windows; ' +
            'omitted: not checked.',
        ),
      windowsHeading: z
        .string()
        .min(1)
        .default('Windows credential')
        .describe('Text (case-insensitive) a heading of `runbook` must contain, e.g. "## Windows credential storage".'),
      timeoutMs: probeTimeout(10_000),
    })
    .strict();

export type ClientConfigOptions = z.infer<ReturnType<typeof clientOptions>>;
