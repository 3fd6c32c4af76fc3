/**
 * `mcp_servers`: present; every server with an explicit, known `transport` (`stdio` needs
 * `command`, `http` and `sse` need `url`), no `-` in its name (LiteLLM names tools
 * `<server>-<tool>`), and what the expectations ask of it; every expected server registered;
 * servers nobody expects → `unexpectedServers`.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ConfigScan } from './config-scan.ts';
import type { ConfiguredServer } from './facts.ts';
import { MCP_TRANSPORTS } from './options.ts';
import { keyOf, normalize, pairOf } from './yaml-nodes.ts';

/** The names registered under `mcp_servers`, in order (empty when there is no such map). */
export function checkServers(root: YAMLMap, scan: ConfigScan): string[] {
  const serversPair = pairOf(root, 'mcp_servers');
  const serversNode = serversPair?.value;
  if (!serversPair || !isMap(serversNode)) {
    scan.findings.fail(
      'servers.missing',
      serversPair
        ? '`mcp_servers` is not a mapping of server name → settings; LiteLLM registers no MCP server'
        : `no \`mcp_servers\` section; LiteLLM registers no MCP server. Add one with ${Object.keys(scan.expected).join(', ') || 'your servers'}`,
      serversPair ? scan.lineOf(serversPair.key as Node) : undefined,
    );
    return [];
  }
  const registered = new Set(serversNode.items.map(keyOf));
  const names: string[] = [];
  for (const pair of serversNode.items) {
    names.push(keyOf(pair));
    checkServer(pair, registered, scan);
  }
  checkExpectedRegistered(names, scan.lineOf(serversPair.key as Node), scan);
  return names;
}

/** One server's entry: recorded in the facts, then its name, settings, transport and expectations checked. */
function checkServer(pair: Pair, registered: Set<string>, scan: ConfigScan): void {
  const { facts, findings } = scan;
  const name = keyOf(pair);
  const line = scan.lineOf(pair.key as Node);
  // Every field up front, so the JSON keeps a stable, readable order.
  const server: ConfiguredServer = { name, transport: undefined, command: undefined, args: [], url: undefined, description: undefined, envRefs: [], line };
  facts.servers.push(server);
  server.envRefs = [...new Set(facts.envRefs.filter((r) => r.path.startsWith(`mcp_servers.${name}.`)).map((r) => r.name))];
  if (name.includes('-')) {
    findings.fail(
      'server.dash-in-name',
      `MCP server name "${name}" contains '-': LiteLLM names tools \`<server>-<tool>\`, so clients and Proofbook cannot tell where the server name ends. ` +
        `Rename it to "${name.replaceAll('-', '_')}" and update mcp_aliases, x-mcp-servers headers and proofbook.config.yaml`,
      line,
    );
  }
  const settings = pair.value;
  if (!isMap(settings)) {
    findings.fail('server.not-a-map', `mcp_servers.${name} is not a mapping; give it \`transport\` and \`command\`/\`args\` (stdio) or \`url\` (http, sse)`, line);
    return;
  }
  const field = settingsReader(settings, line, scan);
  server.transport = field.text('transport');
  server.command = field.text('command');
  server.url = field.text('url');
  server.description = field.text('description');
  const args = field.at('args');
  if (args) {
    if (isSeq(args.node) && args.node.items.every((item) => isScalar(item))) {
      server.args = args.node.items.map((item) => String((item as { value: unknown }).value));
    } else {
      findings.fail('server.args-not-a-list', `mcp_servers.${name}.args must be a list of strings, e.g. ["-c", "exec my-server"]`, args.line);
    }
  }
  checkTransport(server, field.lineOf('transport'), scan);
  checkExpectations(server, field, registered, scan);
}

/** A server's settings: each field's node and line (the server's line when the field has no position). */
function settingsReader(settings: YAMLMap, serverLine: number, scan: ConfigScan) {
  const at = (key: string) => {
    const found = pairOf(settings, key);
    return found ? { node: found.value as Node | null, line: scan.lineOf((found.value ?? found.key) as Node, serverLine) } : undefined;
  };
  return {
    at,
    /** The field's line, else the server's. */
    lineOf: (key: string) => at(key)?.line ?? serverLine,
    /** The field's scalar value as text. */
    text: (key: string) => {
      const found = at(key);
      return found && isScalar(found.node) && found.node.value != null ? String(found.node.value) : undefined;
    },
  };
}

function checkTransport(server: ConfiguredServer, transportLine: number, scan: ConfigScan): void {
  const { name, line } = server;
  const inferred = server.command ? 'stdio' : server.url ? (/\/sse\/?$/.test(server.url) ? 'sse' : 'http') : undefined;
  if (!server.transport) {
    const wanted = scan.expected[name]?.transport;
    scan.findings.fail(
      'server.transport-missing',
      `mcp_servers.${name} has no explicit \`transport\`; LiteLLM then assumes SSE${inferred && inferred !== 'sse' ? `, which is wrong for this ${inferred} server` : ''}. ` +
        `Add \`transport: ${wanted ?? inferred ?? 'stdio'}\`${wanted ? ` (${scan.expectationsFrom} expects it)` : ''}`,
      line,
    );
  } else if (!(MCP_TRANSPORTS as readonly string[]).includes(server.transport)) {
    scan.findings.fail(
      'server.transport-unknown',
      `mcp_servers.${name}.transport is "${server.transport}"; LiteLLM knows ${MCP_TRANSPORTS.join(', ')}. Use ${inferred ?? 'one of them'}`,
      transportLine,
    );
  } else if (server.transport === 'stdio' && !server.command) {
    scan.findings.fail('server.command-missing', `mcp_servers.${name} is a stdio server without \`command\`; LiteLLM cannot start it. Add \`command\` (and \`args\`)`, transportLine);
  } else if (server.transport !== 'stdio' && !server.url) {
    scan.findings.fail('server.url-missing', `mcp_servers.${name} is an ${server.transport} server without \`url\`; add the server's URL`, transportLine);
  }
}

/** The server declares what the expectations ask of it; a server nobody expects is `unexpectedServers`. */
function checkExpectations(server: ConfiguredServer, field: ReturnType<typeof settingsReader>, registered: Set<string>, scan: ConfigScan): void {
  const { name, line } = server;
  const { expected, expectationsFrom, findings, options } = scan;
  const want = expected[name];
  if (!want) {
    // A drifted name (mcp-postgres for mcp_postgres) is reported once, as the missing expected server.
    const drifted = Object.keys(expected).some((e) => normalize(e) === normalize(name) && !registered.has(e));
    if (options.unexpectedServers !== 'ignore' && Object.keys(expected).length && !drifted) {
      findings.add(
        options.unexpectedServers,
        'server.unexpected',
        `MCP server "${name}" is registered but ${expectationsFrom} in proofbook.config.yaml does not name it; add it there so it is probed and documented, or remove it from config.yaml`,
        line,
      );
    }
    return;
  }
  const quoted = (value: string | undefined) => (value === undefined ? 'not set' : `"${value}"`);
  const mismatch = (key: 'transport' | 'command' | 'args' | 'url', actual: string, wanted: string) =>
    findings.fail(
      `server.${key}-mismatch`,
      `mcp_servers.${name}.${key} ${key === 'args' ? 'are' : 'is'} ${actual} but ${expectationsFrom} expects ${wanted}; fix whichever is wrong`,
      field.lineOf(key),
    );
  if (want.transport && server.transport && want.transport !== server.transport) mismatch('transport', quoted(server.transport), quoted(want.transport));
  if (want.command !== undefined && want.command !== server.command) mismatch('command', quoted(server.command), quoted(want.command));
  if (want.args !== undefined && JSON.stringify(want.args) !== JSON.stringify(server.args)) {
    mismatch('args', JSON.stringify(server.args), JSON.stringify(want.args));
  }
  if (want.url !== undefined && want.url !== server.url) mismatch('url', quoted(server.url), quoted(want.url));
}

/** Every expected server is registered; a near miss (other case, `-` for `_`) is named. */
function checkExpectedRegistered(names: string[], line: number, scan: ConfigScan): void {
  const { expected, expectationsFrom, facts } = scan;
  for (const name of Object.keys(expected)) {
    if (names.includes(name)) continue;
    const similar = names.find((n) => normalize(n) === normalize(name));
    const hint = similar
      ? ` — "${similar}" (line ${facts.servers.find((s) => s.name === similar)!.line}) looks like it; rename one so they match`
      : `; add it under mcp_servers or fix the name in ${expectationsFrom}`;
    scan.findings.fail('server.missing', `MCP server "${name}" is not registered in mcp_servers but ${expectationsFrom} in proofbook.config.yaml expects it${hint}`, line);
  }
}
