/**
 * `mcp.catalog`: lists the gateway's full MCP tool catalog with the official SDK over
 * streamable HTTP, through Traefik on the configured host, and checks that every expected
 * server and tool is there.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { PACKAGE_VERSION } from '../package-root.ts';
import { gatewayKey } from './gateway-key.ts';
import { recordingFetch, type HttpExchange } from './recording-fetch.ts';
import type { Probe, ProbeContext, ProbeOutcome } from './types.ts';

export interface CatalogServer {
  name: string;
  tools: string[];
  missingTools: string[];
}

export interface CatalogFacts {
  host: string;
  endpoint: string;
  serverVersion?: string;
  protocolVersion?: string;
  pages: number;
  toolCount: number;
  servers: CatalogServer[];
  /** Tools whose prefix matches no requested server. */
  otherTools: string[];
  /** Hand-reproducible command (the key is read from the environment, never inlined). */
  reproduce: string;
}

export const mcpCatalogProbe: Probe<CatalogFacts> = {
  id: 'mcp.catalog',
  description: 'Lists the MCP tool catalog through the gateway with the official SDK and checks the expected servers and tools.',
  async run(context: ProbeContext): Promise<ProbeOutcome<CatalogFacts>> {
    const options = context.config.probes['mcp.catalog'];
    const host = context.config.hostByName(options.host);
    const endpoint = new URL(options.path, host.url).toString();
    const key = gatewayKey(context);
    const recorder = recordingFetch(context.http.fetch);
    const facts: CatalogFacts = {
      host: host.name,
      endpoint,
      pages: 0,
      toolCount: 0,
      servers: [],
      otherTools: [],
      reproduce: reproduceCommand(endpoint, context.config.gateway.keyEnvVar, options.servers),
    };
    const transcript = () => recorder.exchanges;

    if (!key.value) {
      return {
        status: 'error',
        summary: `no gateway key: set ${context.config.gateway.keyEnvVar} in the environment or in one of secretsFiles`,
        facts,
        transcript: transcript(),
      };
    }

    const transport = new StreamableHTTPClientTransport(new URL(endpoint), {
      fetch: recorder.fetch,
      requestInit: {
        headers: { 'x-litellm-api-key': `Bearer ${key.value}`, 'x-mcp-servers': options.servers.join(',') },
      },
    });
    const client = new Client({ name: 'proofbook', version: PACKAGE_VERSION });
    const tools: Tool[] = [];
    try {
      await client.connect(transport, { signal: context.signal });
      facts.serverVersion = client.getServerVersion()?.version;
      facts.protocolVersion = transport.protocolVersion;
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {}, { signal: context.signal });
        tools.push(...page.tools);
        facts.pages++;
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      await client.close().catch(() => {});
      await recorder.settle();
      const summary = `cannot list tools at ${endpoint}: ${httpHint(recorder.exchanges, context)}${describe(error)}`;
      return { status: 'fail', summary, facts, transcript: transcript() };
    }
    await client.close().catch(() => {});
    await recorder.settle();

    facts.toolCount = tools.length;
    const names = tools.map((t) => t.name);
    // LiteLLM exposes tools as `<server>-<tool>`; server names cannot contain '-'.
    const servers = [...options.servers].sort((a, b) => b.length - a.length);
    const byServer = new Map<string, string[]>(options.servers.map((s) => [s, []]));
    for (const name of names) {
      const server = servers.find((s) => name.startsWith(`${s}-`));
      if (server) byServer.get(server)!.push(name.slice(server.length + 1));
      else facts.otherTools.push(name);
    }
    facts.servers = options.servers.map((name) => {
      const listed = byServer.get(name)!.sort();
      const expected = options.expectedTools[name] ?? [];
      return { name, tools: listed, missingTools: expected.filter((t) => !listed.includes(t)) };
    });

    const problems: string[] = [];
    for (const server of facts.servers) {
      if (server.tools.length === 0) problems.push(`no tools from ${server.name}`);
      else if (server.missingTools.length) problems.push(`${server.name} lacks ${server.missingTools.join(', ')}`);
    }
    if (problems.length) {
      return { status: 'fail', summary: `${endpoint}: ${problems.join('; ')}`, facts, transcript: transcript() };
    }
    const counts = facts.servers.map((s) => `${s.name} ${s.tools.length}`).join(', ');
    return { status: 'pass', summary: `${facts.toolCount} tools via ${host.name} (${counts})`, facts, transcript: transcript() };
  },
};

function reproduceCommand(endpoint: string, keyEnvVar: string, servers: string[]): string {
  const restList = new URL('/mcp-rest/tools/list', endpoint).toString();
  return `curl -s -H "x-litellm-api-key: Bearer $${keyEnvVar}" -H "x-mcp-servers: ${servers.join(',')}" ${restList}`;
}

/** Names the HTTP status that broke the session, and what to check for the usual ones. */
function httpHint(exchanges: HttpExchange[], context: ProbeContext): string {
  const failed = exchanges.findLast((e) => e.status !== undefined && e.status >= 400);
  if (!failed) return '';
  const hints: Record<number, string> = {
    401: `the gateway rejected the key; check ${context.config.gateway.keyEnvVar}`,
    403: `the key may not use these servers; check ${context.config.gateway.keyEnvVar} and x-mcp-servers`,
    // Seen with LiteLLM 1.77.1: a rejected key on /mcp/ surfaces as 500 "MCP request failed".
    500: `the gateway failed the request; LiteLLM 1.77.x answers a rejected key this way too, so check ${context.config.gateway.keyEnvVar}`,
    404: 'no route; check the host and path (keep the trailing slash of /mcp/)',
    502: 'Traefik cannot reach LiteLLM; is it running, on the port the compose label names?',
    503: 'the service is unavailable behind Traefik',
  };
  const hint = hints[failed.status!] ?? '';
  return `HTTP ${failed.status} from ${failed.method} ${failed.url}${hint ? ` (${hint})` : ''}: `;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${message}${cause}`;
}
