/**
 * Codex's own view of the gateway entry (`codex mcp get <server> --json`), checked: enabled,
 * streamable HTTP to the host's MCP URL, `x-mcp-servers` naming every server, and a key from an
 * environment variable. Each finding points at the config.toml line it is about.
 */
import type { ProbeContext } from '../types.ts';
import { findHeader, lookupEnv, sameEndpoint, splitServers, TOKEN_HEADERS, type CodexSettings } from '../kit/codex-shared.ts';
import type { Findings } from '../kit/findings.ts';
import type { CodexListEntryFacts } from './facts.ts';

/** One server as `codex mcp list --json` (and `codex mcp get --json`) prints it. */
export interface ListedServer {
  name: string;
  enabled: boolean;
  disabled_reason?: string | null;
  transport: {
    type: string;
    url?: string;
    command?: string;
    bearer_token_env_var?: string | null;
    http_headers?: Record<string, string> | null;
    env_http_headers?: Record<string, string> | null;
  };
  auth_status?: string;
  enabled_tools?: string[] | null;
  disabled_tools?: string[] | null;
}

/** What the check reads and writes. */
export interface ListedEntryCheck {
  context: ProbeContext;
  settings: CodexSettings;
  /** The entry as `codex mcp get` and `codex mcp list` show it. */
  got: ListedServer;
  fromList: ListedServer;
  /** Its facts, completed by the check. */
  entry: CodexListEntryFacts;
  servers: string[];
  findings: Findings;
  /** Line in config.toml of a key of the entry. */
  lineOf: (...keys: string[]) => number;
  show: (file: string) => string;
}

/** The entry's facts as Codex shows them. */
export function listedEntryFacts(got: ListedServer, fromList: ListedServer): CodexListEntryFacts {
  const transport = got.transport ?? fromList.transport;
  return {
    enabled: got.enabled,
    ...(got.disabled_reason ? { disabledReason: got.disabled_reason } : {}),
    transport: transport.type,
    ...(transport.url ? { url: transport.url } : {}),
    ...(transport.bearer_token_env_var ? { bearerTokenEnvVar: transport.bearer_token_env_var } : {}),
    httpHeaders: Object.keys(transport.http_headers ?? {}),
    envHttpHeaders: transport.env_http_headers ?? {},
    xMcpServers: undefined,
    ...(fromList.auth_status ? { authStatus: fromList.auth_status } : {}),
    ...(got.enabled_tools ? { enabledTools: got.enabled_tools } : {}),
    ...(got.disabled_tools ? { disabledTools: got.disabled_tools } : {}),
  };
}

export function checkListedEntry(check: ListedEntryCheck): void {
  const { entry, findings, lineOf, settings } = check;
  const name = `[mcp_servers.${settings.server}]`;
  if (!entry.enabled) {
    findings.fail('server.disabled',
      `codex mcp get shows ${settings.server} disabled${entry.disabledReason ? ` (${entry.disabledReason})` : ''}: Codex will not start it. Remove enabled = false from ${name}`,
      lineOf('enabled'));
  }
  if (entry.transport !== 'streamable_http') {
    findings.fail('server.transport',
      `codex mcp get shows transport ${entry.transport}, not streamable_http: ${name} must have url = "${settings.endpoint}" instead of command/args`,
      lineOf('command'));
  } else if (!entry.url || !sameEndpoint(entry.url, settings.endpoint)) {
    findings.fail('server.url-mismatch',
      `codex mcp get shows url ${entry.url ?? '(none)'}, but the ${settings.host.name} host's MCP endpoint is ${settings.endpoint}; set url = "${settings.endpoint}" in ${name}`,
      lineOf('url'));
  }
  const transport = check.got.transport ?? check.fromList.transport;
  const httpHeaders = transport.http_headers ?? undefined;
  const envHeaders = transport.env_http_headers ?? undefined;
  const staticServers = findHeader(httpHeaders, 'x-mcp-servers');
  const envServers = findHeader(envHeaders, 'x-mcp-servers');
  if (staticServers) entry.xMcpServers = splitServers(staticServers[1]);
  else if (envServers) entry.xMcpServers = splitServers(lookupEnv(check.context, envServers[1], check.show).value ?? '');
  if (entry.transport !== 'streamable_http') return;

  if (!staticServers && !envServers) {
    findings.fail('servers-header.missing',
      `codex mcp get shows no x-mcp-servers header (http_headers: ${entry.httpHeaders.join(', ') || 'none'}): ` +
        `add http_headers = { "x-mcp-servers" = "${check.servers.join(',')}" } to ${name}`,
      lineOf('http_headers'));
  } else {
    const missing = check.servers.filter((s) => !entry.xMcpServers!.includes(s));
    if (missing.length) {
      findings.fail('servers-header.incomplete',
        `codex mcp get shows x-mcp-servers "${entry.xMcpServers!.join(',')}", without ${missing.join(', ')}; name every server Codex should reach`,
        staticServers ? lineOf('http_headers', staticServers[0]) : lineOf('env_http_headers', envServers![0]));
    }
  }
  const keyEnvVar = check.context.config.gateway.keyEnvVar;
  const envAuth = TOKEN_HEADERS.map((h) => findHeader(envHeaders, h)).find(Boolean);
  const inlineAuth = TOKEN_HEADERS.map((h) => findHeader(httpHeaders, h)).find(Boolean);
  if (inlineAuth) {
    findings.fail('token.inline',
      `codex mcp get shows the key inline in the "${inlineAuth[0]}" header: remove it and set bearer_token_env_var = "${keyEnvVar}"; rotate the key`,
      lineOf('http_headers', inlineAuth[0]));
  } else if (!entry.bearerTokenEnvVar && !envAuth) {
    findings.fail('token.missing',
      `codex mcp get shows no bearer_token_env_var and no key header (auth ${entry.authStatus ?? '?'}): Codex would send no key. ` +
        `Add bearer_token_env_var = "${keyEnvVar}" to ${name}`,
      lineOf());
  }
}
