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
 * Status: `fail` / `warn` from the findings; otherwise `known-limitation`: Open WebUI lists the
 * gateway's MCP catalog, but tool calls through the LiteLLM gateway are not supported in this
 * setup ("catalog only", see `limitation`). `skip` when no `envFile` is configured.
 * `facts.clientMatrix` (client `openwebui`, host `host`): config pass/warn/fail; listing pass when
 * the live verify listed tools, skip when not checked live; invocation `known-limitation`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Host } from '../../config/schema.ts';
import { locate, pathText, scanJson } from '../../formats/json.ts';
import { jsonFindingError } from '../../formats/json-errors.ts';
import { dotenvValuePosition, parseDotenv, type DotenvEntry } from '../../formats/dotenv.ts';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { Redactor } from '../../secrets/redactor.ts';
import {
  endpointFor,
  isCredentialHeader,
  KEY_HEADERS,
  matchHost,
  safeUrl,
} from '../kit/client-shared.ts';
import { bodyReason, errorText, requestSignal } from '../kit/live-http.ts';
import { recordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import { OpenWebuiConfigOptionsSchema, type OpenWebuiConfigOptions } from './options.ts';
import { displayPath, fingerprint, now, scrub, summarizeFindings } from '../kit/checks.ts';
import {
  statusOf,
  type ClientMatrixCell,
  type Finding,
  type Probe,
  type ProbeContext,
  type ProbeInput,
  type ProbeOutcome,
  type ProbeStatus,
  type TranscriptEntry,
} from '../types.ts';

const ConnectionSchema = z.looseObject({
  url: z.string({ error: 'must be a string: the MCP endpoint, e.g. "http://litellm.linuxserver.lan/mcp/"' }),
  path: z.string({ error: 'must be a string' }).optional(),
  type: z.string({ error: 'must be "mcp" or "openapi"' }).optional(),
  auth_type: z.string({ error: 'must be a string such as "bearer"' }).nullish(),
  key: z.string({ error: 'must be a string' }).nullish(),
  headers: z.union([z.record(z.string(), z.string()), z.string()], { error: 'must be an object of header: value' }).nullish(),
  config: z.looseObject({ enable: z.boolean({ error: 'must be true or false' }).optional() }).nullish(),
  info: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).nullish(),
});
const ConnectionsSchema = z.array(ConnectionSchema, { error: 'must be a JSON list of connections: [{"type": "mcp", "url": …}]' });
type Connection = z.infer<typeof ConnectionSchema>;

// ---------------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------------

export interface OpenWebuiConnectionFact {
  index: number;
  type: string;
  /** scheme://host[:port]/path of `url`. */
  url?: string;
  /** The configured host it points at. */
  host?: string;
  authType: string;
  /** How the key is sent: `bearer` (auth_type + key), `header` (Authorization / x-litellm-api-key), or `none`. */
  auth: 'bearer' | 'header' | 'none';
  keyFingerprint?: string;
  headers: string[];
  mcpServers?: string[];
  enabled: boolean;
  id?: string;
  name?: string;
}

export interface OpenWebuiFacts {
  envFile: string;
  sha256?: string;
  host: string;
  mcpEndpoint?: string;
  models?: {
    variable: 'OPENAI_API_BASE_URLS' | 'OPENAI_API_BASE_URL';
    line: number;
    /** Origin and path of each URL (the whole value is never shown). */
    urls: { origin: string; path: string; host?: string }[];
    /** Position of the gateway's URL in the list. */
    index?: number;
    key: { variable?: string; line?: number; present: boolean; fingerprint?: string; gatewayKey?: boolean };
  };
  toolServers?: { line: number; connections: OpenWebuiConnectionFact[]; gateway?: number };
  live?: {
    url: string;
    checked: boolean;
    /** Why it was not checked, or what failed. */
    reason?: string;
    listed?: boolean;
    verified?: boolean;
    tools?: string[];
    toolsPerServer?: Record<string, number>;
  };
  limitation: string;
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}

// ---------------------------------------------------------------------------------------------
// The probe
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = /^(<.*>|\$\{.*\}|changeme|change-me|your[-_ ].*|x{4,}|\.\.\.|sk-\.\.\.|sk-<.*>)$/i;

function readOptions(config: Config): OpenWebuiConfigOptions {
  return OpenWebuiConfigOptionsSchema.parse((config.probes as Record<string, unknown>)['openwebui.config'] ?? {});
}

export const openwebuiConfigProbe: Probe<OpenWebuiFacts> = {
  id: 'openwebui.config',
  inputs(config: Config): ProbeInput[] {
    const parsed = OpenWebuiConfigOptionsSchema.safeParse((config.probes as Record<string, unknown>)['openwebui.config'] ?? {});
    if (!parsed.success || !parsed.data.envFile) return [];
    // Optional: the lab writes it at start; a missing file is the probe's own finding.
    return [{ file: path.resolve(config.rootDir, parsed.data.envFile), format: 'env', optional: true }];
  },
  async run(context: ProbeContext): Promise<ProbeOutcome<OpenWebuiFacts>> {
    const { config, signal } = context;
    const opts = readOptions(config);
    const findings: Finding[] = [];
    const transcript: TranscriptEntry[] = [];
    const secrets: string[] = [];
    const liveFindings = new Set<Finding>();
    const show = (file: string) => displayPath(config.rootDir, file);
    const envFile = opts.envFile ? path.resolve(config.rootDir, opts.envFile) : '';
    const shown = envFile ? show(envFile) : '';
    const gateway = gatewayMcp(config);
    const mcpPath = opts.mcpPath ?? gateway.path;
    const knownServers = opts.servers ?? gateway.servers;
    // Every field up front, so the JSON keeps a stable, readable order.
    const facts: OpenWebuiFacts = {
      envFile: shown,
      sha256: undefined,
      host: opts.host,
      mcpEndpoint: undefined,
      models: undefined,
      toolServers: undefined,
      live: undefined,
      limitation: opts.limitation,
      findings,
      clientMatrix: [],
    };
    const finish = (status: ProbeStatus, summary: string): ProbeOutcome<OpenWebuiFacts> =>
      scrub({ status, summary, facts, transcript }, new Redactor([...context.secrets.map((e) => e.value), ...secrets]));
    const add = (severity: Finding['severity'], code: string, at: { line?: number; column?: number } | undefined, message: string) => {
      const finding: Finding = { severity, code, file: shown, ...(at?.line ? { line: at.line, ...(at.column ? { column: at.column } : {}) } : {}), message };
      findings.push(finding);
      return finding;
    };

    if (!opts.envFile) return finish('skip', 'no probes."openwebui.config".envFile in proofbook.config.yaml; no Open WebUI config to check');
    const host = config.hosts.find((h) => h.name === opts.host);
    if (!host) {
      add('fail', 'option.unknown-host', undefined,
        `probes."openwebui.config".host is "${opts.host}", which is not in hosts (${config.hosts.map((h) => h.name).join(', ')}); fix it in proofbook.config.yaml`);
      delete findings[0]!.file;
      return finish('fail', summarizeFindings(findings, ''));
    }
    const endpoint = endpointFor(host, mcpPath);
    facts.mcpEndpoint = endpoint;
    const hostUrl = new URL(host.url);
    const modelsExample = `${hostUrl.protocol}//${hostUrl.host}/v1`;
    if (!config.secretsFiles.includes(envFile)) {
      add('warn', 'env.not-a-secrets-file', undefined,
        `${shown} holds the gateway key but is not in secretsFiles; add it there so its values are redacted everywhere and secrets.audit checks its mode and git status`);
    }

    // ---- the .env ------------------------------------------------------------------------
    let text: string | undefined;
    try {
      text = await readFile(envFile, { encoding: 'utf8', signal });
    } catch (error) {
      signal.throwIfAborted();
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      const lab = isInside(config.lab?.runtimeDir, envFile) ? ' (`npm run lab:up` writes it for the lab)' : '';
      add('fail', 'env.missing', undefined,
        `Open WebUI's .env ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}${lab}; create it or fix probes."openwebui.config".envFile in proofbook.config.yaml`);
    }

    if (text !== undefined) {
      facts.sha256 = createHash('sha256').update(text).digest('hex').slice(0, 16);
      const { entries, problems } = parseDotenv(text);
      transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(text), sha256: facts.sha256, keys: entries.map((e) => e.key) });
      for (const entry of entries) secrets.push(...secretValuesOf(entry));
      for (const problem of problems) {
        add('fail', 'env.syntax', problem, `${problem.message}; Open WebUI cannot read this line either (its text is not shown: it may hold a secret)`);
      }
      const byKey = new Map<string, DotenvEntry[]>();
      for (const entry of entries) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
      for (const [key, list] of byKey) {
        if (list.length > 1) add('warn', 'env.duplicate', { line: list[1]!.line }, `${key} is set more than once (lines ${list.map((e) => e.line).join(', ')}); the last one wins. Keep one`);
      }
      const get = (key: string) => byKey.get(key)?.at(-1);
      const column = (entry: DotenvEntry, index: number) => dotenvValuePosition(text!, entry, index);

      // Models: OPENAI_API_BASE_URL(S) and the key at the same position.
      const urlsEntry = get('OPENAI_API_BASE_URLS')?.value.trim() ? get('OPENAI_API_BASE_URLS') : undefined;
      const urlEntry = get('OPENAI_API_BASE_URL')?.value.trim() ? get('OPENAI_API_BASE_URL') : undefined;
      const enabled = get('ENABLE_OPENAI_API');
      if (enabled && /^(false|0|no|off)$/i.test(enabled.value.trim())) {
        add('warn', 'models.disabled', { line: enabled.line }, 'ENABLE_OPENAI_API is off, so Open WebUI offers no model through the gateway; set ENABLE_OPENAI_API=True');
      }
      const base = urlsEntry ?? urlEntry;
      if (!base) {
        add('fail', 'models.base-url-missing', undefined,
          `neither OPENAI_API_BASE_URL nor OPENAI_API_BASE_URLS is set, so Open WebUI sends chats to api.openai.com instead of the gateway; add OPENAI_API_BASE_URL=${modelsExample}`);
      } else {
        const variable = urlsEntry ? 'OPENAI_API_BASE_URLS' : 'OPENAI_API_BASE_URL';
        if (urlsEntry && urlEntry && urlEntry.value.trim() !== urlsEntry.value.trim()) {
          add('warn', 'models.base-url-ignored', { line: urlEntry.line }, 'OPENAI_API_BASE_URL is ignored because OPENAI_API_BASE_URLS is set; remove one of them');
        }
        const parts = splitList(base);
        const urls: NonNullable<OpenWebuiFacts['models']>['urls'] = [];
        let index: number | undefined;
        let schemeMiss: number | undefined;
        parts.forEach((part, i) => {
          let url: URL;
          try {
            url = new URL(part.text);
          } catch {
            add('fail', 'models.bad-url', column(base, part.start), `${variable}${parts.length > 1 ? ` (entry ${i + 1})` : ''} is not a URL; use ${modelsExample}`);
            urls.push({ origin: '(not a URL)', path: '' });
            return;
          }
          const match = matchHost(url, config.hosts, opts.ports);
          urls.push({ origin: `${url.protocol}//${url.host}`, path: url.pathname, ...(match.host && !match.schemeMismatch ? { host: match.host.name } : {}) });
          if (match.host?.name === host.name && match.schemeMismatch) schemeMiss ??= i;
          else if (match.host?.name === host.name && index === undefined) {
            index = i;
            if (match.portMismatch) add('fail', 'models.port', column(base, part.start), `${variable} uses port ${url.port || 'default'} but the ${host.name} host is ${host.url}; use ${modelsExample}`);
            if (!['', '/', '/v1', '/v1/'].includes(url.pathname)) {
              add('warn', 'models.path', column(base, part.start), `${variable} has path ${url.pathname}; LiteLLM serves the OpenAI API at / and /v1. Use ${modelsExample}`);
            }
          }
        });
        const keysEntry = get('OPENAI_API_KEYS')?.value.trim() ? get('OPENAI_API_KEYS') : get('OPENAI_API_KEY');
        const models: NonNullable<OpenWebuiFacts['models']> = { variable, line: base.line, urls, key: { present: false } };
        facts.models = models;
        if (index === undefined) {
          if (schemeMiss !== undefined) {
            add('fail', 'models.scheme', column(base, parts[schemeMiss]!.start),
              `${variable} reaches the ${host.name} host over ${urls[schemeMiss]!.origin.split(':')[0]} but it is served over ${hostUrl.protocol.replace(':', '')} (hosts: ${host.url}); use ${modelsExample}`);
          } else {
            const shownUrls = urls.map((u) => u.origin).join(', ');
            add('fail', 'models.elsewhere', column(base, parts[0]?.start ?? 0),
              `${variable} points at ${shownUrls}, not the gateway's ${host.name} host (${host.url}), so Open WebUI's models bypass LiteLLM and its routing; ` +
                (urlsEntry ? `add ${modelsExample} to the list (and its key at the same position in OPENAI_API_KEYS)` : `set ${variable}=${modelsExample}`));
          }
        } else {
          models.index = index;
          const keys = keysEntry ? splitList(keysEntry) : [];
          const key = keys.length === 1 ? keys[0] : keys[index];
          const keyVariable = keysEntry?.key;
          if (!keysEntry || !key || !key.text) {
            add('fail', 'models.key-missing', { line: keysEntry?.line ?? base.line },
              `no key for the gateway's URL (${variable}${parts.length > 1 ? ` entry ${index + 1}` : ''}): set ${urlsEntry ? 'OPENAI_API_KEYS (same position)' : 'OPENAI_API_KEY'} to a LiteLLM key; LiteLLM rejects requests without one`);
          } else if (PLACEHOLDER.test(key.text)) {
            models.key = { variable: keyVariable, line: keysEntry.line, present: false };
            add('fail', 'models.key-placeholder', column(keysEntry, key.start), `${keyVariable} still holds a placeholder; put the real LiteLLM key in this (git-ignored) .env`);
          } else {
            secrets.push(key.text);
            const gatewayKey = gatewayKeyOf(context);
            models.key = { variable: keyVariable, line: keysEntry.line, present: true, fingerprint: fingerprint(key.text, config.rootDir), gatewayKey: gatewayKey === key.text };
            if (gatewayKey === key.text) {
              add('info', 'models.master-key', { line: keysEntry.line },
                `${keyVariable} is the gateway's master key (${config.gateway.keyEnvVar}); issue Open WebUI its own scoped key once that decision is approved`);
            }
          }
        }
      }

      // MCP tool server: TOOL_SERVER_CONNECTIONS.
      const tools = get('TOOL_SERVER_CONNECTIONS');
      const example =
        `TOOL_SERVER_CONNECTIONS='[{"type": "mcp", "url": "${endpoint}", "path": "", "auth_type": "bearer", "key": "<LiteLLM key>", ` +
        `"headers": {"x-mcp-servers": "${knownServers.join(',') || 'mcp_postgres,mcp_filesystem'}"}, "config": {"enable": true}, "info": {"id": "litellm", "name": "LiteLLM MCP"}}]'`;
      if (!tools || !tools.value.trim()) {
        add('fail', 'tools.missing', tools ? { line: tools.line } : undefined, `TOOL_SERVER_CONNECTIONS is not set, so Open WebUI has no MCP tool server for the gateway; add ${example}`);
      } else {
        const parsed = scanJson(tools.value);
        if (parsed.error || !parsed.root) {
          const problem = jsonFindingError(parsed.error!, "Open WebUI reads it with Python's json.loads");
          const at = column(tools, problem.offset);
          add('fail', 'tools.json', at,
            `TOOL_SERVER_CONNECTIONS is not valid JSON: ${problem.message} (column ${problem.offset + 1} of the value); ` +
              'Open WebUI logs the error and starts with no tool servers. Fix the JSON (`python3 -m json.tool` checks it)');
        } else {
          const root = parsed.root;
          const at = (jsonPath: readonly PropertyKey[]) => column(tools, locate(root, jsonPath).offset);
          const shape = ConnectionsSchema.safeParse(parsed.value);
          if (!shape.success) {
            for (const issue of shape.error.issues.slice(0, 10)) {
              const missing = locate(root, issue.path).exact === false;
              add('fail', 'tools.shape', at(issue.path),
                `TOOL_SERVER_CONNECTIONS${issue.path.length ? ` ${pathText(issue.path)}` : ''} ${missing ? 'is missing' : issue.message}; Open WebUI expects [{"type": "mcp", "url": …, "auth_type": "bearer", "key": …}]`);
            }
          } else {
            const connections = shape.data;
            const list: OpenWebuiConnectionFact[] = connections.map((c, i) => connectionFact(c, i, config.hosts, opts.ports, config.rootDir));
            facts.toolServers = { line: tools.line, connections: list };
            for (const c of connections) if (c.key) secrets.push(c.key);
            for (const c of connections) secrets.push(...credentialValues(c));
            const onHost = list.filter((c) => c.host === host.name);
            const chosen = onHost.find((c) => c.type === 'mcp');
            if (!chosen) {
              const wrongType = onHost[0];
              const schemeMiss = connections.findIndex((c) => {
                const u = tryUrl(c.url);
                return u && matchHost(u, [host], opts.ports).schemeMismatch;
              });
              if (wrongType) {
                add('fail', 'tools.type', at([wrongType.index, connections[wrongType.index]!.type === undefined ? 'url' : 'type']),
                  `TOOL_SERVER_CONNECTIONS[${wrongType.index}] points at the gateway but is ${connections[wrongType.index]!.type === undefined ? 'untyped, so Open WebUI treats it as' : 'typed'} an OpenAPI server; ` +
                    'LiteLLM\'s endpoint speaks MCP: set "type": "mcp" (Open WebUI 0.6.31 or later)');
              } else if (schemeMiss >= 0) {
                add('fail', 'tools.scheme', at([schemeMiss, 'url']),
                  `TOOL_SERVER_CONNECTIONS[${schemeMiss}].url uses the wrong scheme for the ${host.name} host (hosts: ${host.url}); use ${endpoint}`);
              } else {
                const elsewhere = list.filter((c) => c.type === 'mcp').map((c) => c.url ?? '?');
                add('fail', 'tools.no-gateway', { line: tools.line },
                  `TOOL_SERVER_CONNECTIONS has no "type": "mcp" connection to the gateway's ${host.name} host${elsewhere.length ? ` (MCP connections point at ${elsewhere.join(', ')})` : ''}; add ${example}`);
              }
            } else {
              facts.toolServers.gateway = chosen.index;
              const c = connections[chosen.index]!;
              const url = new URL(c.url);
              const where = `TOOL_SERVER_CONNECTIONS[${chosen.index}]`;
              if (matchHost(url, [host], opts.ports).portMismatch) {
                add('fail', 'tools.port', at([chosen.index, 'url']), `${where}.url uses port ${url.port || 'default'} but the ${host.name} host is ${host.url}; use ${endpoint}`);
              }
              const slashless = mcpPath.replace(/\/$/, '');
              if (url.pathname !== mcpPath) {
                const joined = `${url.pathname.replace(/\/$/, '')}/${(c.path ?? '').replace(/^\//, '')}`;
                if ((url.pathname === '/' || url.pathname === '') && (joined === mcpPath || joined === slashless)) {
                  add('fail', 'tools.path-ignored', at([chosen.index, 'url']),
                    `${where}.url has no path and "path" is ${JSON.stringify(c.path)}: for an MCP server Open WebUI connects to "url" alone ("path" only serves OpenAPI servers). Set "url": "${endpoint}"`);
                } else if (url.pathname === slashless) {
                  add('warn', 'tools.path-slash', at([chosen.index, 'url']), `${where}.url has no trailing slash; LiteLLM answers ${slashless} with a 307 redirect. Use ${endpoint}`);
                } else if (!(mcpPath.endsWith('/') && url.pathname.startsWith(mcpPath))) {
                  add('fail', 'tools.path', at([chosen.index, 'url']), `${where}.url has path ${url.pathname} but the gateway's MCP endpoint is ${mcpPath}; use ${endpoint}`);
                }
              }
              const authType = (c.auth_type ?? 'none').toLowerCase();
              if (authType === 'bearer') {
                if (!c.key?.trim()) add('fail', 'tools.key-missing', at([chosen.index, 'key']), `${where} has "auth_type": "bearer" but no "key"; set "key" to a LiteLLM key`);
                else if (PLACEHOLDER.test(c.key.trim())) add('fail', 'tools.key-placeholder', at([chosen.index, 'key']), `${where}.key still holds a placeholder; put the real LiteLLM key in this (git-ignored) .env`);
              } else if (authType === 'session' || authType.includes('oauth')) {
                add('fail', 'tools.auth-unsupported', at([chosen.index, 'auth_type']),
                  `${where} has "auth_type": "${c.auth_type}", which sends an Open WebUI token that LiteLLM does not accept; use "auth_type": "bearer" with a LiteLLM key`);
              } else if (chosen.auth === 'none') {
                add('fail', 'tools.auth-missing', at([chosen.index, c.auth_type === undefined ? 'url' : 'auth_type']),
                  `${where} sends no key (auth_type "${c.auth_type ?? 'none'}", no Authorization or x-litellm-api-key header); LiteLLM rejects MCP requests without one. Set "auth_type": "bearer" and "key"`);
              }
              if (typeof c.headers === 'string') {
                add('warn', 'tools.headers-string', at([chosen.index, 'headers']), `${where}.headers is a string; write it as a JSON object, e.g. {"x-mcp-servers": "${knownServers.join(',')}"}`);
              }
              if (!chosen.mcpServers) {
                add('warn', 'tools.servers-header', at([chosen.index, c.headers ? 'headers' : 'url']),
                  `${where} sends no x-mcp-servers header, so LiteLLM lists every server the key may use; add "headers": {"x-mcp-servers": "${knownServers.join(',') || 'mcp_postgres,mcp_filesystem'}"}`);
              } else {
                const unknown = chosen.mcpServers.filter((s) => knownServers.length && !knownServers.includes(s));
                if (unknown.length) {
                  add('warn', 'tools.servers-unknown', at([chosen.index, 'headers']),
                    `${where} x-mcp-servers names ${unknown.map((s) => `"${s}"`).join(', ')}, which the gateway does not register (known: ${knownServers.join(', ')}); fix the name`);
                }
              }
              if (!chosen.enabled) add('warn', 'tools.disabled', at([chosen.index, 'config']), `${where} is disabled ("config": {"enable": false}); set it to true`);
            }
          }
        }
      }
    }

    // ---- live: the running Open WebUI ------------------------------------------------------
    let listing: { status: ProbeStatus; note: string } = {
      status: 'skip',
      note: 'not checked: set probes."openwebui.config".live (url and an admin token) to verify the listing',
    };
    if (opts.live) {
      const result = await liveCheck(context, opts, host, endpoint, knownServers, secrets, transcript, (severity, code, message) => {
        const finding: Finding = { severity, code, message };
        findings.push(finding);
        liveFindings.add(finding);
      });
      facts.live = result.fact;
      listing = result.listing;
    }

    // ---- status, summary, matrix ---------------------------------------------------------
    const staticFindings = findings.filter((f) => !liveFindings.has(f) && f.severity !== 'info');
    const configStatus = statusOf(staticFindings);
    const firstStatic = staticFindings.find((f) => f.severity === 'fail') ?? staticFindings[0];
    facts.clientMatrix = [
      {
        client: 'openwebui',
        host: host.name,
        aspect: 'config',
        status: configStatus,
        note: firstStatic ? noteOf(firstStatic) : `models and the MCP tool server point at ${host.name} (${endpoint}), with a key`,
      },
      { client: 'openwebui', host: host.name, aspect: 'listing', status: listing.status, note: listing.note },
      { client: 'openwebui', host: host.name, aspect: 'invocation', status: 'known-limitation', note: opts.limitation },
    ];
    const status = statusOf(findings);
    if (status !== 'pass') return finish(status, `${summarizeFindings(findings, '')} (invocation: known limitation)`);
    const connection = facts.toolServers?.connections[facts.toolServers.gateway ?? -1];
    const model = facts.models?.urls[facts.models.index ?? -1];
    const summary =
      `${shown} → ${host.name}: models via ${model?.origin ?? '?'} (path ${model?.path || '/'}) with a key, ` +
      `MCP tool server${connection?.name ? ` "${connection.name}"` : ''} at ${connection?.url ?? endpoint} (${connection?.auth ?? '?'} auth` +
      `${connection?.mcpServers ? `, x-mcp-servers: ${connection.mcpServers.join(',')}` : ''}); ` +
      `${listing.status === 'pass' ? `listing verified live (${facts.live?.tools?.length ?? 0} tools)` : 'listing not checked live'}. ` +
      `Known limitation: ${opts.limitation}`;
    return finish('known-limitation', summary);
  },
};

/** The live check against Open WebUI's admin API. */
async function liveCheck(
  context: ProbeContext,
  opts: OpenWebuiConfigOptions,
  host: Host,
  endpoint: string,
  knownServers: string[],
  secrets: string[],
  transcript: TranscriptEntry[],
  report: (severity: Finding['severity'], code: string, message: string) => void,
): Promise<{ fact: NonNullable<OpenWebuiFacts['live']>; listing: { status: ProbeStatus; note: string } }> {
  const live = opts.live!;
  const base = live.url.replace(/\/+$/, '');
  const fact: NonNullable<OpenWebuiFacts['live']> = { url: base, checked: false };
  const token = process.env[live.tokenEnvVar] || context.secrets.findLast((e) => e.key === live.tokenEnvVar)?.value || '';
  if (!token) {
    fact.reason = `${live.tokenEnvVar} is not set`;
    report('warn', 'live.no-token', `live check not run: set ${live.tokenEnvVar} to an Open WebUI admin's API key (Settings → Account → API keys) in the environment or a secrets file`);
    return { fact, listing: { status: 'skip', note: `not checked: ${live.tokenEnvVar} is not set` } };
  }
  secrets.push(token);
  const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
  const fail = (code: string, message: string) => {
    fact.reason = message;
    report('fail', code, message);
    return { fact, listing: { status: 'fail' as ProbeStatus, note: message } };
  };
  const request = async (method: 'GET' | 'POST', route: string, body?: unknown) => {
    const response = await recorder.fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: requestSignal(context, live.requestTimeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  };
  try {
    fact.checked = true;
    let listed;
    try {
      listed = await request('GET', '/api/v1/configs/tool_servers');
    } catch (error) {
      context.signal.throwIfAborted();
      return fail('live.unreachable', `cannot reach Open WebUI at ${base} (${errorText(error)}); check probes."openwebui.config".live.url`);
    }
    if (listed.status === 401 || listed.status === 403) {
      return fail('live.unauthorized', `Open WebUI answered HTTP ${listed.status} to GET /api/v1/configs/tool_servers: ${live.tokenEnvVar} is not an admin's valid API key (API keys need ENABLE_API_KEY=True)`);
    }
    const connections = (listed.json as { TOOL_SERVER_CONNECTIONS?: unknown } | undefined)?.TOOL_SERVER_CONNECTIONS;
    if (listed.status !== 200 || !Array.isArray(connections)) {
      return fail('live.bad-answer', `GET /api/v1/configs/tool_servers answered HTTP ${listed.status}${bodyReason(listed.text) ? ` (${bodyReason(listed.text)})` : ''} without a TOOL_SERVER_CONNECTIONS list; is ${base} Open WebUI 0.6.31 or later?`);
    }
    for (const c of connections as Connection[]) {
      if (c && typeof c.key === 'string') secrets.push(c.key);
      if (c) secrets.push(...credentialValues(c));
    }
    const liveConnection = (connections as Connection[]).find((c) => {
      const url = c && typeof c.url === 'string' ? tryUrl(c.url) : undefined;
      const match = url ? matchHost(url, [host], opts.ports) : {};
      return c?.type === 'mcp' && match.host && !match.schemeMismatch && !match.portMismatch;
    });
    fact.listed = !!liveConnection;
    if (!liveConnection) {
      return fail('live.not-configured',
        `the running Open WebUI has no "type": "mcp" tool server for ${endpoint} (it lists ${connections.length} connection(s)). After its first start Open WebUI keeps ` +
          'TOOL_SERVER_CONNECTIONS in its database and ignores the .env: add the connection under Admin Settings → External Tools, or start it with ENABLE_PERSISTENT_CONFIG=False');
    }
    let verified;
    try {
      verified = await request('POST', '/api/v1/configs/tool_servers/verify', liveConnection);
    } catch (error) {
      context.signal.throwIfAborted();
      return fail('live.unreachable', `POST /api/v1/configs/tool_servers/verify failed (${errorText(error)})`);
    }
    const answer = verified.json as { status?: unknown; specs?: unknown } | undefined;
    if (verified.status !== 200 || answer?.status !== true) {
      const reason = bodyReason(verified.text) ?? `HTTP ${verified.status}`;
      return fail('live.verify-failed',
        `Open WebUI could not list the gateway's tools (HTTP ${verified.status}: ${reason}); check the connection's url and key, and that ${new URL(endpoint).hostname} resolves from where Open WebUI runs`);
    }
    const specs = Array.isArray(answer.specs) ? answer.specs : [];
    const tools = specs.map((s) => (s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string' ? (s as { name: string }).name : '')).filter(Boolean);
    fact.verified = true;
    fact.tools = tools.sort();
    const header = Object.entries(headersOf(liveConnection)).find(([h]) => h.toLowerCase() === 'x-mcp-servers')?.[1];
    const expected = header ? header.split(',').map((s) => s.trim()).filter(Boolean) : knownServers;
    fact.toolsPerServer = Object.fromEntries(expected.map((s) => [s, tools.filter((t) => t.startsWith(`${s}-`)).length]));
    if (!tools.length) {
      report('warn', 'live.no-tools', "Open WebUI verified the connection but the gateway listed no tools; check x-mcp-servers and LiteLLM's log (a stdio server may have failed to start)");
      return { fact, listing: { status: 'warn', note: 'verified, but no tools listed' } };
    }
    const empty = expected.filter((s) => !fact.toolsPerServer![s]);
    if (empty.length && tools.some((t) => expected.some((s) => t.startsWith(`${s}-`)))) {
      report('warn', 'live.server-missing', `Open WebUI lists no tools from ${empty.join(', ')} through the gateway; check that server in LiteLLM's log`);
      return { fact, listing: { status: 'warn', note: `no tools from ${empty.join(', ')}` } };
    }
    return { fact, listing: { status: 'pass', note: `Open WebUI's verify listed ${tools.length} tool(s) through the gateway` } };
  } finally {
    await recorder.settle();
    transcript.push(...recorder.exchanges);
  }
}

function connectionFact(c: Connection, index: number, hosts: Host[], ports: 'ignore' | 'match', rootDir: string): OpenWebuiConnectionFact {
  const url = tryUrl(c.url);
  const match = url ? matchHost(url, hosts, ports) : {};
  const headers = headersOf(c);
  const keyHeader = Object.entries(headers).find(([h, v]) => KEY_HEADERS.includes(h.toLowerCase()) && v.trim());
  const authType = c.auth_type ?? 'none';
  const auth: OpenWebuiConnectionFact['auth'] = authType === 'bearer' && c.key?.trim() ? 'bearer' : keyHeader ? 'header' : 'none';
  const servers = Object.entries(headers).find(([h]) => h.toLowerCase() === 'x-mcp-servers')?.[1];
  const keyValue = auth === 'bearer' ? c.key! : keyHeader?.[1].replace(/^Bearer\s+/i, '');
  return {
    index,
    type: c.type ?? 'openapi',
    ...(url ? { url: safeUrl(url) } : {}),
    ...(match.host && !match.schemeMismatch ? { host: match.host.name } : {}),
    authType,
    auth,
    ...(keyValue && fingerprint(keyValue, rootDir) ? { keyFingerprint: fingerprint(keyValue, rootDir) } : {}),
    headers: Object.keys(headers),
    ...(servers !== undefined ? { mcpServers: servers.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    enabled: c.config?.enable !== false,
    ...(c.info?.id ? { id: c.info.id } : {}),
    ...(c.info?.name ? { name: c.info.name } : {}),
  };
}

/** A connection's headers as an object (Open WebUI also accepts them as a JSON string). */
function headersOf(c: Connection): Record<string, string> {
  if (!c.headers) return {};
  if (typeof c.headers === 'string') {
    try {
      const parsed = JSON.parse(c.headers);
      return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {};
    } catch {
      return {};
    }
  }
  return c.headers;
}

/** Values of a connection's credential headers (with and without their `Bearer` prefix). */
function credentialValues(c: Connection): string[] {
  return Object.entries(headersOf(c))
    .filter(([h]) => isCredentialHeader(h))
    .flatMap(([, v]) => [v, v.replace(/^\s*(Bearer|Basic|Token)\s+/i, '')]);
}

/** Semicolon-separated list items with their start index in the value. */
function splitList(entry: DotenvEntry): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const piece of entry.value.split(';')) {
    const lead = piece.length - piece.trimStart().length;
    out.push({ text: piece.trim(), start: start + lead });
    start += piece.length + 1;
  }
  return out;
}

/** Values of an Open WebUI .env that are secrets: keys, tokens, and the keys inside the tool server JSON. */
function secretValuesOf(entry: DotenvEntry): string[] {
  if (/(KEY|KEYS|TOKEN|SECRET|PASSWORD)$/i.test(entry.key)) return entry.value.split(';').map((v) => v.trim()).filter((v) => v.length >= 6);
  return [];
}

function gatewayKeyOf(context: ProbeContext): string | undefined {
  const name = context.config.gateway.keyEnvVar;
  return process.env[name] || context.secrets.findLast((e) => e.key === name)?.value || undefined;
}

function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function noteOf(finding: Finding): string {
  return `${finding.file ?? ''}${finding.line ? `:${finding.line}` : ''}${finding.file ? ': ' : ''}${finding.message}`;
}

function isInside(dir: string | undefined, file: string): boolean {
  if (!dir) return false;
  const relative = path.relative(dir, file);
  return !!relative && !relative.startsWith('..') && !path.isAbsolute(relative);
}
