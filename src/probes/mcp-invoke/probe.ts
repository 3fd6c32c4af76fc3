/**
 * `mcp.invoke`: one configured, safe tool call per server through the gateway, with the official
 * SDK over streamable HTTP (key + `x-mcp-servers`), e.g. `mcp_postgres-query {sql: "select 1"}`.
 *
 * Each call passes when it answers without `isError` and its text contains `expect` (when set).
 * - `isError: true`, an `expect` missing from the text, or a JSON-RPC/HTTP error → fail, naming the
 *   server, the tool and the error text;
 * - no answer before the probe's deadline (a little under `timeoutMs`) → error, naming the call;
 * - a server that lists no tools at all (its stdio process crashed or never started) → fail,
 *   naming the server; its calls are not made (LiteLLM 1.77.1 answers them with HTTP 500 or with
 *   a "MCP client session is not initialized" text, varying from call to call).
 *
 * LiteLLM 1.77.1 specifics seen on the lab (litellm/proxy/_experimental/mcp_server/server.py):
 * the gateway returns only `result.content` of the upstream call, so an upstream `isError: true`
 * arrives as `isError: false` with the error text (e.g. filesystem "Access denied …") — set
 * `expect` so such a text fails; and an upstream JSON-RPC error (e.g. postgres "cannot execute
 * DROP TABLE in a read-only transaction") makes LiteLLM's MCP client disconnect inside the
 * request's task, the stateless session crashes (anyio "cancel scope" RuntimeError) and the
 * gateway answers HTTP 500 with JSON-RPC error -32600 "Error processing request: No response
 * received"; the real reason is only in LiteLLM's log.
 *
 * Facts are stable: the calls, their arguments, whether they passed and the (capped) text of the
 * results; timings are in the transcript only.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { PACKAGE_VERSION } from '../../package-root.ts';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { curlKeyOption, gatewayKey, keyHeaders } from '../kit/gateway-key.ts';
import type { InvokeCall, McpInvokeOptions } from './options.ts';
import { describeError, httpHint, probeDeadline, responseLines, watchStreams } from '../kit/mcp-session.ts';
import { recordingFetch, type HttpExchange, type RecordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import { caFileInputs } from '../kit/live-http.ts';
import { cap, resultProblem, textOf } from '../kit/tool-result.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import type { InvokeCallFacts, InvokeFacts } from './facts.ts';
export type { CallOutcome, InvokeCallFacts, InvokeFacts } from './facts.ts';

/** One MCP session through the gateway, as the steps of a run use it. */
interface Session {
  client: Client;
  recorder: RecordingFetch;
  signal: AbortSignal;
  timeoutMs: number;
  keyEnvVar: string;
  /** Transcript notes beside the recorded exchanges. */
  notes: TranscriptEntry[];
  /** Runs an MCP request, abandoning it when its response stream carries only keep-alive pings. */
  watch<T>(what: string, operation: Promise<T>): Promise<T>;
}

export const mcpInvokeProbe: Probe<InvokeFacts, McpInvokeOptions> = {
  id: 'mcp.invoke',
  inputs: caFileInputs,
  async run(context: ProbeContext<McpInvokeOptions>): Promise<ProbeOutcome<InvokeFacts>> {
    const options = context.options;
    const host = context.config.hostByName(options.host);
    const mcp = gatewayMcp(context.config);
    const endpoint = new URL(options.path ?? mcp.path, host.url).toString();
    const keyEnvVar = context.config.gateway.keyEnvVar;
    const servers = [...new Set(options.calls.map((c) => c.server))];
    const facts: InvokeFacts = {
      host: host.name,
      endpoint,
      calls: options.calls.map((call) => ({
        server: call.server,
        tool: call.tool,
        name: `${call.server}-${call.tool}`,
        arguments: call.arguments,
        ...(call.expect ? { expect: call.expect } : {}),
        outcome: 'failed',
        listed: false,
        reproduce: reproduceCommand(endpoint, keyEnvVar, call),
      })),
      serversWithoutTools: [],
    };
    const key = gatewayKey(context);
    if (!key.value) {
      return { status: 'error', summary: `no gateway key: set ${keyEnvVar} in the environment or in one of secretsFiles`, facts, transcript: [] };
    }

    const signal = probeDeadline(context.signal, options.timeoutMs);
    const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
    const transport = new StreamableHTTPClientTransport(new URL(endpoint), {
      fetch: recorder.fetch,
      requestInit: { headers: { ...keyHeaders(key.value), 'x-mcp-servers': servers.join(',') } },
    });
    const session: Session = {
      client: new Client({ name: 'proofbook', version: PACKAGE_VERSION }),
      recorder,
      signal,
      timeoutMs: options.timeoutMs,
      keyEnvVar,
      notes: [],
      // A POST answered with an SSE stream of keep-alive pings only is stuck, as in mcp.catalog.
      watch: (what, operation) =>
        watchStreams(operation, { recorder, relevant: (e) => e.method === 'POST', what, waitMs: options.timeoutMs, pingLimit: 3, signal }),
    };
    const started = performance.now();
    const finish = async (status: ProbeStatus, summary: string): Promise<ProbeOutcome<InvokeFacts>> => {
      await session.client.close().catch(() => {});
      await recorder.settle();
      const transcript = [
        ...recorder.exchanges,
        ...session.notes,
        { at: new Date().toISOString(), kind: 'mcp.invoke', status, durationMs: Math.round(performance.now() - started), responses: responseLines(recorder.exchanges) },
      ];
      return { status, summary, facts, transcript, target: [endpoint] };
    };

    try {
      await session.watch('initialize', session.client.connect(transport, { signal }));
    } catch (error) {
      const status = signal.aborted ? 'error' : 'fail';
      return finish(status, `cannot open an MCP session at ${endpoint}: ${httpHint(recorder.exchanges, keyEnvVar)}${describeError(error)}`);
    }
    facts.serverVersion = session.client.getServerVersion()?.version;
    facts.protocolVersion = transport.protocolVersion;

    // The catalog tells a crashed server (no tools at all) from a failing call.
    const catalog = await listToolNames(session);
    if (catalog.complete) facts.serversWithoutTools = servers.filter((s) => ![...catalog.names].some((name) => name.startsWith(`${s}-`)));
    for (const call of facts.calls) call.listed = catalog.names.has(call.name);

    await Promise.all(
      facts.calls.map(async (call, i) => {
        if (facts.serversWithoutTools.includes(call.server)) {
          // Not called: what LiteLLM 1.77.1 answers for a dead stdio server varies from call to call
          // (HTTP 500, or a "MCP client session is not initialized" text), and facts must be stable.
          call.problem = 'not called: the server lists no tools';
          return;
        }
        await makeCall(session, call, options.calls[i]!.expect);
      }),
    );

    const verdict = judge(facts, host.name, mcp.servers);
    return finish(verdict.status, verdict.summary);
  },
};

/** Every tool name the catalog lists (as far as it got), and whether it listed every page. */
async function listToolNames(session: Session): Promise<{ names: Set<string>; complete: boolean }> {
  const names = new Set<string>();
  try {
    let cursor: string | undefined;
    do {
      const page: { tools: Tool[]; nextCursor?: string } = await session.watch('tools/list', session.client.listTools(cursor ? { cursor } : {}, { signal: session.signal }));
      for (const tool of page.tools) names.add(tool.name);
      cursor = page.nextCursor;
    } while (cursor);
    return { names, complete: true };
  } catch (error) {
    session.notes.push({ at: new Date().toISOString(), kind: 'note', message: `tools/list failed: ${describeError(error)}` });
    return { names, complete: false };
  }
}

/** Makes one call and records its outcome in `call`: ok, failed (with why) or timeout. */
async function makeCall(session: Session, call: InvokeCallFacts, expect: string | undefined): Promise<void> {
  const callStarted = performance.now();
  try {
    const result = (await session.watch(
      `tools/call ${call.name}`,
      session.client.callTool({ name: call.name, arguments: call.arguments }, undefined, { signal: session.signal, timeout: session.timeoutMs }),
    )) as CallToolResult;
    call.isError = result.isError === true;
    call.result = cap(textOf(result));
    const problem = resultProblem(textOf(result), call.isError, expect);
    if (problem) call.problem = problem;
    else call.outcome = 'ok';
  } catch (error) {
    if (session.signal.aborted || (error instanceof McpError && error.code === ErrorCode.RequestTimeout)) {
      call.outcome = 'timeout';
      call.problem = `no answer within the probe's ${session.timeoutMs} ms timeout`;
    } else {
      call.problem = errorText(error, session.recorder.exchanges, call.name, session.keyEnvVar);
    }
  }
  session.notes.push({ at: new Date().toISOString(), kind: 'mcp.call', name: call.name, outcome: call.outcome, durationMs: Math.round(performance.now() - callStarted) });
}

/**
 * The run's status and summary: a timeout is an error, a dead server or a failed call fails, and
 * a configured server (`gateway.mcp.servers`) that no call tests warns.
 */
function judge(facts: InvokeFacts, hostName: string, configuredServers: string[]): { status: ProbeStatus; summary: string } {
  const problems: string[] = [];
  for (const server of facts.serversWithoutTools) {
    problems.push(`${server} lists no tools: its MCP server is not running (crashed or failed to start; see the gateway's log)`);
  }
  for (const call of facts.calls) {
    if (call.outcome !== 'ok') problems.push(`${call.server} ${call.tool}: ${call.problem}`);
  }
  if (problems.length) {
    return { status: facts.calls.some((c) => c.outcome === 'timeout') ? 'error' : 'fail', summary: problems.join('; ') };
  }
  const names = facts.calls.map((c) => `${c.server} ${c.tool}`).join(', ');
  const summary = `${facts.calls.length} of ${facts.calls.length} calls OK via ${hostName} (${names})`;
  // A server onboarded into the catalog but given no call here would otherwise go untested, silently.
  const called = new Set(facts.calls.map((c) => c.server));
  const uncalled = configuredServers.filter((server) => !called.has(server));
  if (uncalled.length) return { status: 'warn', summary: `${summary}; no call for ${uncalled.join(', ')}: add a safe one under probes."mcp.invoke".calls` };
  return { status: 'pass', summary };
}

/** The JSON-RPC error of the failed call (from its HTTP answer), with the HTTP status and what to check. */
function errorText(error: unknown, exchanges: HttpExchange[], name: string, keyEnvVar: string): string {
  const exchange = exchanges.findLast((e) => e.requestBody?.includes(`"name":${JSON.stringify(name)}`) && e.status !== undefined);
  let rpc: string | undefined;
  if (exchange?.body) {
    try {
      const body = JSON.parse(exchange.body) as { error?: { code?: number; message?: string } };
      if (body.error) rpc = `JSON-RPC error ${body.error.code}: ${body.error.message}`;
    } catch {
      // not JSON
    }
  }
  if (error instanceof McpError && !rpc) rpc = `JSON-RPC error ${error.code}: ${error.message.replace(/^MCP error -?\d+: /, '')}`;
  if (exchange && exchange.status! >= 400) {
    const hint =
      exchange.status === 500 && rpc?.includes('No response received')
        ? ' (LiteLLM 1.77.x answers this way when the upstream tool call fails; the reason is in its log)'
        : '';
    return `HTTP ${exchange.status}, ${rpc ?? describeError(error)}${hint}`;
  }
  return rpc ?? `${httpHint(exchanges, keyEnvVar)}${describeError(error)}`;
}

function reproduceCommand(endpoint: string, keyEnvVar: string, call: InvokeCall): string {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: `${call.server}-${call.tool}`, arguments: call.arguments } });
  return (
    `curl -s ${curlKeyOption(keyEnvVar)} -H "x-mcp-servers: ${call.server}" ` +
    `-H "Accept: application/json, text/event-stream" -H "content-type: application/json" -d '${body.replaceAll("'", "'\\''")}' ${endpoint}`
  );
}
