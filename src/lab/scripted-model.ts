/**
 * The lab's scripted model server — a TEST DOUBLE FOR THE LLM ONLY.
 *
 * No LLM is reachable from the lab, but `codex exec` calls an MCP tool only when a model asks it
 * to. This server stands in for the model, on loopback, and nothing else: Codex, its MCP client,
 * Traefik, LiteLLM and the MCP servers behind it are all real.
 *
 * It speaks the part of the OpenAI Responses API that Codex 0.169 uses (`POST /v1/responses`,
 * `stream: true`, answered as server-sent events):
 *
 * 1. First request of a turn: it reads the prompt's instruction
 *    `Use the MCP server "<server>": call its tool "<tool>" once with the JSON arguments {…}, then reply`
 *    (the prompt `codex.invoke` sends), looks for the namespace `mcp__<server>` in the request's
 *    `tools[]` — Codex lists each MCP server's tools there — and answers with one `function_call`
 *    item carrying `namespace: "mcp__<server>"` (Codex rejects a call without it). Codex offers the
 *    gateway's tool `mcp_postgres-query` as `mcp_postgres_query`; both spellings are matched.
 * 2. The next request carries the `function_call_output`: it answers with an assistant message
 *    quoting the output, and a line `Tools offered: a, b, …` with the namespace's tool names (what
 *    the prompt asks any model to report).
 *
 * When the namespace or the tool is missing it answers with an assistant message saying so and
 * makes no call. It also speaks the Anthropic Messages API for Claude Code (`POST /v1/messages`,
 * `scripted-messages.ts`) and the Chat Completions API for Open WebUI through LiteLLM
 * (`POST /v1/chat/completions`, `scripted-chat.ts`), scripted from the same instruction. `GET /health` answers `ok`. Run it
 * with `scripts/scripted-model.ts`; the lab starts it as the service `scripted-model`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// The pattern this double reads back the instruction of the probes' prompts with (codex.invoke's `invokePrompt`, claude.invoke's).
import { scriptedChatAnswer, type ChatRequest } from './scripted-chat.ts';
import { INSTRUCTION, roughTokenCount, scriptedMessagesAnswer, type MessagesRequest } from './scripted-messages.ts';

interface ResponsesRequest {
  input?: unknown[];
  tools?: { type?: string; name?: string; tools?: { name?: string }[] }[];
}

/** What the double answers a request with: SSE events. */
export function scriptedAnswer(request: ResponsesRequest, sequence: number): object[] {
  const id = `resp_scripted_${sequence}`;
  const events: object[] = [{ type: 'response.created', response: { id } }];
  const item = scriptedItem(request, sequence);
  events.push({ type: 'response.output_item.done', output_index: 0, item });
  events.push({ type: 'response.completed', response: { id, usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } } });
  return events;
}

function scriptedItem(request: ResponsesRequest, sequence: number): object {
  const input = request.input ?? [];
  const texts = input.flatMap((item) => textsOf(item));
  const instruction = texts.map((t) => INSTRUCTION.exec(t)).findLast(Boolean);
  const message = (text: string) => ({
    type: 'message',
    id: `msg_scripted_${sequence}`,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  });
  if (!instruction) return message('(scripted model) The prompt has no "Use the MCP server …: call its tool …" instruction; nothing to do.');
  const [, server, tool, rawArgs] = instruction;
  const namespace = `mcp__${server}`;
  const offered = (request.tools ?? []).find((t) => t.type === 'namespace' && t.name === namespace);
  const names = (offered?.tools ?? []).map((t) => t.name ?? '').filter(Boolean);
  const offeredLine = `Tools offered: ${names.join(', ') || '(none)'}`;

  const output = input.find((item) => isRecord(item) && item.type === 'function_call_output') as { output?: unknown } | undefined;
  if (output) {
    // Codex sends the tool's output as a string or as content parts ({type: "input_text", text}).
    const text = typeof output.output === 'string'
      ? output.output
      : Array.isArray(output.output)
        ? output.output.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : JSON.stringify(part))).join('\n')
        : JSON.stringify(output.output);
    return message(`(scripted model) The tool returned:\n${text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text}\n${offeredLine}`);
  }
  if (!offered) {
    const namespaces = (request.tools ?? []).filter((t) => t.type === 'namespace').map((t) => t.name);
    return message(`(scripted model) Codex offered no namespace ${namespace} (namespaces: ${namespaces.join(', ') || 'none'}); no tool called.\n${offeredLine}`);
  }
  const sanitized = tool!.replace(/[^A-Za-z0-9_]/g, '_');
  const name = names.find((n) => n === tool) ?? names.find((n) => n === sanitized);
  if (!name) return message(`(scripted model) ${namespace} has no tool "${tool}"; no tool called.\n${offeredLine}`);
  let args = '{}';
  try {
    args = JSON.stringify(JSON.parse(rawArgs!));
  } catch {
    return message(`(scripted model) The arguments are not JSON: ${rawArgs}`);
  }
  return { type: 'function_call', id: `fc_scripted_${sequence}`, call_id: `call_scripted_${sequence}`, name, namespace, arguments: args, status: 'completed' };
}

function textsOf(item: unknown): string[] {
  if (!isRecord(item)) return [];
  if (item.type !== 'message' || item.role !== 'user') return [];
  const content = item.content;
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part) => (isRecord(part) && typeof part.text === 'string' ? [part.text] : []));
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** The request handler; `log` gets one line per request (no bodies: they may carry tool output). */
export function scriptedModelHandler(log: (line: string) => void = () => {}) {
  let sequence = 0;
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    const dialect = req.method !== 'POST' ? undefined : DIALECTS.find((d) => d.path.test(url.pathname));
    if (!dialect) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `the scripted model serves POST /v1/responses, /v1/messages and /v1/chat/completions, not ${req.method} ${url.pathname}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let request: unknown;
      try {
        request = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'body is not JSON' } }));
        return;
      }
      if (dialect.name === 'count_tokens') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(roughTokenCount(body)));
        return;
      }
      sequence += 1;
      if (dialect.name === 'chat') {
        sendChat(res, scriptedChatAnswer(request as ChatRequest, sequence), (what) => log(`POST ${url.pathname} #${sequence}: ${what}`));
        return;
      }
      const events = dialect.name === 'responses' ? scriptedAnswer(request as ResponsesRequest, sequence) : scriptedMessagesAnswer(request as MessagesRequest, sequence);
      log(`POST ${url.pathname} #${sequence}: ${describeAnswer(events)}`);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of events) res.write(`event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`);
      res.end();
    });
  };
}

/** The APIs the double speaks, by path: OpenAI Responses (Codex) and Anthropic Messages (Claude Code). */
const DIALECTS = [
  { name: 'responses', path: /^(\/v1)?\/responses$/ },
  { name: 'count_tokens', path: /^(\/v1)?\/messages\/count_tokens$/ },
  { name: 'messages', path: /^(\/v1)?\/messages$/ },
  { name: 'chat', path: /^(\/v1)?\/chat\/completions$/ },
] as const;

/** A Chat Completions answer: `data:` chunks and `[DONE]` for a stream, else one JSON body. */
function sendChat(res: ServerResponse, answer: ReturnType<typeof scriptedChatAnswer>, log: (what: string) => void): void {
  const chunks = 'stream' in answer ? answer.stream : [answer.body];
  const call = JSON.stringify(chunks).match(/"tool_calls":\[\{[^\]]*?"name":"([^"]*)"/);
  log(call ? `tool_calls ${call[1]}` : 'text');
  if ('body' in answer) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const chunk of answer.stream) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** One log line's worth of an answer: the call it makes, or that it only talks. */
function describeAnswer(events: object[]): string {
  for (const event of events as { item?: { type: string; name?: string; namespace?: string }; content_block?: { type: string; name?: string } }[]) {
    if (event.item) return `${event.item.type}${event.item.type === 'function_call' ? ` ${event.item.namespace}.${event.item.name}` : ''}`;
    if (event.content_block) return `${event.content_block.type}${event.content_block.type === 'tool_use' ? ` ${event.content_block.name}` : ''}`;
  }
  return 'nothing';
}

export async function startScriptedModel(options: { port: number; host?: string; log?: (line: string) => void }): Promise<{ server: Server; url: string }> {
  const server = createServer(scriptedModelHandler(options.log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${address.address}:${address.port}/v1` };
}
