/**
 * One transport of `mcp.catalog`: an MCP session over streamable HTTP or the legacy HTTP+SSE
 * transport, listing every page of tools, every exchange recorded, and what went wrong said so
 * a person can act on it (a stream of pings only, an HTTP status, a transport not served).
 *
 * LiteLLM 1.77.x and SSE: `GET /mcp/sse` answers 200 `text/event-stream` but never sends the
 * `endpoint` event a legacy SSE client waits for, only sse_starlette's `: ping - <time>` every
 * 15 s. In litellm/proxy/_experimental/mcp_server/server.py the MCP app mounts its streamable
 * HTTP handler at "/" *before* the SSE handler at "/sse", so Starlette routes /mcp/sse to the
 * streamable HTTP handler (JSON responses); its GET is the spec's optional server-to-client
 * notification stream, which carries nothing but pings. The legacy `SseServerTransport`
 * ("/mcp/sse/messages") is created but never mounted. The same handler reads the path segment
 * `sse` as a server selection (`/mcp/<servers>`), matches no server and falls back to all of
 * them, so `x-mcp-servers` is ignored on /mcp/sse. While the SSE session starts, the probe POSTs
 * `initialize` to the SSE path: if that answers as streamable HTTP, the GET on the same path is
 * that handler's notification stream, which never sends the `endpoint` event, so the question is
 * settled without waiting out `streamWaitMs`: the SSE transport *warns* with this reason (clients
 * must use streamable HTTP), and the transcript records why it did not wait. When the POST does
 * not settle it, the stream is watched as before; a stall without that answer fails.
 *
 * From LiteLLM 1.104.0 on, GET /mcp/sse is the legacy SSE transport: it sends the `endpoint` event
 * at once and the session works, while POST /mcp/sse still answers as streamable HTTP (the handler
 * at "/" is still mounted). So the POST alone settles nothing: the session is stopped early only
 * when its GET stream, once open, has announced no `endpoint` within ANNOUNCE_GRACE_MS (a legacy
 * SSE server sends it as the stream's first event), and a GET stream that did announce one is
 * never reported as "not served": if its session then fails, that is a failure of the transport.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { LATEST_PROTOCOL_VERSION, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { PACKAGE_VERSION } from '../../package-root.ts';
import { describeError, httpHint, responseLines, StreamStall, watchStreams } from '../kit/mcp-session.ts';
import { DEFAULT_LIMITS, recordingFetch, SseParser, type HttpExchange, type RecordingFetch, type RecordingLimits } from '../kit/recording-fetch.ts';
import type { ProbeContext, TranscriptEntry } from '../types.ts';
import type { CatalogTransport, TransportCheck } from './facts.ts';

/** What every transport's session gets: headers, how to fetch, deadline and stream limits. */
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

/** How one transport did, with what it listed. */
export interface Leg {
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

/** Lists the catalog over one transport (`kind`) at `endpoint`; never throws for what the server does. */
export async function listOver(kind: CatalogTransport, endpoint: string, session: SessionOptions): Promise<Leg> {
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

  const leg: Leg = { check: { transport: kind, endpoint, status: 'pass', responses: [], sseEvents: [] }, pages: 0, transcript: [] };
  const tools: Tool[] = [];
  const early = kind === 'sse' ? settleSseEarly(endpoint, recorder, session) : undefined;
  const sessionSignal = early ? AbortSignal.any([session.signal, early.signal]) : session.signal;
  const watch = <T>(what: string, operation: () => Promise<T>) =>
    watchStreams(operation(), { recorder, relevant, what, waitMs: session.waitMs, pingLimit: session.pingLimit, eventLimit: session.limits.maxEvents ?? DEFAULT_LIMITS.maxEvents, signal: sessionSignal });
  let failure: unknown;
  try {
    await watch('initialize', () => client.connect(transport, { signal: sessionSignal }));
    leg.serverVersion = client.getServerVersion()?.version;
    leg.protocolVersion = negotiated;
    let cursor: string | undefined;
    do {
      const page = await watch('tools/list', () => client.listTools(cursor ? { cursor } : {}, { signal: sessionSignal }));
      tools.push(...page.tools);
      leg.pages++;
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    failure = error;
  }
  await client.close().catch(() => {});

  const settled = Boolean(early && failure && early.signal.aborted && !session.signal.aborted);
  if (settled) failure = new StreamSettled(url.pathname);
  // A stream that announced its endpoint serves the legacy transport, whatever POST answers there.
  const diagnosis = early && !announcedEndpoint(recorder) && (failure instanceof StreamStall || settled) ? await early.diagnosis : undefined;
  if (early && !diagnosis) early.cancel(); // the SSE session spoke: its POST is not part of the evidence
  await early?.diagnosis;
  await Promise.all([recorder.settle(), early?.recorder.settle()]);

  // A streamable HTTP client's optional GET stream may or may not be answered before close: left out.
  const exchanges = [...recorder.exchanges, ...(diagnosis ? early!.recorder.exchanges : [])];
  const answered = exchanges.filter((e) => kind === 'sse' || e.method !== 'GET');
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
      leg.check.note = `${httpHint(answered, session.keyEnvVar)}${describeError(failure)}`;
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
    ...exchanges.map((e) => ({ ...e, transport: kind })),
    {
      at: new Date().toISOString(),
      kind: 'mcp.transport',
      transport: kind,
      endpoint,
      status: leg.check.status,
      durationMs: Math.round(performance.now() - started),
      ...(failure ? { error: describeError(failure) } : { pages: leg.pages, toolCount: tools.length }),
      ...(settled ? { decided: `POST ${url.pathname} answered as streamable HTTP, so GET ${url.pathname} is its notification stream: no "endpoint" event will come, no need to wait ${session.waitMs} ms` } : {}),
    },
  ];
  return leg;
}

/** The SSE session was stopped because the POST diagnosis settled the question (see the module comment). */
class StreamSettled extends Error {
  constructor(path: string) {
    super(`GET ${path} is the streamable HTTP handler's notification stream (POST ${path} answered initialize)`);
    this.name = 'StreamSettled';
  }
}

/**
 * Diagnoses the SSE path beside the SSE session, with its own recorder (its POST joins the
 * evidence only when it is used). `signal` aborts the session once the POST shows streamable
 * HTTP and the session's GET has its response (so the evidence lists that response every time).
 */
function settleSseEarly(endpoint: string, sessionRecorder: RecordingFetch, session: SessionOptions) {
  const recorder = recordingFetch(session.fetch, session.limits);
  const stop = new AbortController();
  const cancel = new AbortController();
  const diagnosis = diagnoseSsePath(endpoint, recorder, { ...session, signal: AbortSignal.any([session.signal, cancel.signal]) });
  void diagnosis.then(async (found) => {
    if (!found.streamableHttp || cancel.signal.aborted) return;
    const opened = () => sessionRecorder.exchanges.some((e) => e.method === 'GET' && (e.status !== undefined || e.error !== undefined));
    const wait = async (until: number, done: () => boolean) => {
      while (!done() && performance.now() < until && !cancel.signal.aborted) await new Promise((r) => setTimeout(r, 25));
    };
    await wait(performance.now() + 2_000, opened);
    // Open, but is it the legacy transport? Its first event says so (LiteLLM 1.104.0+); then the session goes on.
    await wait(performance.now() + ANNOUNCE_GRACE_MS, () => announcedEndpoint(sessionRecorder));
    if (!cancel.signal.aborted && !announcedEndpoint(sessionRecorder)) stop.abort(new Error('settled early'));
  });
  return { signal: stop.signal, diagnosis, recorder, cancel: () => cancel.abort() };
}

/**
 * How long an open SSE stream may take to send its `endpoint` event before the POST diagnosis
 * settles it as not served: a legacy SSE server sends that event first, as soon as the stream opens.
 */
const ANNOUNCE_GRACE_MS = 1_000;

/** The session's GET stream sent an `endpoint` event: the legacy SSE transport is served there. */
function announcedEndpoint(recorder: RecordingFetch): boolean {
  return recorder.exchanges.some((e) => e.method === 'GET' && (e.sseEvents ?? []).some((event) => event.event === 'endpoint'));
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
  // Incremental: each chunk is parsed once, however long the stream of pings; events are handed over, not kept.
  const sse = new SseParser(0, DEFAULT_LIMITS.maxBodyBytes);
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
