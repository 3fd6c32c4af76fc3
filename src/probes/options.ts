/**
 * The `probes:` part of proofbook.config.yaml: each probe's options, keyed by probe id.
 * Light: built only from the probes' `options.ts` modules and zod, so the config schema can use it
 * without loading any probe (the probes pull in the MCP SDK, execa, …).
 */
import { z } from 'zod';
import { ClaudeConfigOptionsSchema } from './claude-config/options.ts';
import { CodexConfigOptionsSchema } from './codex-config/options.ts';
import { CodexInvokeOptionsSchema } from './codex-invoke/options.ts';
import { CodexListOptionsSchema } from './codex-list/options.ts';
import { GatewayAuthOptionsSchema } from './gateway-auth/options.ts';
import { GatewayConfigOptionsSchema } from './gateway-config/options.ts';
import { GatewayHealthOptionsSchema } from './gateway-health/options.ts';
import { McpCatalogOptionsSchema } from './mcp-catalog/options.ts';
import { McpInvokeOptionsSchema } from './mcp-invoke/options.ts';
import { OpenWebuiConfigOptionsSchema } from './openwebui-config/options.ts';
import { SecretsAuditOptionsSchema } from './secrets-audit/options.ts';
import { TraefikLabelsOptionsSchema } from './traefik-labels/options.ts';
import { TraefikRoutesOptionsSchema } from './traefik-routes/options.ts';
import { VscodeConfigOptionsSchema } from './vscode-config/options.ts';

export const ProbeOptionsSchema = z
  .object({
    'mcp.catalog': McpCatalogOptionsSchema.describe('Lists the full MCP tool catalog through the gateway.'),
    'traefik.labels': TraefikLabelsOptionsSchema.default(TraefikLabelsOptionsSchema.parse({})).describe(
      'Checks the Traefik labels of gateway.composeFile: a router per host to LiteLLM, entrypoint, TLS, port, network, no secrets.',
    ),
    'traefik.routes': TraefikRoutesOptionsSchema.default(TraefikRoutesOptionsSchema.parse({})).describe(
      'Live: Traefik API routers per host, a real request through each route to LiteLLM, the https certificate (SAN, trust, expiry).',
    ),
    'gateway.health': GatewayHealthOptionsSchema.default(GatewayHealthOptionsSchema.parse({})).describe(
      "Live: LiteLLM's liveliness and readiness through every host, and its version.",
    ),
    'gateway.auth': GatewayAuthOptionsSchema.default(GatewayAuthOptionsSchema.parse({})).describe(
      'Live: no host lists MCP tools with no key or a wrong key; the configured key works.',
    ),
    'mcp.invoke': McpInvokeOptionsSchema.default(McpInvokeOptionsSchema.parse({})).describe(
      'Makes one safe tool call per MCP server through the gateway (official SDK, streamable HTTP) and checks the results.',
    ),
    'gateway.config': GatewayConfigOptionsSchema.default(GatewayConfigOptionsSchema.parse({})).describe(
      "Checks LiteLLM's config.yaml: MCP servers, transports, os.environ references, master key, aliases.",
    ),
    'secrets.audit': SecretsAuditOptionsSchema.default(SecretsAuditOptionsSchema.parse({})).describe(
      'Checks the secrets files without printing values: keys, examples, permissions, git.',
    ),
    'openwebui.config': OpenWebuiConfigOptionsSchema.default(OpenWebuiConfigOptionsSchema.parse({})).describe(
      "Checks Open WebUI's .env (models and MCP tool server on the LAN host, key present, TOOL_SERVER_CONNECTIONS valid JSON) and, with `live`, its admin API; invocation is the documented catalog-only limitation.",
    ),
    'vscode.config': VscodeConfigOptionsSchema.default(VscodeConfigOptionsSchema.parse({})).describe(
      'Checks VS Code MCP configs (.vscode/mcp.json): a server per host at the MCP path, the key as ${input:…}, x-mcp-servers, no inline secret; a Windows credential section in a runbook.',
    ),
    'claude.config': ClaudeConfigOptionsSchema.default(ClaudeConfigOptionsSchema.parse({})).describe(
      'Checks Claude Code MCP configs (.mcp.json): a server per host at the MCP path, the key as ${VAR}, x-mcp-servers, no inline secret; a Windows credential section in a runbook.',
    ),
    'codex.config': CodexConfigOptionsSchema.default(CodexConfigOptionsSchema.parse({})).describe(
      "Checks Codex CLI's config.toml: the gateway entry's url, x-mcp-servers header, key from an env var (never inline), unknown keys, Codex version.",
    ),
    'codex.list': CodexListOptionsSchema.default(CodexListOptionsSchema.parse({})).describe(
      'Runs `codex mcp list --json` / `codex mcp get <server> --json`: the gateway entry as Codex itself reads it.',
    ),
    'codex.invoke': CodexInvokeOptionsSchema.default(CodexInvokeOptionsSchema.parse({})).describe(
      'Runs the real `codex exec --json`: Codex lists the gateway\'s tools and completes one safe MCP tool call through it.',
    ),
  })
  .strict()
  .describe('Per-probe options, keyed by probe id.');

/** Every probe's options, as parsed (defaults filled in). */
export type ProbeOptions = z.infer<typeof ProbeOptionsSchema>;
