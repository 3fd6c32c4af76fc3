/**
 * The checks of `codex.config` on the gateway entry `[mcp_servers.<server>]` of config.toml, each
 * at the line of the key it is about: keys Codex knows, the transport and URL, the headers (and
 * inline secrets in them), `x-mcp-servers`, and where the key comes from.
 */
import type { ProbeContext } from '../types.ts';
import { fingerprint, looksSecret } from '../kit/checks.ts';
import {
  editDistance,
  findHeader,
  headerMap,
  isTable,
  KNOWN_SERVER_KEYS,
  lookupEnv,
  sameEndpoint,
  splitServers,
  TOKEN_HEADERS,
  type CodexSettings,
  type TomlTable,
} from '../kit/codex-shared.ts';
import type { Findings } from '../kit/findings.ts';
import type { CodexEntryFacts } from './facts.ts';

/** What the checks of one entry read and write. */
export interface EntryCheck {
  context: ProbeContext;
  settings: CodexSettings;
  /** The entry's table as parsed. */
  raw: TomlTable;
  /** Its facts, filled in by the checks. */
  entry: CodexEntryFacts;
  /** MCP servers `x-mcp-servers` must name. */
  servers: string[];
  findings: Findings;
  /** Line of a key of the entry (or of the entry). */
  at: (...keys: string[]) => number;
  show: (file: string) => string;
}

/** The entry's static and environment headers, when they are tables. */
interface EntryHeaders {
  httpHeaders?: Record<string, string>;
  envHeaders?: Record<string, string>;
}

/** The entry's facts before any check: what its table says at a glance. */
export function entryFacts(settings: CodexSettings, raw: TomlTable, line: number): CodexEntryFacts {
  return {
    name: settings.server,
    line,
    ...(typeof raw.url === 'string' ? { url: raw.url } : {}),
    transport: typeof raw.url === 'string' ? 'streamable_http' : typeof raw.command === 'string' ? 'stdio' : 'none',
    enabled: raw.enabled !== false,
    httpHeaders: [],
    envHttpHeaders: {},
    bearerTokenEnvVar: undefined,
    token: { via: 'none' },
    xMcpServers: undefined,
    unknownKeys: [],
  };
}

/** Every check of the entry, in the order its findings are listed. */
export function checkEntry(check: EntryCheck): void {
  checkKeys(check);
  checkTransport(check);
  const headers = checkHeaders(check);
  checkServersHeader(check, headers);
  checkToken(check, headers);
}

const nameOf = (check: EntryCheck) => `mcp_servers.${check.settings.server}`;

/** Keys Codex does not know (it ignores them without a word), and `enabled = false`. */
function checkKeys(check: EntryCheck): void {
  const { raw, entry, findings, at } = check;
  const name = nameOf(check);
  for (const key of Object.keys(raw)) {
    if ((KNOWN_SERVER_KEYS as readonly string[]).includes(key)) continue;
    entry.unknownKeys.push(key);
    findings.warn('server.unknown-key', `${name}.${key} is not a key Codex knows; Codex ignores it silently. ${unknownKeyHint(key)}`, at(key));
  }
  if (raw.enabled === false) {
    findings.fail('server.disabled', `${name} has enabled = false: Codex does not start it. Remove the line or set enabled = true`, at('enabled'));
  }
}

/** Streamable HTTP to the host's MCP endpoint: not stdio, not without a url, not another URL. */
function checkTransport(check: EntryCheck): void {
  const { raw, entry, findings, at, settings } = check;
  const name = nameOf(check);
  if (entry.transport === 'stdio') {
    findings.fail('server.stdio',
      `${name} is a stdio server (command = "${String(raw.command)}"), but the gateway is reached over streamable HTTP: ` +
        `replace command/args with url = "${settings.endpoint}"`,
      at('command'));
  } else if (entry.transport === 'none') {
    findings.fail('server.url-missing', `${name} has no url: add url = "${settings.endpoint}"`, entry.line);
  } else if (!sameEndpoint(entry.url!, settings.endpoint)) {
    findings.fail('server.url-mismatch',
      `${name}.url is "${entry.url}" but the ${settings.host.name} host's MCP endpoint is "${settings.endpoint}"; ${urlHint(entry.url!, settings.endpoint)}`,
      at('url'));
  }
}

/** The header tables, and secrets written inline: `bearer_token`, a key header, any secret-looking value. */
function checkHeaders(check: EntryCheck): EntryHeaders {
  const { raw, entry, findings, at, servers } = check;
  // Secrets found inline go to the run's redactor: nothing the probe returns shows them.
  const redactor = check.context.redactor;
  const name = nameOf(check);
  const keyEnvVar = check.context.config.gateway.keyEnvVar;
  const rootDir = check.context.config.rootDir;
  const httpHeaders = headerMap(raw.http_headers);
  const envHeaders = headerMap(raw.env_http_headers);
  if (raw.http_headers !== undefined && !httpHeaders) findings.fail('headers.not-a-table', `${name}.http_headers must be a table of header → value, e.g. { "x-mcp-servers" = "${servers.join(',')}" }`, at('http_headers'));
  if (raw.env_http_headers !== undefined && !envHeaders) findings.fail('headers.not-a-table', `${name}.env_http_headers must be a table of header → environment variable name`, at('env_http_headers'));
  entry.httpHeaders = Object.keys(httpHeaders ?? {});
  entry.envHttpHeaders = envHeaders ?? {};

  if (raw.bearer_token !== undefined) {
    const value = String(raw.bearer_token);
    redactor.add(value);
    entry.token = { via: 'inline' };
    findings.fail('token.inline',
      `${name}.bearer_token holds the key inline (fingerprint ${fingerprint(value, rootDir) ?? 'n/a'}); Codex 0.169 refuses it ("uses unsupported \`bearer_token\`") and config.toml is not a secrets store. ` +
        `Remove it, set bearer_token_env_var = "${keyEnvVar}" and export ${keyEnvVar}; rotate the key`,
      at('bearer_token'));
  }
  for (const [header, value] of Object.entries(httpHeaders ?? {})) {
    const tokenHeader = TOKEN_HEADERS.includes(header.toLowerCase());
    if (!tokenHeader && !looksSecret(header, value)) continue;
    redactor.add(value, value.replace(/^Bearer\s+/i, ''));
    entry.token = { via: 'inline' };
    findings.fail('token.inline',
      `${name}.http_headers."${header}" holds a ${tokenHeader ? 'key' : 'secret'} inline (fingerprint ${fingerprint(value, rootDir) ?? 'n/a'}); config.toml is not a secrets store. ` +
        (tokenHeader
          ? `Remove it, set bearer_token_env_var = "${keyEnvVar}" and export ${keyEnvVar}; rotate the key`
          : `Move it to env_http_headers = { "${header}" = "<ENV_VAR>" } and rotate it`),
      at('http_headers', header));
  }
  return { httpHeaders, envHeaders };
}

/** `x-mcp-servers`, static or from a variable, naming every expected server. */
function checkServersHeader(check: EntryCheck, { httpHeaders, envHeaders }: EntryHeaders): void {
  const { raw, entry, findings, at, servers, context, show } = check;
  const name = nameOf(check);
  const staticServers = findHeader(httpHeaders, 'x-mcp-servers');
  const envServers = findHeader(envHeaders, 'x-mcp-servers');
  if (staticServers) {
    entry.xMcpServers = { via: 'http_headers', servers: splitServers(staticServers[1]) };
  } else if (envServers) {
    const lookup = lookupEnv(context, envServers[1], show);
    entry.xMcpServers = { via: 'env_http_headers', envVar: envServers[1], servers: splitServers(lookup.value ?? '') };
    if (!lookup.set) {
      findings.fail('servers-header.env-unset',
        `${name}.env_http_headers."${envServers[0]}" reads ${envServers[1]}, which is set neither in the environment nor in secretsFiles: Codex then sends no x-mcp-servers. ` +
          `Set ${envServers[1]}=${servers.join(',')} or use http_headers = { "x-mcp-servers" = "${servers.join(',')}" }`,
        at('env_http_headers', envServers[0]));
    }
  }
  if (entry.transport === 'stdio') return; // a stdio entry does not speak HTTP: its headers are moot (reported already)
  if (!entry.xMcpServers) {
    const misnamed = ['headers', 'header'].find((k) => isTable(raw[k]) && findHeader(headerMap(raw[k]), 'x-mcp-servers'));
    findings.fail('servers-header.missing',
      `${name} sends no x-mcp-servers header, so LiteLLM does not know which MCP servers Codex wants. ` +
        (misnamed
          ? `Rename \`${misnamed}\` (line ${at(misnamed)}) to http_headers: Codex ignores \`${misnamed}\``
          : `Add http_headers = { "x-mcp-servers" = "${servers.join(',')}" }`),
      httpHeaders ? at('http_headers') : entry.line);
  } else if (entry.xMcpServers.via === 'http_headers' || lookupEnv(context, entry.xMcpServers.envVar!, show).set) {
    const named = entry.xMcpServers.servers;
    const missing = servers.filter((s) => !named.includes(s));
    const line = entry.xMcpServers.via === 'http_headers' ? at('http_headers', staticServers![0]) : at('env_http_headers', envServers![0]);
    if (missing.length) {
      findings.fail('servers-header.incomplete',
        `${name}: x-mcp-servers names ${named.join(',') || 'nothing'} but not ${missing.join(', ')}; set it to "${[...named, ...missing].join(',')}"`,
        line);
    }
  }
}

/** The key from an environment variable (`bearer_token_env_var` or an `env_http_headers` entry) that is set. */
function checkToken(check: EntryCheck, { envHeaders }: EntryHeaders): void {
  const { raw, entry, findings, at, context, show } = check;
  if (entry.token.via === 'inline') return;
  const name = nameOf(check);
  const { config } = context;
  const envAuth = TOKEN_HEADERS.map((h) => findHeader(envHeaders, h)).find(Boolean);
  const bearerVar = typeof raw.bearer_token_env_var === 'string' ? raw.bearer_token_env_var : undefined;
  if (bearerVar) entry.bearerTokenEnvVar = bearerVar;
  if (!bearerVar && !envAuth) {
    if (entry.transport !== 'stdio') {
      findings.fail('token.missing',
        `${name} sends no gateway key: add bearer_token_env_var = "${config.gateway.keyEnvVar}" (Codex sends "Authorization: Bearer $${config.gateway.keyEnvVar}") ` +
          `and export ${config.gateway.keyEnvVar}`,
        entry.line);
    }
    return;
  }
  const envVar = bearerVar ?? envAuth![1];
  const line = bearerVar ? at('bearer_token_env_var') : at('env_http_headers', envAuth![0]);
  const lookup = lookupEnv(context, envVar, show);
  entry.token = { via: bearerVar ? 'bearer_token_env_var' : 'env_http_headers', envVar, set: lookup.set, ...(lookup.source ? { source: lookup.source } : {}) };
  if (!lookup.set) {
    const files = config.secretsFiles.map(show).join(', ');
    findings.fail('token.env-unset',
      `${name} reads the gateway key from ${envVar}, which is set neither in the environment nor in secretsFiles (${files || 'none configured'}): ` +
        `Codex then sends no key and the gateway refuses it. Export ${envVar}=<gateway key> where Codex runs, or add it to a secrets file`,
      line);
  } else if (!bearerVar && envAuth![0].toLowerCase() === 'authorization' && !/^Bearer\s/i.test(lookup.value ?? '')) {
    findings.warn('token.no-bearer-prefix',
      `${name}.env_http_headers."${envAuth![0]}" sends ${envVar} as the whole Authorization header, but its value does not start with "Bearer "; ` +
        `use bearer_token_env_var = "${envVar}" instead (Codex adds "Bearer ")`,
      line);
  } else if (lookup.source !== 'environment') {
    findings.info('token.from-secrets-file',
      `${envVar} is set in ${lookup.source}, not in this environment: Codex reads only its environment, so export it before running codex (e.g. set -a; . <file>; set +a)`,
      line);
  }
}

const HINTS: Record<string, string> = {
  headers: 'Static headers go in http_headers (VS Code and Claude call it `headers`)',
  type: 'Remove it: Codex infers streamable HTTP from `url` (VS Code and Claude use `type`)',
  transport: 'Remove it: Codex infers streamable HTTP from `url`',
  description: 'Remove it or make it a TOML comment',
  token: 'Use bearer_token_env_var = "<ENV_VAR>"',
  api_key: 'Use bearer_token_env_var = "<ENV_VAR>"',
  env_headers: 'Headers from environment variables go in env_http_headers',
};

function unknownKeyHint(key: string): string {
  if (HINTS[key]) return `${HINTS[key]}.`;
  const near = KNOWN_SERVER_KEYS.map((k) => [k, editDistance(k, key)] as const).sort((a, b) => a[1] - b[1])[0];
  return near && near[1] <= 3 ? `Did you mean ${near[0]}?` : 'Remove it, or check the spelling against Codex\'s config reference.';
}

function urlHint(actual: string, expected: string): string {
  try {
    const a = new URL(actual);
    const e = new URL(expected);
    if (a.origin === e.origin && `${a.pathname}/` === e.pathname) return `add the trailing slash (url = "${expected}"): LiteLLM answers ${a.pathname} with a 307`;
    if (a.origin === e.origin) return `set url = "${expected}"`;
    return `set url = "${expected}" (or change probes."codex.config".host if Codex should use another host)`;
  } catch {
    return `"${actual}" is not a URL; set url = "${expected}"`;
  }
}
