/**
 * Open WebUI's MCP tool server: `TOOL_SERVER_CONNECTIONS` is valid JSON (Open WebUI reads it with
 * Python's json.loads and silently starts with no tool servers otherwise) of the expected shape,
 * with a `"type": "mcp"` connection whose `url` is the gateway's MCP endpoint (Open WebUI connects
 * an MCP server at `url` alone; `path` only serves OpenAPI servers), authenticated, with
 * `x-mcp-servers`, and enabled. Errors inside the JSON point at their column in the .env.
 */
import type { DotenvEntry } from '../../formats/dotenv.ts';
import { locate, pathText, scanJson } from '../../formats/json.ts';
import { jsonFindingError } from '../../formats/json-errors.ts';
import type { Position } from '../../formats/positions.ts';
import { matchHost, tryUrl } from '../kit/client-shared.ts';
import { connectionFact, ConnectionsSchema, credentialValues, type Connection } from './connections.ts';
import { PLACEHOLDER, type EnvCheck } from './env-file.ts';
import type { OpenWebuiConnectionFact } from './facts.ts';

/** The parsed connections, with where each path of the JSON is in the .env. */
interface Connections {
  check: EnvCheck;
  entry: DotenvEntry;
  connections: Connection[];
  facts: OpenWebuiConnectionFact[];
  at: (jsonPath: readonly PropertyKey[]) => Position;
  /** The setting as it should be, for messages. */
  example: string;
}

export function checkToolServers(check: EnvCheck): void {
  const { findings, facts, host, knownServers } = check;
  const entry = check.get('TOOL_SERVER_CONNECTIONS');
  const example =
    `TOOL_SERVER_CONNECTIONS='[{"type": "mcp", "url": "${check.endpoint}", "path": "", "auth_type": "bearer", "key": "<LiteLLM key>", ` +
    `"headers": {"x-mcp-servers": "${knownServers.join(',') || 'mcp_postgres,mcp_filesystem'}"}, "config": {"enable": true}, "info": {"id": "litellm", "name": "LiteLLM MCP"}}]'`;
  if (!entry || !entry.value.trim()) {
    findings.fail('tools.missing', `TOOL_SERVER_CONNECTIONS is not set, so Open WebUI has no MCP tool server for the gateway; add ${example}`, entry?.line);
    return;
  }
  const parsed = readConnections(check, entry, example);
  if (!parsed) return;
  facts.toolServers = { line: entry.line, connections: parsed.facts };
  for (const c of parsed.connections) if (c.key) check.context.redactor.add(c.key);
  for (const c of parsed.connections) check.context.redactor.add(...credentialValues(c));
  const onHost = parsed.facts.filter((c) => c.host === host.name);
  const chosen = onHost.find((c) => c.type === 'mcp');
  if (!chosen) {
    noGatewayConnection(parsed, onHost[0]);
    return;
  }
  facts.toolServers.gateway = chosen.index;
  checkGatewayConnection(parsed, chosen);
}

/** The connections when the value is JSON of the expected shape; else findings at their columns. */
function readConnections(check: EnvCheck, entry: DotenvEntry, example: string): Connections | undefined {
  const { findings, context, options } = check;
  const parsed = scanJson(entry.value);
  if (parsed.error || !parsed.root) {
    const problem = jsonFindingError(parsed.error!, "Open WebUI reads it with Python's json.loads");
    findings.fail('tools.json',
      `TOOL_SERVER_CONNECTIONS is not valid JSON: ${problem.message} (column ${problem.offset + 1} of the value); ` +
        'Open WebUI logs the error and starts with no tool servers. Fix the JSON (`python3 -m json.tool` checks it)',
      check.at(entry, problem.offset));
    return undefined;
  }
  const root = parsed.root;
  const at = (jsonPath: readonly PropertyKey[]) => check.at(entry, locate(root, jsonPath).offset);
  const shape = ConnectionsSchema.safeParse(parsed.value);
  if (!shape.success) {
    for (const issue of shape.error.issues.slice(0, 10)) {
      const missing = locate(root, issue.path).exact === false;
      findings.fail('tools.shape',
        `TOOL_SERVER_CONNECTIONS${issue.path.length ? ` ${pathText(issue.path)}` : ''} ${missing ? 'is missing' : issue.message}; Open WebUI expects [{"type": "mcp", "url": …, "auth_type": "bearer", "key": …}]`,
        at(issue.path));
    }
    return undefined;
  }
  const { config } = context;
  const facts = shape.data.map((c, i) => connectionFact(c, i, config.hosts, options.ports, config.rootDir));
  return { check, entry, connections: shape.data, facts, at, example };
}

/** No MCP connection to the host: one to it of another type, one with the wrong scheme, or none. */
function noGatewayConnection({ check, entry, connections, facts, at, example }: Connections, wrongType: OpenWebuiConnectionFact | undefined): void {
  const { findings, host } = check;
  const schemeMiss = connections.findIndex((c) => {
    const u = tryUrl(c.url);
    return u && matchHost(u, [host], check.options.ports).schemeMismatch;
  });
  if (wrongType) {
    const untyped = connections[wrongType.index]!.type === undefined;
    findings.fail('tools.type',
      `TOOL_SERVER_CONNECTIONS[${wrongType.index}] points at the gateway but is ${untyped ? 'untyped, so Open WebUI treats it as' : 'typed'} an OpenAPI server; ` +
        'LiteLLM\'s endpoint speaks MCP: set "type": "mcp" (Open WebUI 0.6.31 or later)',
      at([wrongType.index, untyped ? 'url' : 'type']));
  } else if (schemeMiss >= 0) {
    findings.fail('tools.scheme',
      `TOOL_SERVER_CONNECTIONS[${schemeMiss}].url uses the wrong scheme for the ${host.name} host (hosts: ${host.url}); use ${check.endpoint}`,
      at([schemeMiss, 'url']));
  } else {
    const elsewhere = facts.filter((c) => c.type === 'mcp').map((c) => c.url ?? '?');
    findings.fail('tools.no-gateway',
      `TOOL_SERVER_CONNECTIONS has no "type": "mcp" connection to the gateway's ${host.name} host${elsewhere.length ? ` (MCP connections point at ${elsewhere.join(', ')})` : ''}; add ${example}`,
      entry.line);
  }
}

/** The MCP connection to the host: its port, its path, its key, its x-mcp-servers, enabled. */
function checkGatewayConnection(connections: Connections, chosen: OpenWebuiConnectionFact): void {
  const { check, at } = connections;
  const { findings, host, endpoint } = check;
  const c = connections.connections[chosen.index]!;
  const url = new URL(c.url);
  const where = `TOOL_SERVER_CONNECTIONS[${chosen.index}]`;
  if (matchHost(url, [host], check.options.ports).portMismatch) {
    findings.fail('tools.port', `${where}.url uses port ${url.port || 'default'} but the ${host.name} host is ${host.url}; use ${endpoint}`, at([chosen.index, 'url']));
  }
  checkPath(check, c, url, where, at([chosen.index, 'url']));
  checkAuth(check, c, chosen, where, at);
  checkServersHeader(check, c, chosen, where, at);
  if (!chosen.enabled) findings.warn('tools.disabled', `${where} is disabled ("config": {"enable": false}); set it to true`, at([chosen.index, 'config']));
}

/** `url` is the MCP endpoint itself: Open WebUI ignores `path` for an MCP server. */
function checkPath({ findings, mcpPath, endpoint }: EnvCheck, c: Connection, url: URL, where: string, urlAt: Position): void {
  if (url.pathname === mcpPath) return;
  const slashless = mcpPath.replace(/\/$/, '');
  const joined = `${url.pathname.replace(/\/$/, '')}/${(c.path ?? '').replace(/^\//, '')}`;
  if ((url.pathname === '/' || url.pathname === '') && (joined === mcpPath || joined === slashless)) {
    findings.fail('tools.path-ignored',
      `${where}.url has no path and "path" is ${JSON.stringify(c.path)}: for an MCP server Open WebUI connects to "url" alone ("path" only serves OpenAPI servers). Set "url": "${endpoint}"`,
      urlAt);
  } else if (url.pathname === slashless) {
    findings.warn('tools.path-slash', `${where}.url has no trailing slash; LiteLLM answers ${slashless} with a 307 redirect. Use ${endpoint}`, urlAt);
  } else if (!(mcpPath.endsWith('/') && url.pathname.startsWith(mcpPath))) {
    findings.fail('tools.path', `${where}.url has path ${url.pathname} but the gateway's MCP endpoint is ${mcpPath}; use ${endpoint}`, urlAt);
  }
}

/** A LiteLLM key: `auth_type: bearer` with a real `key`, or a key header; not an Open WebUI session or OAuth token. */
function checkAuth({ findings }: EnvCheck, c: Connection, chosen: OpenWebuiConnectionFact, where: string, at: Connections['at']): void {
  const authType = (c.auth_type ?? 'none').toLowerCase();
  if (authType === 'bearer') {
    if (!c.key?.trim()) findings.fail('tools.key-missing', `${where} has "auth_type": "bearer" but no "key"; set "key" to a LiteLLM key`, at([chosen.index, 'key']));
    else if (PLACEHOLDER.test(c.key.trim())) findings.fail('tools.key-placeholder', `${where}.key still holds a placeholder; put the real LiteLLM key in this (git-ignored) .env`, at([chosen.index, 'key']));
  } else if (authType === 'session' || authType.includes('oauth')) {
    findings.fail('tools.auth-unsupported',
      `${where} has "auth_type": "${c.auth_type}", which sends an Open WebUI token that LiteLLM does not accept; use "auth_type": "bearer" with a LiteLLM key`,
      at([chosen.index, 'auth_type']));
  } else if (chosen.auth === 'none') {
    findings.fail('tools.auth-missing',
      `${where} sends no key (auth_type "${c.auth_type ?? 'none'}", no Authorization or x-litellm-api-key header); LiteLLM rejects MCP requests without one. Set "auth_type": "bearer" and "key"`,
      at([chosen.index, c.auth_type === undefined ? 'url' : 'auth_type']));
  }
}

/** Headers as an object, with `x-mcp-servers` naming servers the gateway registers. */
function checkServersHeader({ findings, knownServers }: EnvCheck, c: Connection, chosen: OpenWebuiConnectionFact, where: string, at: Connections['at']): void {
  if (typeof c.headers === 'string') {
    findings.warn('tools.headers-string', `${where}.headers is a string; write it as a JSON object, e.g. {"x-mcp-servers": "${knownServers.join(',')}"}`, at([chosen.index, 'headers']));
  }
  if (!chosen.mcpServers) {
    findings.warn('tools.servers-header',
      `${where} sends no x-mcp-servers header, so LiteLLM lists every server the key may use; add "headers": {"x-mcp-servers": "${knownServers.join(',') || 'mcp_postgres,mcp_filesystem'}"}`,
      at([chosen.index, c.headers ? 'headers' : 'url']));
    return;
  }
  const unknown = chosen.mcpServers.filter((s) => knownServers.length && !knownServers.includes(s));
  if (unknown.length) {
    findings.warn('tools.servers-unknown',
      `${where} x-mcp-servers names ${unknown.map((s) => `"${s}"`).join(', ')}, which the gateway does not register (known: ${knownServers.join(', ')}); fix the name`,
      at([chosen.index, 'headers']));
  }
}
