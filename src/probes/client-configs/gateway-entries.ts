/**
 * The gateway entries of a client config: a server whose URL is on a configured host must use
 * the host's scheme (and port, with `ports: match`), LiteLLM's MCP path and the http transport,
 * and send the key and `x-mcp-servers`; every required host needs such an entry. Each finding
 * counts for its host's cell of the client matrix.
 */
import type { Host } from '../../config/schema.ts';
import { pathText } from '../../formats/json.ts';
import type { Position } from '../../formats/positions.ts';
import { endpointFor, KEY_HEADERS, literalPart, matchHost, referencesIn, safeUrl } from '../kit/client-shared.ts';
import type { ServerEntry } from './clients.ts';
import type { ClientFile } from './config-file.ts';
import type { ClientServerFact } from './facts.ts';

/** A server entry that points at a configured host, while it is checked. */
interface GatewayEntry {
  file: ClientFile;
  server: ServerEntry;
  serverPath: string[];
  fact: ClientServerFact;
  url: URL;
  host: Host;
  /** The URL it should have. */
  expected: string;
  urlAt: Position;
  urlWhere: string;
}

/** Which hosts the file's entries reach, and which have an entry with the wrong scheme (already a finding). */
interface Coverage {
  covered: Set<string>;
  schemeProblems: Set<string>;
}

export function checkGatewayEntries(file: ClientFile): void {
  const coverage: Coverage = { covered: new Set(), schemeProblems: new Set() };
  for (const [name, server] of Object.entries(file.servers)) checkServer(file, name, server, coverage);
  const { spec, required, mcpPath, knownServers } = file.check;
  const serversAt = file.pos([spec.serversKey]);
  for (const host of required) {
    if (coverage.covered.has(host.name) || coverage.schemeProblems.has(host.name)) continue;
    const scheme = new URL(host.url).protocol === 'https:' ? 'https' : 'http';
    file.note('fail', 'host.missing',
      `no server for the ${host.name} host (${host.url}); add one, e.g. "litellm-${host.name}": {"type": "http", "url": "${endpointFor(host, mcpPath)}", ` +
        `"headers": {"Authorization": "${spec.keyReference}", "x-mcp-servers": "${knownServers.join(',') || '…'}"}} (${scheme}${scheme === 'https' ? ', never plain http' : ''})`,
      serversAt, host.name);
  }
}

/** One server: its facts; and, when its URL is on a configured host, the gateway checks. */
function checkServer(file: ClientFile, name: string, server: ServerEntry, coverage: Coverage): void {
  const { config, options, mcpPath } = file.check;
  const serverPath = [file.check.spec.serversKey, name];
  const fact: ClientServerFact = { name, line: file.pos(serverPath).line, ...(server.type ? { type: server.type } : {}), headers: Object.keys(server.headers ?? {}) };
  file.fact.servers.push(fact);
  if (server.url === undefined) return;
  let url: URL;
  try {
    url = new URL(server.url);
  } catch {
    file.note('fail', 'server.bad-url', `${pathText([...serverPath, 'url'])} is not a URL; use ${config.hosts.map((h) => endpointFor(h, mcpPath)).join(' or ')}`, file.pos([...serverPath, 'url']));
    return;
  }
  fact.url = safeUrl(url);
  const match = matchHost(url, config.hosts, options.ports);
  if (!match.host) return; // another MCP server, not the gateway
  const host = match.host;
  fact.host = host.name;
  const entry: GatewayEntry = {
    file, server, serverPath, fact, url, host,
    expected: endpointFor(host, mcpPath),
    urlAt: file.pos([...serverPath, 'url']),
    urlWhere: pathText([...serverPath, 'url']),
  };
  if (match.schemeMismatch) {
    coverage.schemeProblems.add(host.name);
    const hostScheme = new URL(host.url).protocol.replace(':', '');
    file.note('fail', 'server.scheme',
      hostScheme === 'https'
        ? `${entry.urlWhere} uses http:// but the ${host.name} host is served over https (hosts: ${host.url}); the key would cross the network in clear text and Traefik has no http router for it. Use ${entry.expected}`
        : `${entry.urlWhere} uses https:// but the ${host.name} host is served over http (hosts: ${host.url}); Traefik has no TLS router for it. Use ${entry.expected}`,
      entry.urlAt, host.name);
    return;
  }
  if (match.portMismatch) {
    file.note('fail', 'server.port', `${entry.urlWhere} uses port ${url.port || 'default'} but the ${host.name} host is ${host.url}; use ${entry.expected}`, entry.urlAt, host.name);
  }
  coverage.covered.add(host.name);
  checkTransport(entry);
  checkPath(entry);
  checkKeyHeader(entry);
  checkServersHeader(entry);
}

/** `"type": "http"`: not missing, not stdio, not the legacy SSE. */
function checkTransport({ file, server, serverPath, host, expected }: GatewayEntry): void {
  const { spec } = file.check;
  const type = server.type;
  if (!type) {
    file.note('fail', 'server.type-missing',
      `${pathText(serverPath)} has a url but no "type"; ${spec.name} then ${spec.client === 'claude' ? 'treats it as a stdio server and fails' : 'has to guess the transport'}. Add "type": "http"`,
      file.pos(serverPath), host.name);
  } else if (type === 'stdio') {
    file.note('fail', 'server.type-stdio', `${pathText(serverPath)} is "type": "stdio" but has a url; a gateway entry is "type": "http"`, file.pos([...serverPath, 'type']), host.name);
  } else if (type === 'sse') {
    file.note('warn', 'server.type-sse',
      `${pathText(serverPath)} uses the legacy SSE transport; LiteLLM 1.77 does not open SSE sessions at /mcp/sse (only keep-alive pings). Use "type": "http" with ${expected}`,
      file.pos([...serverPath, 'type']), host.name);
  }
}

/** LiteLLM's MCP path (or a path below it that selects servers), with its trailing slash. */
function checkPath({ file, server, url, host, expected, urlAt, urlWhere }: GatewayEntry): void {
  const { mcpPath } = file.check;
  const type = server.type;
  const slashless = mcpPath.replace(/\/$/, '');
  const pathOk = url.pathname === mcpPath || (mcpPath.endsWith('/') && url.pathname.startsWith(mcpPath) && type !== 'sse');
  if (type === 'sse' || pathOk) return;
  if (url.pathname === slashless) {
    file.note('warn', 'server.path-slash', `${urlWhere} has no trailing slash; LiteLLM answers ${slashless} with a 307 redirect that some clients do not follow. Use ${expected}`, urlAt, host.name);
  } else {
    file.note('fail', 'server.path', `${urlWhere} has path ${url.pathname} but the gateway's MCP endpoint is ${mcpPath}; use ${expected}`, urlAt, host.name);
  }
}

/** The key header (`Authorization` or `x-litellm-api-key`), not empty; its reference goes to the facts. */
function checkKeyHeader({ file, server, serverPath, fact, host }: GatewayEntry): void {
  const { spec } = file.check;
  const keyHeader = Object.entries(server.headers ?? {}).find(([h]) => KEY_HEADERS.includes(h.toLowerCase()));
  if (!keyHeader) {
    file.note('fail', 'header.key-missing',
      `${pathText(serverPath)} sends no key: add "Authorization": "${spec.keyReference}" (or "x-litellm-api-key") to its headers; LiteLLM rejects MCP requests without a key`,
      file.pos([...serverPath, 'headers']), host.name);
    return;
  }
  fact.keyHeader = keyHeader[0];
  const reference = referencesIn(keyHeader[1])[0];
  if (reference) fact.keyReference = reference.text;
  else if (!literalPart(keyHeader[1])) {
    const headerPath = [...serverPath, 'headers', keyHeader[0]];
    file.note('fail', 'header.key-empty', `${pathText(headerPath)} is empty; write "${spec.keyReference}"`, file.pos(headerPath), host.name);
  }
}

/** `x-mcp-servers` naming servers the gateway registers (unless the URL's path selects them). */
function checkServersHeader({ file, server, serverPath, fact, url, host }: GatewayEntry): void {
  const { mcpPath, knownServers } = file.check;
  const example = knownServers.join(',') || 'mcp_postgres,mcp_filesystem';
  const selected = url.pathname.startsWith(mcpPath) && url.pathname.length > mcpPath.length; // /mcp/<servers> selects by path
  const serversHeader = Object.entries(server.headers ?? {}).find(([h]) => h.toLowerCase() === 'x-mcp-servers');
  if (!serversHeader) {
    if (!selected) {
      file.note('fail', 'header.servers-missing',
        `${pathText(serverPath)} has no "x-mcp-servers" header; add "x-mcp-servers": "${example}" so the gateway lists exactly these servers' tools (the seed plan's persistent header)`,
        file.pos([...serverPath, 'headers']), host.name);
    }
    return;
  }
  const headerPath = [...serverPath, 'headers', serversHeader[0]];
  fact.mcpServers = serversHeader[1].split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = fact.mcpServers.filter((s) => knownServers.length && !knownServers.includes(s) && !s.includes('${'));
  if (!fact.mcpServers.length) {
    file.note('fail', 'header.servers-empty', `${pathText(headerPath)} is empty; list the servers, e.g. "${example}"`, file.pos(headerPath), host.name);
  } else if (unknown.length) {
    file.note('warn', 'header.servers-unknown',
      `x-mcp-servers names ${unknown.map((s) => `"${s}"`).join(', ')}, which the gateway does not register (known: ${knownServers.join(', ')}); fix the name or remove it`,
      file.pos(headerPath), host.name);
  }
}
