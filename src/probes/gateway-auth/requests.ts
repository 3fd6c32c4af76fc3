/**
 * The requests `gateway.auth` sends: an MCP `initialize` (and, when the gateway accepts it,
 * `tools/list` in that session) and a REST tool list, each with no key, a wrong key or the
 * configured one. Every exchange is recorded, tagged with its key case; the configured key never
 * reaches the transcript.
 */
import { PACKAGE_VERSION } from '../../package-root.ts';
import { REDACTED } from '../../secrets/redactor.ts';
import { errorText, requestSignal } from '../kit/live-http.ts';
import { parseSse, type RecordingFetch } from '../kit/recording-fetch.ts';
import type { ProbeContext } from '../types.ts';

/** Which key a request carries. */
export type KeyCase = 'no-key' | 'wrong-key' | 'valid-key';

/** What one attempt got: a status and body (and the tools it listed), or a connection error. */
export interface Answer {
  status?: number;
  body?: string;
  error?: string;
  tools?: number;
}

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const PROTOCOL_VERSION = '2025-06-18';

export class AuthRequests {
  private readonly recorder: RecordingFetch;
  private readonly context: ProbeContext;
  private readonly keyHeader: string;
  private readonly timeoutMs: number;

  constructor(recorder: RecordingFetch, context: ProbeContext, options: { keyHeader: string; requestTimeoutMs: number }) {
    this.recorder = recorder;
    this.context = context;
    this.keyHeader = options.keyHeader;
    this.timeoutMs = options.requestTimeoutMs;
  }

  /** One attempt at an endpoint's URL with `key` (none for `no-key`). */
  async attempt(endpoint: 'mcp' | 'rest', url: string, keyCase: KeyCase, key?: string): Promise<Answer> {
    const keyHeaders: Record<string, string> = key ? { [this.keyHeader]: `Bearer ${key}` } : {};
    const before = this.recorder.exchanges.length;
    try {
      return endpoint === 'mcp' ? await this.mcp(url, keyHeaders) : await this.rest(url, keyHeaders);
    } finally {
      for (const exchange of this.recorder.exchanges.slice(before)) {
        exchange.case = keyCase;
        if (keyCase === 'valid-key' && exchange.requestHeaders[this.keyHeader]) exchange.requestHeaders[this.keyHeader] = `Bearer ${REDACTED}`;
      }
    }
  }

  private async mcp(url: string, keyHeaders: Record<string, string>): Promise<Answer> {
    const post = async (message: object, extra: Record<string, string> = {}) => {
      const response = await this.recorder.fetch(url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, ...keyHeaders, ...extra },
        body: JSON.stringify(message),
        signal: requestSignal(this.context, this.timeoutMs),
        redirect: 'manual',
      });
      return { response, body: await response.text() };
    };
    let first: Awaited<ReturnType<typeof post>>;
    try {
      first = await post({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'proofbook-auth-probe', version: PACKAGE_VERSION } },
      });
    } catch (error) {
      this.context.signal.throwIfAborted();
      return { error: errorText(error) };
    }
    const answer: Answer = { status: first.response.status, body: first.body, tools: countTools(first.body, first.response.headers.get('content-type')) };
    const initialized = jsonRpcMessages(first.body, first.response.headers.get('content-type')).find((m) => m.id === 1 && m.result);
    if (!first.response.ok || !initialized) return answer;

    // The gateway opened a session without a valid key: does it also list tools in it?
    const session: Record<string, string> = { 'mcp-protocol-version': String((initialized.result as { protocolVersion?: string }).protocolVersion ?? PROTOCOL_VERSION) };
    const sessionId = first.response.headers.get('mcp-session-id');
    if (sessionId) session['mcp-session-id'] = sessionId;
    try {
      await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
      const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, session);
      const tools = countTools(list.body, list.response.headers.get('content-type'));
      if (tools) return { status: list.response.status, body: list.body, tools };
    } catch {
      this.context.signal.throwIfAborted(); // the initialize answer already says enough
    }
    return answer;
  }

  private async rest(url: string, keyHeaders: Record<string, string>): Promise<Answer> {
    try {
      const response = await this.recorder.fetch(url, {
        headers: { accept: 'application/json', ...keyHeaders },
        signal: requestSignal(this.context, this.timeoutMs),
        redirect: 'manual',
      });
      const body = await response.text();
      return { status: response.status, body, tools: countTools(body, response.headers.get('content-type')) };
    } catch (error) {
      this.context.signal.throwIfAborted();
      return { error: errorText(error) };
    }
  }
}

type JsonRpcMessage = { id?: unknown; result?: unknown; error?: unknown };

function jsonRpcMessages(body: string, contentType: string | null): JsonRpcMessage[] {
  const texts = contentType?.includes('text/event-stream') ? parseSse(body).sseEvents.map((e) => e.data) : [body];
  const messages: JsonRpcMessage[] = [];
  for (const text of texts) {
    try {
      const value = JSON.parse(text) as unknown;
      for (const item of Array.isArray(value) ? value : [value]) if (item && typeof item === 'object') messages.push(item as JsonRpcMessage);
    } catch {
      // not JSON: no message
    }
  }
  return messages;
}

/** Tools an answer lists: REST `{tools: [...]}` (or a bare list of tools), or a JSON-RPC `result.tools`. */
function countTools(body: string, contentType: string | null): number {
  let count = 0;
  for (const message of jsonRpcMessages(body, contentType) as unknown[]) {
    const m = message as { tools?: unknown; result?: { tools?: unknown }; name?: unknown };
    const tools = Array.isArray(m.tools) ? m.tools : Array.isArray(m.result?.tools) ? m.result.tools : undefined;
    if (tools) count += tools.length;
  }
  if (!count) {
    try {
      const value = JSON.parse(body) as unknown;
      if (Array.isArray(value) && value.length && value.every((t) => t && typeof t === 'object' && 'name' in t && ('inputSchema' in t || 'input_schema' in t))) {
        count = value.length;
      }
    } catch {
      // not JSON
    }
  }
  return count;
}
