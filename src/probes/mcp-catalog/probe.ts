/**
 * `mcp.catalog`: lists the gateway's full MCP tool catalog with the official SDK, through
 * Traefik on the configured host, over each configured transport (streamable HTTP at `gateway.mcp.path`,
 * the legacy HTTP+SSE transport at `ssePath`), following `nextCursor`, and checks that every
 * server of `gateway.mcp.servers` and every expected tool is there.
 *
 * Streams are watched: an SSE stream that should carry an MCP message but sends only
 * keep-alive pings (`: ping` comments or `event: ping`) fails the transport with "only N
 * keep-alive pings, no MCP events" once `pingLimit` pings arrived or `streamWaitMs` passed.
 *
 * One transport's session, and what LiteLLM 1.77.x and 1.104.0+ do with SSE: ./transports.ts; schema
 * hashes: ./schemas.ts; deadline and stream watching, shared with mcp.invoke: ../kit/mcp-session.ts.
 *
 * The input schema of every tool is hashed (`facts.schemas`); the definition's `compare`
 * (./compare.ts) diffs that catalog against the previous evidence (`facts.diff`, or
 * `facts.lastCatalog` when no transport listed tools). The probe itself reads no evidence.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { curlKeyOption, gatewayKey, keyHeaders } from '../kit/gateway-key.ts';
import { probeDeadline } from '../kit/mcp-session.ts';
import { recordingLimits } from '../kit/recording-fetch.ts';
import { caFileInputs } from '../kit/live-http.ts';
import type { McpCatalogOptions } from './options.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import type { CatalogTransport, CatalogFacts, CatalogServer } from './facts.ts';
import { describeMismatch, schemaHashes } from './schemas.ts';
import { listOver, type Leg, type SessionOptions } from './transports.ts';
export type { CatalogTransport, CatalogServer, TransportCheck, CatalogDiff, CatalogSnapshot, CatalogFacts } from './facts.ts';

const TRANSPORT_LABEL: Record<CatalogTransport, string> = { 'streamable-http': 'streamable HTTP', sse: 'SSE' };

export const mcpCatalogProbe: Probe<CatalogFacts, McpCatalogOptions> = {
  id: 'mcp.catalog',
  inputs: caFileInputs,
  async run(context: ProbeContext<McpCatalogOptions>): Promise<ProbeOutcome<CatalogFacts>> {
    const options = context.options;
    const mcp = gatewayMcp(context.config);
    const keyEnvVar = context.config.gateway.keyEnvVar;
    const transports = options.transports ?? ['streamable-http'];
    const host = context.config.hostByName(options.host);
    const endpoints: Record<CatalogTransport, string> = {
      'streamable-http': new URL(mcp.path, host.url).toString(),
      sse: new URL(options.ssePath ?? '/mcp/sse', host.url).toString(),
    };
    const target = transports.map((t) => endpoints[t]);
    const facts: CatalogFacts = {
      host: host.name,
      endpoint: endpoints[transports[0]!],
      pages: 0,
      toolCount: 0,
      servers: [],
      otherTools: [],
      reproduce: reproduceCommand(endpoints['streamable-http'], keyEnvVar, mcp.servers),
      transports: [],
    };
    const outcome = (status: ProbeStatus, summary: string, transcript: TranscriptEntry[]): ProbeOutcome<CatalogFacts> => ({ status, summary, facts, transcript, target });

    const key = gatewayKey(context);
    if (!key.value) return outcome('error', `no gateway key: set ${keyEnvVar} in the environment or in one of secretsFiles`, []);

    const session: SessionOptions = {
      headers: { ...keyHeaders(key.value), 'x-mcp-servers': mcp.servers.join(',') },
      fetch: context.http.fetch,
      limits: recordingLimits(context.config),
      signal: probeDeadline(context.signal, options.timeoutMs),
      // Leave room for the SSE diagnosis and for closing before the probe's own deadline.
      waitMs: Math.min(options.streamWaitMs ?? 20_000, Math.max(1_000, Math.round(options.timeoutMs * 0.7))),
      pingLimit: options.pingLimit ?? 3,
      keyEnvVar,
    };
    const legs = await Promise.all(transports.map((kind) => listOver(kind, endpoints[kind], session)));
    const transcript = legs.flatMap((leg) => leg.transcript);
    facts.transports = legs.map((leg) => leg.check);

    const problems = legs.filter((leg) => leg.check.status === 'fail').map((leg) => leg.problem!);
    const primary = legs.find((leg) => leg.tools);
    if (!primary) return outcome('fail', problems.join('; '), transcript);

    const tools = primary.tools!;
    facts.endpoint = primary.check.endpoint;
    facts.serverVersion = primary.serverVersion;
    facts.protocolVersion = primary.protocolVersion;
    facts.pages = primary.pages;
    facts.toolCount = tools.length;
    facts.schemas = schemaHashes(tools);
    const grouped = toolsByServer(tools, mcp.servers, options.expectedTools);
    facts.servers = grouped.servers;
    facts.otherTools = grouped.otherTools;

    const catalogProblems = serverProblems(facts.servers);
    if (catalogProblems.length) problems.unshift(`${facts.endpoint}: ${catalogProblems.join('; ')}`);
    const warnings = otherTransportWarnings(legs, primary, facts.schemas);

    if (problems.length) return outcome('fail', problems.join('; '), transcript);
    const counts = facts.servers.map((s) => `${s.name} ${s.tools.length}`).join(', ');
    const over = legs.length > 1 ? ` over ${legs.filter((l) => l.tools).map((l) => TRANSPORT_LABEL[l.check.transport]).join(' and ')}` : '';
    const summary = `${facts.toolCount} tools via ${host.name}${over} (${counts})${warnings.map((w) => `; ${w}`).join('')}`;
    return outcome(warnings.length ? 'warn' : 'pass', summary, transcript);
  },
};

/** The listed tools by configured server (LiteLLM names them `<server>-<tool>`), with the expected ones missing; the rest apart. */
function toolsByServer(tools: Tool[], configured: string[], expectedTools: McpCatalogOptions['expectedTools']): { servers: CatalogServer[]; otherTools: string[] } {
  // Server names cannot contain '-'; the longest name first, should one prefix another.
  const longestFirst = [...configured].sort((a, b) => b.length - a.length);
  const byServer = new Map<string, string[]>(configured.map((s) => [s, []]));
  const otherTools: string[] = [];
  for (const name of tools.map((t) => t.name).sort()) {
    const server = longestFirst.find((s) => name.startsWith(`${s}-`));
    if (server) byServer.get(server)!.push(name.slice(server.length + 1));
    else otherTools.push(name);
  }
  const servers = configured.map((name) => {
    const listed = byServer.get(name)!.sort();
    const expected = expectedTools[name] ?? [];
    return { name, tools: listed, missingTools: expected.filter((t) => !listed.includes(t)) };
  });
  return { servers, otherTools };
}

/** A server with no tools, or without a tool it is expected to have. */
function serverProblems(servers: CatalogServer[]): string[] {
  const problems: string[] = [];
  for (const server of servers) {
    if (server.tools.length === 0) problems.push(`no tools from ${server.name}`);
    else if (server.missingTools.length) problems.push(`${server.name} lacks ${server.missingTools.join(', ')}`);
  }
  return problems;
}

/** The other transports' warnings, and a warning (set on its check) for one that lists a different catalog than `primary`. */
function otherTransportWarnings(legs: Leg[], primary: Leg, schemas: Record<string, string>): string[] {
  const warnings: string[] = [];
  for (const leg of legs) {
    if (leg === primary) continue;
    const label = TRANSPORT_LABEL[leg.check.transport];
    if (leg.check.status === 'warn') warnings.push(`${label}: ${leg.short ?? leg.check.note}`);
    else if (leg.tools) {
      const mismatch = describeMismatch(schemas, schemaHashes(leg.tools));
      if (mismatch) {
        leg.check.status = 'warn';
        leg.check.note = `lists a different catalog than ${TRANSPORT_LABEL[primary.check.transport]}: ${mismatch}`;
        warnings.push(`${label} ${leg.check.note}`);
      }
    }
  }
  return warnings;
}

function reproduceCommand(endpoint: string, keyEnvVar: string, servers: string[]): string {
  const restList = new URL('/mcp-rest/tools/list', endpoint).toString();
  return `curl -s ${curlKeyOption(keyEnvVar)} -H "x-mcp-servers: ${servers.join(',')}" ${restList}`;
}
