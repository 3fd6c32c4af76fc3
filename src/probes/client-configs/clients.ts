/**
 * What differs between the two clients whose MCP configs `vscode.config` and `claude.config`
 * check: the file's shape (VS Code `servers` + `inputs`, Claude Code `mcpServers`), the dialect
 * (VS Code reads JSONC, Claude Code strict JSON), and how each writes a secret by reference.
 */
import { z } from 'zod';

const serverShape = {
  type: z.enum(['stdio', 'http', 'sse'], { error: 'must be "http", "sse" or "stdio"' }).optional(),
  command: z.string({ error: 'must be a string' }).optional(),
  args: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' }).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), { error: 'must be an object of NAME: value' }).optional(),
  url: z.string({ error: 'must be a string' }).optional(),
  headers: z.record(z.string(), z.string({ error: 'header values must be strings' }), { error: 'must be an object of header: value' }).optional(),
};

export const VscodeFileSchema = z
  .object({
    servers: z.record(z.string(), z.looseObject({ ...serverShape, envFile: z.string().optional() }), {
      error: 'must be an object of server name → settings',
    }),
    inputs: z
      .array(
        z.looseObject({
          type: z.string({ error: 'must be a string, e.g. "promptString"' }),
          id: z.string({ error: 'must be a string' }).min(1),
          description: z.string().optional(),
          password: z.boolean({ error: 'must be true or false' }).optional(),
        }),
        { error: 'must be a list of inputs' },
      )
      .optional(),
  })
  .loose();

export const ClaudeFileSchema = z
  .object({
    mcpServers: z.record(z.string(), z.looseObject(serverShape), { error: 'must be an object of server name → settings' }),
  })
  .loose();

export interface ServerEntry {
  type?: 'stdio' | 'http' | 'sse';
  command?: string;
  args?: string[];
  env?: Record<string, unknown>;
  url?: string;
  headers?: Record<string, string>;
}

export interface ClientSpec {
  client: 'vscode' | 'claude';
  id: 'vscode.config' | 'claude.config';
  name: string;
  schema: typeof VscodeFileSchema | typeof ClaudeFileSchema;
  serversKey: 'servers' | 'mcpServers';
  otherKey: 'servers' | 'mcpServers';
  jsonc: boolean;
  /** Who reads the file as strict JSON, for syntax errors (none for a JSONC reader). */
  strictReader?: string;
  /** How to write the key reference in this client, for messages. */
  keyReference: string;
  /** A valid file in one line, for shape errors. */
  shapeExample: string;
  secretAdvice: string;
}

export const VSCODE: ClientSpec = {
  client: 'vscode',
  id: 'vscode.config',
  name: 'VS Code',
  schema: VscodeFileSchema,
  serversKey: 'servers',
  otherKey: 'mcpServers',
  jsonc: true,
  keyReference: 'Bearer ${input:litellm-key}',
  shapeExample:
    '{"servers": {"litellm": {"type": "http", "url": "…/mcp/", "headers": {…}}}, "inputs": [{"type": "promptString", "id": "litellm-key", "password": true}]}',
  secretAdvice:
    'write "Bearer ${input:litellm-key}" and declare {"type": "promptString", "id": "litellm-key", "password": true} under "inputs" (VS Code asks once and keeps it in its secret storage)',
};

export const CLAUDE: ClientSpec = {
  client: 'claude',
  id: 'claude.config',
  name: 'Claude Code',
  schema: ClaudeFileSchema,
  serversKey: 'mcpServers',
  otherKey: 'servers',
  jsonc: false,
  strictReader: 'Claude Code reads .mcp.json as strict JSON',
  keyReference: 'Bearer ${LITELLM_API_KEY}',
  shapeExample: '{"mcpServers": {"litellm": {"type": "http", "url": "…/mcp/", "headers": {…}}}}',
  secretAdvice: 'write "Bearer ${LITELLM_API_KEY}" and set LITELLM_API_KEY in the environment Claude Code starts from',
};

/** How to write a non-header secret (an `env` value, say) by reference in this client. */
export function referenceAdvice(spec: ClientSpec, field: string): string {
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? field : 'NAME';
  return spec.client === 'vscode'
    ? `write "\${input:${name.toLowerCase().replaceAll('_', '-')}}" and declare it under "inputs" as {"type": "promptString", "password": true}`
    : `write "\${${name}}" and set ${name} in the environment Claude Code starts from`;
}
