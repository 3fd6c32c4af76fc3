/**
 * The workspace config schema (`proofbook.config.yaml`).
 *
 * Every field carries a description: it is the reference documentation, and the
 * error messages quote it so a user knows what the field is for when it is wrong.
 */
import { z } from 'zod';
import { compromisedLitellmReason, DEFAULT_LITELLM_VERSION, LITELLM_VERSION_PATTERN } from '../gateway/litellm-releases.ts';

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

export const LabSchema = z
  .object({
    litellmVersion: z
      .string()
      .regex(LITELLM_VERSION_PATTERN, 'use an exact release number X.Y.Z, e.g. "1.77.1"')
      .refine((version) => !compromisedLitellmReason(version), {
        error: (issue) => compromisedLitellmReason(String(issue.input)) ?? 'refused',
      })
      .default(DEFAULT_LITELLM_VERSION)
      .describe(
        'LiteLLM release the lab runs (`npm run lab:up`, `npm run demo`), exactly `X.Y.Z`. Every release installs only from the ' +
          'committed hash lock `lab/requirements/litellm-<version>.txt` (wheels only, `pip install --require-hashes`), into `.venv` ' +
          'for 1.77.1 and `.venv-litellm-<version>` for any other; a release without a lock is an error that says how to make one. ' +
          '1.82.7 and 1.82.8 are refused: they were published to PyPI with a credential-stealing payload.',
      ),
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
    openwebuiPort: z
      .number()
      .int()
      .min(1024)
      .max(65535)
      .optional()
      .describe(
        'Loopback port of the lab\'s Open WebUI (configured from `<gateway folder>/clients/openwebui/.env.example`, its chats through LiteLLM). ' +
          'Omitted: the lab runs no Open WebUI.',
      ),
    filesystemRoot: relativePath('Folder that `mcp_filesystem` may read, created and filled with sample files at lab start.')
      .default('.lab/files'),
    runtimeDir: relativePath('Where the lab keeps pids, logs, data dirs, certificates and generated secrets (git-ignored).')
      .default('.lab'),
  })
  .strict();

/**
 * The gateway's MCP endpoint and servers: facts of the gateway, not of one probe. Every reader
 * goes through `gatewayMcp(config)` (./gateway-mcp.ts); configs that still set them as
 * `probes."mcp.catalog".path`/`servers` are moved here by the loader.
 */
export const GatewayMcpSchema = z
  .object({
    path: z
      .string()
      .startsWith('/')
      .default('/mcp/')
      .describe(
        "Path of the gateway's streamable HTTP MCP endpoint, on every host. Keep the trailing slash: LiteLLM answers `/mcp` with a 307. " +
          'Probes that call or check the endpoint use it unless their own option says otherwise.',
      ),
    servers: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'MCP server names the gateway serves (registered under `mcp_servers` in its config.yaml), sent in the `x-mcp-servers` header; ' +
          'tools from each of them must be listed, and the probes that check a server list expect these unless told otherwise.',
      ),
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

export const LimitationSchema = z
  .object({
    match: z.string().min(3).describe('Text of the runbook sentence that states the limitation, e.g. "catalog only". Case-insensitive.'),
    probes: z
      .array(z.string().min(1))
      .min(1)
      .describe('Probe ids that observe it: when the latest evidence of one says the limitation is no longer observed, `--check` fails on that sentence.'),
    file: z.string().optional().describe('Only in runbooks whose path ends with this, e.g. "litellm/MCP-INTEGRATION-STATUS.md".'),
  })
  .strict();

export const PlanSchema = z
  .object({
    bindings: z
      .array(BindingSchema)
      .default([])
      .describe('Plan items bound to probes by their text (an inline `<!-- proof: id -->` marker in the item does the same).'),
    decisions: z.array(DecisionSchema).default([]).describe('Decision items whose state comes from here rather than from a probe.'),
    limitations: z
      .array(LimitationSchema)
      .default([])
      .describe('Sentences that state a documented limitation, and the probes that observe it (see `known-limitation`).'),
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

export const EvidenceSchema = z
  .object({
    maxRecordedBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024)
      .describe('Most bytes of one response body (or of one stream\'s events) a probe records in its transcript; the rest passes to the probe unrecorded, and the transcript says how much arrived and its sha256.'),
    maxRecordedEvents: z
      .number()
      .int()
      .positive()
      .default(1_000)
      .describe('Most SSE events of one stream a probe records; later ones are counted, not kept (keep-alive pings are always only counted).'),
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

/**
 * The config schema around the probes' options. The config knows no probe: the probes stage
 * passes its own option schemas in (src/probes/config.ts), so loading a config loads no probe.
 */
export function configSchema<Probes extends z.ZodType>(probes: Probes) {
  return z
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
        mcp: GatewayMcpSchema.describe(
          'The MCP endpoint and servers of the gateway. (Configs that set `probes."mcp.catalog".path`/`servers` still load: they are read as these, with a warning saying to move them here.)',
        ),
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
    probes,
    plan: PlanSchema.default({ bindings: [], decisions: [], limitations: [] }).describe('Plan checkboxes and decisions that Proofbook keeps up to date.'),
    site: SiteSchema.default(SiteSchema.parse({})).describe('The published site: staleness, history length, embedded evidence.'),
    lab: LabSchema.default(LabSchema.parse({})).describe('Settings of the built-in local lab (`npm run lab:up`).'),
    check: CheckSchema.default({}).describe('What `refresh-docs --check` requires of success claims beyond matching the evidence.'),
    evidence: EvidenceSchema.default(EvidenceSchema.parse({})).describe('What a probe records of what servers send: bounded, whatever a server sends.'),
  })
  .strict();
}

/** `probes:` as the config alone sees it: options keyed by probe id, checked by the probes stage. */
export const ANY_PROBE_OPTIONS = z.record(z.string(), z.unknown()).default({}).describe('Per-probe options, keyed by probe id.');

/** The schema without the probes' own option schemas. */
export const ConfigSchema = configSchema(ANY_PROBE_OPTIONS);

export type Host = z.infer<typeof HostSchema>;
export type GatewayMcp = z.infer<typeof GatewayMcpSchema>;
export type LabOptions = z.infer<typeof LabSchema>;
export type Binding = z.infer<typeof BindingSchema>;
export type DecisionConfig = z.infer<typeof DecisionSchema>;
/** The parsed config; `Probes` is the type of its `probes:` (the probes stage's options). */
export type RawConfig<Probes = Record<string, unknown>> = Omit<z.infer<typeof ConfigSchema>, 'probes'> & { probes: Probes };
