/**
 * The workspace config schema (`proofbook.config.yaml`).
 *
 * Every field carries a description: it is the reference documentation, and the
 * error messages quote it so a user knows what the field is for when it is wrong.
 */
import { z } from 'zod';
import { CodexConfigOptionsSchema } from '../probes/codex-config.ts';
import { CodexInvokeOptionsSchema } from '../probes/codex-invoke.ts';
import { CodexListOptionsSchema } from '../probes/codex-list.ts';
import { GatewayAuthOptionsSchema } from '../probes/gateway-auth.ts';
import { GatewayConfigOptionsSchema } from '../probes/gateway-config.ts';
import { GatewayHealthOptionsSchema } from '../probes/gateway-health.ts';
import { McpInvokeOptionsSchema } from '../probes/mcp-invoke.ts';
import { ClaudeConfigOptionsSchema, VscodeConfigOptionsSchema } from '../probes/client-configs.ts';
import { OpenWebuiConfigOptionsSchema } from '../probes/openwebui-config.ts';
import { TraefikRoutesOptionsSchema } from '../probes/traefik-routes.ts';
import { SecretsAuditOptionsSchema } from '../probes/secrets-audit.ts';
import { TraefikLabelsOptionsSchema } from '../probes/traefik-labels.ts';

const relativePath = (what: string) =>
  z.string().min(1).describe(`${what} Relative paths are resolved from the folder that holds proofbook.config.yaml.`);

export const HostSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, 'use lower-case letters, digits, "-" or "_"')
      .describe('Short id of the host, used by probes and in the docs, e.g. "lan" or "external".'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .describe('Base URL of the gateway on this host, e.g. "http://litellm.linuxserver.lan". A port may be given.'),
    resolveTo: z
      .ipv4()
      .optional()
      .describe(
        "Address Proofbook's own HTTP clients connect to for this hostname instead of asking DNS. " +
          'Lets probes reach a host that is not in DNS (the lab uses 127.0.0.1); nothing edits /etc/hosts.',
      ),
    caFile: relativePath('PEM file with an extra CA to trust for this https host (the lab signs its own certificate).')
      .optional(),
  })
  .strict();

/** Transports `mcp.catalog` can list the catalog over. */
export const MCP_CATALOG_TRANSPORTS = ['streamable-http', 'sse'] as const;

export const McpCatalogOptionsSchema = z
  .object({
    host: z.string().default('lan').describe('Name of the host (from `hosts`) whose MCP endpoint is listed.'),
    path: z
      .string()
      .startsWith('/')
      .default('/mcp/')
      .describe('Path of the streamable HTTP MCP endpoint. Keep the trailing slash: LiteLLM answers `/mcp` with a 307.'),
    servers: z
      .array(z.string().min(1))
      .min(1)
      .describe('MCP server names sent in the `x-mcp-servers` header; tools from each of them must be listed.'),
    expectedTools: z
      .record(z.string(), z.array(z.string().min(1)))
      .default({})
      .describe('Per server, tool names (without the `<server>-` prefix) that must appear in the catalog.'),
    timeoutMs: z.number().int().positive().default(30_000).describe('Give up on the probe after this many milliseconds.'),
    transports: z
      .array(z.enum(MCP_CATALOG_TRANSPORTS))
      .min(1)
      .default([...MCP_CATALOG_TRANSPORTS])
      .describe(
        'Transports the catalog is listed over: `streamable-http` at `path`, `sse` (the legacy HTTP+SSE transport: a GET event ' +
          'stream that announces a POST `endpoint`) at `ssePath`. The first one that lists tools provides the catalog; the others ' +
          'must list the same. LiteLLM 1.77.x does not serve the legacy SSE transport: `sse` then warns with the reason.',
      ),
    ssePath: z
      .string()
      .startsWith('/')
      .default('/mcp/sse')
      .describe('Path of the legacy SSE MCP endpoint (the GET event stream), used when `transports` includes `sse`.'),
    streamWaitMs: z
      .number()
      .int()
      .positive()
      .default(20_000)
      .describe(
        'How long an SSE stream that should carry MCP messages may send nothing but keep-alive pings before the transport counts ' +
          'as stuck. Longer than the gateway\'s ping interval (LiteLLM: 15 s), so the evidence shows the pings.',
      ),
    pingLimit: z
      .number()
      .int()
      .positive()
      .default(3)
      .describe('A stream that sends this many keep-alive pings and no MCP message counts as stuck before `streamWaitMs`.'),
  })
  .strict();

export const LabSchema = z
  .object({
    litellmPort: z
      .number()
      .int()
      .min(1024)
      .max(65535)
      .default(4000)
      .describe('Loopback port LiteLLM listens on; the compose file\'s `loadbalancer.server.port` label must match it.'),
    traefikApiPort: z
      .number()
      .int()
      .min(1024)
      .max(65535)
      .default(18090)
      .describe('Loopback port of the Traefik API (`/api/http/routers`).'),
    filesystemRoot: relativePath('Folder that `mcp_filesystem` may read, created and filled with sample files at lab start.')
      .default('.lab/files'),
    runtimeDir: relativePath('Where the lab keeps pids, logs, data dirs, certificates and generated secrets (git-ignored).')
      .default('.lab'),
  })
  .strict();

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');

export const BindingSchema = z
  .object({
    match: z.string().min(3).describe('Text a plan item (or table row) contains, e.g. "Inspect Traefik labels". Case-insensitive.'),
    probes: z.array(z.string().min(1)).min(1).describe('Probe ids whose evidence decides the item; the worst status wins.'),
    file: z.string().optional().describe('Only bind in runbooks whose path ends with this, e.g. "litellm/CODEXMCP.md".'),
  })
  .strict();

export const DecisionSchema = z
  .object({
    match: z.string().min(3).describe('Text the decision item contains, e.g. "scoped API key".'),
    state: z.enum(['pending', 'approved', 'done', 'rejected']).describe('Where the decision stands.'),
    owner: z.string().optional().describe('Who owns the decision, e.g. "network team".'),
    date: dateString.optional().describe('When it reached this state (YYYY-MM-DD).'),
    note: z.string().optional().describe('One line shown with the status.'),
  })
  .strict();

export const PlanSchema = z
  .object({
    bindings: z
      .array(BindingSchema)
      .default([])
      .describe('Plan items bound to probes by their text (an inline `<!-- proof: id -->` marker in the item does the same).'),
    decisions: z.array(DecisionSchema).default([]).describe('Decision items whose state comes from here rather than from a probe.'),
  })
  .strict();

export const SiteSchema = z
  .object({
    maxAgeHours: z.number().positive().default(24).describe('After this many hours without a run, the status dashboard shows a probe as stale.'),
    historyRuns: z.number().int().min(1).max(200).default(20).describe('How many of the latest runs the status dashboard draws per probe.'),
    evidence: z
      .object({
        maxLines: z.number().int().positive().default(200).describe('An evidence file embedded in a page shows at most this many lines; the rest is a link to the full file.'),
        maxBytes: z.number().int().positive().default(65_536).describe('…and at most this many bytes.'),
      })
      .strict()
      .default({ maxLines: 200, maxBytes: 65_536 })
      .describe('How much of an evidence file a runbook page embeds.'),
  })
  .strict();

export const CheckSchema = z
  .object({
    maxAgeHours: z
      .number()
      .min(0)
      .optional()
      .describe(
        'How many hours after its latest run the evidence behind a success claim of a bound item (✅, [x], Completed, Verified) ' +
          'still counts: older evidence fails `refresh-docs --check` as stale. Default: `site.maxAgeHours`. 0 turns the age check ' +
          'off. Set it above the interval of your scheduled live refresh.',
      ),
  })
  .strict();

export const ConfigSchema = z
  .object({
    runbooks: z
      .array(relativePath('A folder of Markdown runbooks.'))
      .min(1)
      .default(['content'])
      .describe('Folders of Markdown runbooks whose `proofbook:start` regions are rewritten and which the site publishes.'),
    evaluationDir: relativePath('Folder where each probe run writes its dated, redacted evidence.').default('evaluation'),
    gateway: z
      .object({
        configFile: relativePath("LiteLLM's `config.yaml` (it registers the MCP servers)."),
        composeFile: relativePath('The docker-compose file whose Traefik labels route both hosts to LiteLLM.'),
        keyEnvVar: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/, 'use an environment variable name such as LITELLM_MASTER_KEY')
          .default('LITELLM_MASTER_KEY')
          .describe('Environment variable that holds the gateway key. Read from the environment first, then from `secretsFiles`.'),
      })
      .strict()
      .describe('The LiteLLM gateway being documented.'),
    secretsFiles: z
      .array(relativePath('A `.env` file with secrets.'))
      .default([])
      .describe('`.env` files with secrets. Every value in them is redacted from evidence, docs, the site and the console.'),
    hosts: z
      .array(HostSchema)
      .min(1)
      .describe('The hostnames the gateway is served on, e.g. a LAN host over http and an external host over https.'),
    probes: z
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
      .describe('Per-probe options, keyed by probe id.'),
    plan: PlanSchema.default({ bindings: [], decisions: [] }).describe('Plan checkboxes and decisions that Proofbook keeps up to date.'),
    site: SiteSchema.default(SiteSchema.parse({})).describe('The published site: staleness, history length, embedded evidence.'),
    lab: LabSchema.default(LabSchema.parse({})).describe('Settings of the built-in local lab (`npm run lab:up`).'),
    check: CheckSchema.default({}).describe('What `refresh-docs --check` requires of success claims beyond matching the evidence.'),
  })
  .strict();

export type Host = z.infer<typeof HostSchema>;
export type McpCatalogOptions = z.infer<typeof McpCatalogOptionsSchema>;
export type LabOptions = z.infer<typeof LabSchema>;
export type Binding = z.infer<typeof BindingSchema>;
export type DecisionConfig = z.infer<typeof DecisionSchema>;
export type RawConfig = z.infer<typeof ConfigSchema>;
