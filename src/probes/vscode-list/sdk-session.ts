/**
 * The fallback path of `vscode.list` and `vscode.invoke`: without code-server, the probe opens the
 * MCP session itself with the official SDK over streamable HTTP, to exactly the URL and with
 * exactly the headers VS Code would use (variables filled), through the run's HTTP client (hosts'
 * `resolveTo` and CA files). Every exchange is recorded for the transcript.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { PACKAGE_VERSION } from '../../package-root.ts';
import { describeError, httpHint, watchStreams } from '../kit/mcp-session.ts';
import { recordingFetch, recordingLimits, type RecordingFetch } from '../kit/recording-fetch.ts';
import type { ProbeContext } from '../types.ts';
import type { ResolvedServer } from './mcp-json.ts';

/** At most this many tool names are kept per server; each name at most NAME_CAP characters. */
export const TOOLS_CAP = 500;
export const NAME_CAP = 200;

export const capName = (name: string): string => (name.length > NAME_CAP ? `${name.slice(0, NAME_CAP)}…` : name);

export interface SdkSession {
  client: Client;
  recorder: RecordingFetch;
  signal: AbortSignal;
  /** Runs an MCP request, abandoning it when its response stream carries only keep-alive pings. */
  watch<T>(what: string, operation: Promise<T>): Promise<T>;
}

/**
 * Opens a session to `server`, runs `use`, closes it. A failure to connect or in `use` comes back
 * as `error` (the HTTP status that broke it first, with what to check), never thrown.
 */
export async function withSdkSession<T>(
  context: ProbeContext,
  server: ResolvedServer,
  signal: AbortSignal,
  use: (session: SdkSession) => Promise<T>,
): Promise<{ value?: T; error?: string; recorder: RecordingFetch }> {
  const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
  const keyEnvVar = context.config.gateway.keyEnvVar;
  let url: URL;
  try {
    url = new URL(server.resolvedUrl);
  } catch {
    return { error: `"${server.url}" is not a URL`, recorder };
  }
  const transport = new StreamableHTTPClientTransport(url, { fetch: recorder.fetch, requestInit: { headers: server.resolvedHeaders } });
  const client = new Client({ name: 'proofbook (as Visual Studio Code)', version: PACKAGE_VERSION });
  const session: SdkSession = {
    client,
    recorder,
    signal,
    watch: (what, operation) => watchStreams(operation, { recorder, relevant: (e) => e.method === 'POST', what, waitMs: 30_000, pingLimit: 3, signal }),
  };
  try {
    await session.watch('initialize', client.connect(transport, { signal }));
    return { value: await use(session), recorder };
  } catch (error) {
    return { error: `${httpHint(recorder.exchanges, keyEnvVar)}${describeError(error)}`, recorder };
  } finally {
    await client.close().catch(() => {});
    await recorder.settle();
  }
}

/** Every tool name the server lists (all pages), sorted and capped. */
export async function listToolNames(session: SdkSession): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page: { tools: Tool[]; nextCursor?: string } = await session.watch('tools/list', session.client.listTools(cursor ? { cursor } : {}, { signal: session.signal }));
    for (const tool of page.tools) names.push(String(tool.name));
    cursor = page.nextCursor;
  } while (cursor && names.length < TOOLS_CAP);
  return names.sort().slice(0, TOOLS_CAP).map(capName);
}
