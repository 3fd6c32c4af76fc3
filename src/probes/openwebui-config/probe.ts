/**
 * `openwebui.config`: Open WebUI's `.env` against the gateway, and optionally the running Open
 * WebUI's admin API.
 *
 * Static checks (every finding at file:line, JSON errors at file:line:col):
 * - `OPENAI_API_BASE_URLS` (semicolon-separated; wins when set) or `OPENAI_API_BASE_URL` has a URL
 *   on the configured host (`host`, default `lan`) with the host's scheme; the key at the same
 *   position of `OPENAI_API_KEYS` / `OPENAI_API_KEY` is present (shown only as a fingerprint);
 * - `TOOL_SERVER_CONNECTIONS` is valid JSON (Open WebUI reads it with Python's json.loads and
 *   silently starts with no tool servers otherwise) of the expected shape, with a `"type": "mcp"`
 *   connection whose `url` is the gateway's MCP endpoint (Open WebUI connects an MCP server at
 *   `url` alone; `path` only serves OpenAPI servers), authenticated (`auth_type: bearer` + `key`,
 *   or a key header), with `x-mcp-servers` and enabled.
 *
 * Live check (only with `live.url` and an admin token in `live.tokenEnvVar`): GET
 * `/api/v1/configs/tool_servers` must list that MCP connection (the running instance may differ
 * from `.env`: Open WebUI keeps its config in its database after the first start), and POST
 * `/api/v1/configs/tool_servers/verify` with it must list the gateway's tools. Every exchange is
 * recorded in the transcript; the outcome is scrubbed of the keys and the token.
 *
 * Status: `fail` / `warn` from the findings, else `pass`; `skip` when no `envFile` is configured.
 * `facts.clientMatrix` (client `openwebui`, host `host`): config pass/warn/fail; listing pass when
 * the live verify listed tools, skip when not checked live. Invocation is not this probe's to
 * say: `openwebui.invoke` runs a real tool call (and owns the documented `limitation`).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { pathInside } from '../../fs/paths.ts';
import { displayPath, now } from '../kit/checks.ts';
import { endpointFor } from '../kit/client-shared.ts';
import { Findings } from '../kit/findings.ts';
import { findingNote, otherHostCells } from '../kit/matrix-notes.ts';
import { oneHostOnly } from './one-host.ts';
import { readInputText } from '../kit/read-input.ts';
import { statusOf, type Probe, type ProbeContext, type ProbeInput, type ProbeOutcome, type ProbeStatus } from '../types.ts';
import { readEnvEntries, secretValuesOf, type EnvCheck } from './env-file.ts';
import type { OpenWebuiFacts } from './facts.ts';
import { liveCheck } from './live.ts';
import { checkModels } from './models.ts';
import type { OpenWebuiConfigOptions } from './options.ts';
import { checkToolServers } from './tool-servers.ts';

export type { OpenWebuiConnectionFact, OpenWebuiFacts } from './facts.ts';

const ID = 'openwebui.config';

export const openwebuiConfigProbe: Probe<OpenWebuiFacts, OpenWebuiConfigOptions> = {
  id: ID,
  inputs(config: Config, options: OpenWebuiConfigOptions): ProbeInput[] {
    if (!options.envFile) return [];
    // Optional: the lab writes it at start; a missing file is the probe's own finding.
    return [{ file: path.resolve(config.rootDir, options.envFile), format: 'env', optional: true }];
  },
  run: runOpenWebuiConfig,
};

async function runOpenWebuiConfig(context: ProbeContext<OpenWebuiConfigOptions>): Promise<ProbeOutcome<OpenWebuiFacts>> {
  const { config, signal, options } = context;
  const transcript: ProbeOutcome['transcript'] = [];
  const envFile = options.envFile ? path.resolve(config.rootDir, options.envFile) : '';
  const shown = envFile ? displayPath(config.rootDir, envFile) : '';
  const findings = new Findings(shown);
  const gateway = gatewayMcp(config);
  const mcpPath = options.mcpPath ?? gateway.path;
  const knownServers = options.servers ?? gateway.servers;
  // Every field up front, so the JSON keeps a stable, readable order.
  const facts: OpenWebuiFacts = {
    envFile: shown,
    sha256: undefined,
    host: options.host,
    mcpEndpoint: undefined,
    models: undefined,
    toolServers: undefined,
    live: undefined,
    findings: findings.list,
    clientMatrix: [],
  };
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<OpenWebuiFacts> => ({ status, summary, facts, transcript });

  if (!options.envFile) return finish('skip', `no probes."${ID}".envFile in proofbook.config.yaml; no Open WebUI config to check`);
  const host = config.hosts.find((h) => h.name === options.host);
  if (!host) {
    findings.push({
      severity: 'fail',
      code: 'option.unknown-host',
      message: `probes."${ID}".host is "${options.host}", which is not in hosts (${config.hosts.map((h) => h.name).join(', ')}); fix it in proofbook.config.yaml`,
    });
    return finish('fail', findings.summary(''));
  }
  const endpoint = endpointFor(host, mcpPath);
  facts.mcpEndpoint = endpoint;
  if (!config.secretsFiles.includes(envFile)) {
    findings.warn('env.not-a-secrets-file',
      `${shown} holds the gateway key but is not in secretsFiles; add it there so its values are redacted everywhere and secrets.audit checks its mode and git status`);
  }

  // The .env: models and the MCP tool server.
  const { text, error } = await readInputText(envFile, signal);
  if (text === undefined) {
    const lab = config.lab?.runtimeDir && pathInside(config.lab.runtimeDir, envFile) ? ' (`npm run lab:up` writes it for the lab)' : '';
    findings.fail('env.missing',
      `Open WebUI's .env ${error === 'ENOENT' ? 'does not exist' : `cannot be read (${error})`}${lab}; create it or fix probes."${ID}".envFile in proofbook.config.yaml`);
  } else {
    facts.sha256 = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const { entries, get, at } = readEnvEntries(text, findings);
    transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(text), sha256: facts.sha256, keys: entries.map((e) => e.key) });
    for (const entry of entries) context.redactor.add(...secretValuesOf(entry));
    const check: EnvCheck = { context, options, host, endpoint, mcpPath, knownServers, findings, facts, get, at };
    checkModels(check);
    checkToolServers(check);
  }

  // The running Open WebUI.
  const live = new Findings();
  let listing: { status: ProbeStatus; note: string } = {
    status: 'skip',
    note: `not checked: set probes."${ID}".live (url and an admin token) to verify the listing`,
  };
  if (options.live) {
    const result = await liveCheck({
      context,
      access: options.live,
      urlOption: `probes."${ID}".live.url`,
      host,
      ports: options.ports,
      endpoint,
      knownServers,
      transcript,
      findings: live,
    });
    facts.live = result.fact;
    listing = result.listing;
  }
  const staticFindings = findings.list.filter((f) => f.severity !== 'info');
  findings.push(...live.list);

  const firstStatic = staticFindings.find((f) => f.severity === 'fail') ?? staticFindings[0];
  facts.clientMatrix = [
    {
      client: 'openwebui',
      host: host.name,
      aspect: 'config',
      status: statusOf(staticFindings),
      note: firstStatic ? findingNote(firstStatic) : `models and the MCP tool server point at ${host.name} (${endpoint}), with a key`,
    },
    // Unchecked, the listing is openwebui.list's to say (a skip here would hide its pass: the worst wins).
    ...(options.live ? [{ client: 'openwebui', host: host.name, aspect: 'listing' as const, status: listing.status, note: listing.note }] : []),
    ...otherHostCells(context.config.hosts, { client: 'openwebui', checked: host.name, aspects: ['config'], why: (other) => oneHostOnly(host.name, other, shown) }),
  ];
  const status = findings.status();
  if (status !== 'pass') return finish(status, findings.summary(''));
  return finish('pass', passSummary(facts, shown, host.name, endpoint, listing.status));
}

/** What a clean .env (and live listing) amounts to. */
function passSummary(facts: OpenWebuiFacts, shown: string, host: string, endpoint: string, listing: ProbeStatus): string {
  const connection = facts.toolServers?.connections[facts.toolServers.gateway ?? -1];
  const model = facts.models?.urls[facts.models.index ?? -1];
  return (
    `${shown} → ${host}: models via ${model?.origin ?? '?'} (path ${model?.path || '/'}) with a key, ` +
    `MCP tool server${connection?.name ? ` "${connection.name}"` : ''} at ${connection?.url ?? endpoint} (${connection?.auth ?? '?'} auth` +
    `${connection?.mcpServers ? `, x-mcp-servers: ${connection.mcpServers.join(',')}` : ''}); ` +
    `${listing === 'pass' ? `listing verified live (${facts.live?.tools?.length ?? 0} tools)` : 'listing not checked live'}`
  );
}
