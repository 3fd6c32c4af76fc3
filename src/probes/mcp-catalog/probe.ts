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
 * LiteLLM 1.77.x and SSE: `GET /mcp/sse` answers 200 `text/event-stream` but never sends the
 * `endpoint` event a legacy SSE client waits for, only sse_starlette's `: ping - <time>` every
 * 15 s. In litellm/proxy/_experimental/mcp_server/server.py the MCP app mounts its streamable
 * HTTP handler at "/" *before* the SSE handler at "/sse", so Starlette routes /mcp/sse to the
 * streamable HTTP handler (JSON responses); its GET is the spec's optional server-to-client
 * notification stream, which carries nothing but pings. The legacy `SseServerTransport`
 * ("/mcp/sse/messages") is created but never mounted. The same handler reads the path segment
 * `sse` as a server selection (`/mcp/<servers>`), matches no server and falls back to all of
 * them, so `x-mcp-servers` is ignored on /mcp/sse. When the SSE stream is stuck, the probe POSTs
 * `initialize` to the SSE path: if that answers as streamable HTTP, the SSE transport *warns*
 * with this reason (clients must use streamable HTTP); otherwise it fails.
 *
 * The input schema of every tool is hashed (`facts.schemas`); the definition's `compare`
 * (./compare.ts) diffs that catalog against the previous evidence (`facts.diff`, or
 * `facts.lastCatalog` when no transport listed tools). The probe itself reads no evidence.
 */
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { LATEST_PROTOCOL_VERSION, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { PACKAGE_VERSION } from '../../package-root.ts';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { gatewayKey } from '../kit/gateway-key.ts';
import { recordingFetch, SseParser, type HttpExchange, type RecordingFetch, recordingLimits, type RecordingLimits } from '../kit/recording-fetch.ts';
import { caFileInputs } from '../kit/live-http.ts';
import type { McpCatalogOptions } from './options.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import type { CatalogTransport, TransportCheck, CatalogFacts } from './facts.ts';
export type { CatalogTransport, CatalogServer, TransportCheck, CatalogDiff, CatalogSnapshot, CatalogFacts } from './facts.ts';

const TRANSPORT_LABEL: Record<CatalogTransport, string> = { 'streamable-http': 'streamable HTTP', sse: 'SSE' };

export const mcpCatalogProbe: Probe<CatalogFacts> = {
  id: 'mcp.catalog',
  inputs: caFileInputs,
  async run(context: ProbeContext): Promise<ProbeOutcome<CatalogFacts>> {
    const options = context.config.probes['mcp.catalog'];
    const mcp = gatewayMcp(context.config);
    const transports = options.transports ?? ['streamable-http'];
    const host = context.config.hostByName(options.host);
    const endpoints: Record<CatalogTransport, string> = {
      'streamable-http': new URL(mcp.path, host.url).toString(),
      sse: new URL(options.ssePath ?? '/mcp/sse', host.url).toString(),
    };
    const key = gatewayKey(context);
    const facts: CatalogFacts = {
      host: host.name,
      endpoint: endpoints[transports[0]!],
      pages: 0,
      toolCount: 0,
      servers: [],
      otherTools: [],
      reproduce: reproduceCommand(endpoints['streamable-http'], context.config.gateway.keyEnvVar, mcp.servers),
      transports: [],
    };
    const withoutCatalog = (status: ProbeStatus, summary: string, transcript: TranscriptEntry[]): ProbeOutcome<CatalogFacts> => ({
      status,
      summary,
      facts,
      transcript,
      target: transports.map((t) => endpoints[t]),
    });

    if (!key.value) {
      return withoutCatalog('error', `no gateway key: set ${context.config.gateway.keyEnvVar} in the environment or in one of secretsFiles`, []);
    }

    const signal = probeDeadline(context.signal, options.timeoutMs);
    const session: SessionOptions = {
      headers: { 'x-litellm-api-key': `Bearer ${key.value}`, 'x-mcp-servers': mcp.servers.join(',') },
      fetch: context.http.fetch,
      limits: recordingLimits(context.config),
      signal,
      // Leave room for the SSE diagnosis and for closing before the probe's own deadline.
      waitMs: Math.min(options.streamWaitMs ?? 20_000, Math.max(1_000, Math.round(options.timeoutMs * 0.7))),
      pingLimit: options.pingLimit ?? 3,
      keyEnvVar: context.config.gateway.keyEnvVar,
    };
    const legs = await Promise.all(transports.map((kind) => listOver(kind, endpoints[kind], session)));
    const transcript = legs.flatMap((leg) => leg.transcript);
    facts.transports = legs.map((leg) => leg.check);

    const problems = legs.filter((leg) => leg.check.status === 'fail').map((leg) => leg.problem!);
    const primary = legs.find((leg) => leg.tools);
    if (!primary) return withoutCatalog('fail', problems.join('; '), transcript);

    const tools = primary.tools!;
    facts.endpoint = primary.check.endpoint;
    facts.serverVersion = primary.serverVersion;
    facts.protocolVersion = primary.protocolVersion;
    facts.pages = primary.pages;
    facts.toolCount = tools.length;
    facts.schemas = schemaHashes(tools);

    // LiteLLM exposes tools as `<server>-<tool>`; server names cannot contain '-'.
    const servers = [...mcp.servers].sort((a, b) => b.length - a.length);
    const byServer = new Map<string, string[]>(mcp.servers.map((s) => [s, []]));
    for (const name of tools.map((t) => t.name).sort()) {
      const server = servers.find((s) => name.startsWith(`${s}-`));
      if (server) byServer.get(server)!.push(name.slice(server.length + 1));
      else facts.otherTools.push(name);
    }
    facts.servers = mcp.servers.map((name) => {
      const listed = byServer.get(name)!.sort();
      const expected = options.expectedTools[name] ?? [];
      return { name, tools: listed, missingTools: expected.filter((t) => !listed.includes(t)) };
    });

    const catalogProblems: string[] = [];
    for (const server of facts.servers) {
      if (server.tools.length === 0) catalogProblems.push(`no tools from ${server.name}`);
      else if (server.missingTools.length) catalogProblems.push(`${server.name} lacks ${server.missingTools.join(', ')}`);
    }
    if (catalogProblems.length) problems.unshift(`${facts.endpoint}: ${catalogProblems.join('; ')}`);

    const warnings: string[] = [];
    for (const leg of legs) {
      if (leg === primary) continue;
      const label = TRANSPORT_LABEL[leg.check.transport];
      if (leg.check.status === 'warn') warnings.push(`${label}: ${leg.short ?? leg.check.note}`);
      else if (leg.tools) {
        const mismatch = describeMismatch(facts.schemas, schemaHashes(leg.tools));
        if (mismatch) {
          leg.check.status = 'warn';
          leg.check.note = `lists a different catalog than ${TRANSPORT_LABEL[primary.check.transport]}: ${mismatch}`;
          warnings.push(`${label} ${leg.check.note}`);
        }
      }
    }

    const target = transports.map((t) => endpoints[t]);
    if (problems.length) return { status: 'fail', summary: problems.join('; '), facts, transcript, target };
    const counts = facts.servers.map((s) => `${s.name} ${s.tools.length}`).join(', ');
    const over = legs.length > 1 ? ` over ${legs.filter((l) => l.tools).map((l) => TRANSPORT_LABEL[l.check.transport]).join(' and ')}` : '';
    const summary = `${facts.toolCount} tools via ${host.name}${over} (${counts})${warnings.map((w) => `; ${w}`).join('')}`;
    return { status: warnings.length ? 'warn' : 'pass', summary, facts, transcript, target };
  },
};

// ---------------------------------------------------------------------------------------------
// One transport

export interface SessionOptions {
  headers: Record<string, string>;
  fetch: ProbeContext['http']['fetch'];
  signal: AbortSignal;
  waitMs: number;
  pingLimit: number;
  keyEnvVar: string;
  /** How much of each exchange is recorded (evidence.maxRecordedBytes / maxRecordedEvents). */
  limits: RecordingLimits;
}

interface Leg {
  check: TransportCheck;
  /** Why it failed, for the summary. */
  problem?: string;
  /** A short form of a warning's note, for the summary. */
  short?: string;
  tools?: Tool[];
  pages: number;
  serverVersion?: string;
  protocolVersion?: string;
  transcript: TranscriptEntry[];
}

async function listOver(kind: CatalogTransport, endpoint: string, session: SessionOptions): Promise<Leg> {
  const started = performance.now();
  const recorder = recordingFetch(session.fetch, session.limits);
  const url = new URL(endpoint);
  const transport: Transport =
    kind === 'sse'
      ? new SSEClientTransport(url, { fetch: recorder.fetch, requestInit: { headers: session.headers } })
      : new StreamableHTTPClientTransport(url, { fetch: recorder.fetch, requestInit: { headers: session.headers } });
  let negotiated: string | undefined;
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    negotiated = version;
    setProtocolVersion?.(version);
  };
  const client = new Client({ name: 'proofbook', version: PACKAGE_VERSION });
  // The stream that must carry the answers: SSE's GET stream; a streamable HTTP POST's response.
  const relevant = (e: HttpExchange) => (kind === 'sse' ? e.method === 'GET' : e.method === 'POST');
  const watch = <T>(what: string, operation: () => Promise<T>) =>
    watchStreams(operation(), { recorder, relevant, what, waitMs: session.waitMs, pingLimit: session.pingLimit, signal: session.signal });

  const leg: Leg = { check: { transport: kind, endpoint, status: 'pass', responses: [], sseEvents: [] }, pages: 0, transcript: [] };
  const tools: Tool[] = [];
  let failure: unknown;
  try {
    await watch('initialize', () => client.connect(transport, { signal: session.signal }));
    leg.serverVersion = client.getServerVersion()?.version;
    leg.protocolVersion = negotiated;
    let cursor: string | undefined;
    do {
      const page = await watch('tools/list', () => client.listTools(cursor ? { cursor } : {}, { signal: session.signal }));
      tools.push(...page.tools);
      leg.pages++;
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    failure = error;
  }
  await client.close().catch(() => {});

  let diagnosis: Diagnosis | undefined;
  if (failure && kind === 'sse' && failure instanceof StreamStall) diagnosis = await diagnoseSsePath(endpoint, recorder, session);
  await recorder.settle();

  // A streamable HTTP client's optional GET stream may or may not be answered before close: left out.
  const answered = recorder.exchanges.filter((e) => kind === 'sse' || e.method !== 'GET');
  leg.check.responses = responseLines(answered);
  leg.check.sseEvents = [...new Set(answered.flatMap((e) => (e.sseEvents ?? []).map((event) => event.event)))].sort();
  if (failure) {
    const path = url.pathname;
    if (diagnosis?.streamableHttp) {
      leg.check.status = 'warn';
      // The explanation is LiteLLM's (read in its source, see the module comment); other servers get the observation only.
      const litellm =
        diagnosis.serverName === 'litellm-mcp-server'
          ? ' LiteLLM 1.77.x routes /mcp/sse to its streamable HTTP handler (mounted at / before /sse; its SseServerTransport ' +
            'is never mounted) and reads "sse" there as a server name, so x-mcp-servers is ignored on that path.'
          : '';
      leg.check.note =
        `GET ${path} sends no "endpoint" event, only keep-alive pings, while POST ${path} answers as streamable HTTP` +
        `${diagnosis.serverName ? ` (${diagnosis.serverName})` : ''}: the legacy SSE transport is not served here.${litellm} ` +
        'SSE-only clients cannot connect; use streamable HTTP.';
      leg.short = `${path} does not serve the legacy SSE transport (no "endpoint" event, only keep-alive pings; it answers as streamable HTTP)`;
    } else {
      leg.check.status = 'fail';
      leg.check.note = `${httpHint(recorder.exchanges, session.keyEnvVar)}${describe(failure)}`;
      leg.problem =
        kind === 'streamable-http'
          ? `cannot list tools at ${endpoint}: ${leg.check.note}`
          : `cannot list tools over SSE at ${endpoint}: ${leg.check.note}`;
    }
  } else {
    leg.tools = tools;
    leg.check.toolCount = tools.length;
  }
  leg.transcript = [
    ...recorder.exchanges.map((e) => ({ ...e, transport: kind })),
    {
      at: new Date().toISOString(),
      kind: 'mcp.transport',
      transport: kind,
      endpoint,
      status: leg.check.status,
      durationMs: Math.round(performance.now() - started),
      ...(failure ? { error: describe(failure) } : { pages: leg.pages, toolCount: tools.length }),
    },
  ];
  return leg;
}

interface Diagnosis {
  /** POST initialize on the SSE path was answered with a JSON-RPC result. */
  streamableHttp: boolean;
  serverName?: string;
}

/** POSTs `initialize` to the SSE path: does the gateway serve it as streamable HTTP instead? */
async function diagnoseSsePath(endpoint: string, recorder: RecordingFetch, session: SessionOptions): Promise<Diagnosis> {
  const controller = new AbortController();
  const signal = AbortSignal.any([session.signal, controller.signal, AbortSignal.timeout(Math.min(5_000, session.waitMs))]);
  try {
    const response = await recorder.fetch(endpoint, {
      method: 'POST',
      headers: { ...session.headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'proofbook-sse-check',
        method: 'initialize',
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'proofbook', version: PACKAGE_VERSION } },
      }),
      signal,
    });
    if (!response.ok) return { streamableHttp: false };
    const message = await firstJsonRpcMessage(response, session.pingLimit);
    const result = (message as { result?: { serverInfo?: { name?: string } } } | undefined)?.result;
    return result ? { streamableHttp: true, serverName: result.serverInfo?.name } : { streamableHttp: false };
  } catch {
    return { streamableHttp: false };
  } finally {
    controller.abort();
  }
}

/** The first JSON-RPC message of a JSON or SSE response; undefined after `pingLimit` pings or at the end. */
async function firstJsonRpcMessage(response: Response, pingLimit: number): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) return JSON.parse(await response.text());
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  // Incremental: each chunk is parsed once, however long the stream of pings.
  const sse = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const message = sse.push(decoder.decode(value, { stream: true })).find((e) => e.event === 'message' && e.data);
      if (message) return JSON.parse(message.data);
      if (sse.pings >= pingLimit) return undefined;
    }
  } finally {
    // Not awaited: a cloned (tee'd) body cancels only once the recorder's copy is cancelled too,
    // which the caller's abort does.
    reader.cancel().catch(() => {});
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Streams that carry only keep-alive pings

/** A stream that should carry an MCP message sent only keep-alive pings. */
export class StreamStall extends Error {
  readonly pings: number;
  constructor(pings: number, exchange: HttpExchange, what: string, waitMs: number) {
    const where = `${exchange.method} ${new URL(exchange.url).pathname}, waiting for ${what}`;
    super(
      pings > 0
        ? `only ${pings} keep-alive ping${pings === 1 ? '' : 's'}, no MCP events (${where})`
        : `no MCP events and no keep-alive pings in ${waitMs} ms (${where})`,
    );
    this.name = 'StreamStall';
    this.pings = pings;
  }
}

/**
 * Runs `operation` while watching the SSE streams `relevant` selects: once one of them has sent
 * `pingLimit` keep-alive pings, or `waitMs` passed, with no MCP event since the operation began,
 * the operation is abandoned with a StreamStall (the caller closes the transport). The ping
 * count reported is capped at `pingLimit`, so the message is the same from run to run.
 */
export function watchStreams<T>(
  operation: Promise<T>,
  options: { recorder: RecordingFetch; relevant: (e: HttpExchange) => boolean; what: string; waitMs: number; pingLimit: number; signal: AbortSignal },
): Promise<T> {
  const before = new Map(options.recorder.exchanges.map((e) => [e, { events: e.sseEvents?.length ?? 0, pings: e.ssePings ?? 0 }]));
  const started = performance.now();
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      clearInterval(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      stop();
      reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    };
    const timer = setInterval(() => {
      let stalled: { exchange: HttpExchange; pings: number } | undefined;
      for (const exchange of options.recorder.exchanges) {
        if (!options.relevant(exchange) || !exchange.contentType?.includes('text/event-stream')) continue;
        const base = before.get(exchange) ?? { events: 0, pings: 0 };
        if ((exchange.sseEvents?.length ?? 0) > base.events) continue;
        const pings = (exchange.ssePings ?? 0) - base.pings;
        if (!stalled || pings > stalled.pings) stalled = { exchange, pings };
      }
      if (!stalled) return;
      if (stalled.pings >= options.pingLimit || performance.now() - started >= options.waitMs) {
        stop();
        reject(new StreamStall(Math.min(stalled.pings, options.pingLimit), stalled.exchange, options.what, options.waitMs));
      }
    }, 25);
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    operation.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error) => {
        stop();
        reject(error);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Catalog diff

/** sha256 (16 hex) of a value's canonical JSON (object keys sorted at every level). */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function schemaHashes(tools: Tool[]): Record<string, string> {
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Object.fromEntries(sorted.map((tool) => [tool.name, hashJson(tool.inputSchema ?? {})]));
}

function describeMismatch(primary: Record<string, string>, other: Record<string, string>): string | undefined {
  const missing = Object.keys(primary).filter((n) => !(n in other));
  const extra = Object.keys(other).filter((n) => !(n in primary));
  const changed = Object.keys(primary).filter((n) => n in other && other[n] !== primary[n]);
  const parts = [
    ...(missing.length ? [`lacks ${missing.join(', ')}`] : []),
    ...(extra.length ? [`adds ${extra.join(', ')}`] : []),
    ...(changed.length ? [`other input schema for ${changed.join(', ')}`] : []),
  ];
  return parts.length ? parts.join('; ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by mcp.invoke)

/** The context's signal, or a deadline a little before `timeoutMs` so the probe reports its own timeout first. */
export function probeDeadline(signal: AbortSignal, timeoutMs: number): AbortSignal {
  const budget = Math.max(Math.round(timeoutMs * 0.5), timeoutMs - Math.min(1_000, Math.round(timeoutMs * 0.1)));
  return AbortSignal.any([signal, AbortSignal.timeout(budget)]);
}

/** `POST /mcp/ tools/list: 200 application/json`, one per kind of answered exchange, sorted. */
export function responseLines(exchanges: HttpExchange[]): string[] {
  const lines = exchanges
    .filter((e) => e.status !== undefined)
    .map((e) => {
      let rpc = '';
      try {
        const body = e.requestBody ? (JSON.parse(e.requestBody) as { method?: string }) : undefined;
        if (body?.method) rpc = ` ${body.method}`;
      } catch {
        // not JSON-RPC
      }
      return `${e.method} ${new URL(e.url).pathname}${rpc}: ${e.status}${e.contentType ? ` ${e.contentType}` : ''}`;
    });
  return [...new Set(lines)].sort();
}

function reproduceCommand(endpoint: string, keyEnvVar: string, servers: string[]): string {
  const restList = new URL('/mcp-rest/tools/list', endpoint).toString();
  return `curl -s -H "x-litellm-api-key: Bearer $${keyEnvVar}" -H "x-mcp-servers: ${servers.join(',')}" ${restList}`;
}

/** Names the HTTP status that broke the session, and what to check for the usual ones. */
export function httpHint(exchanges: HttpExchange[], keyEnvVar: string): string {
  const failed = exchanges.findLast((e) => e.status !== undefined && e.status >= 400);
  if (!failed) return '';
  const hints: Record<number, string> = {
    401: `the gateway rejected the key; check ${keyEnvVar}`,
    403: `the key may not use these servers; check ${keyEnvVar} and x-mcp-servers`,
    // Seen with LiteLLM 1.77.1: a rejected key on /mcp/ surfaces as 500 "MCP request failed".
    500: `the gateway failed the request; LiteLLM 1.77.x answers a rejected key this way too, so check ${keyEnvVar}`,
    404: 'no route; check the host and path (keep the trailing slash of /mcp/)',
    502: 'Traefik cannot reach LiteLLM; is it running, on the port the compose label names?',
    503: 'the service is unavailable behind Traefik',
  };
  const hint = hints[failed.status!] ?? '';
  return `HTTP ${failed.status} from ${failed.method} ${failed.url}${hint ? ` (${hint})` : ''}: `;
}

export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${message}${cause}`;
}
