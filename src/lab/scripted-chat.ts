/**
 * The scripted model's OpenAI Chat Completions dialect — a TEST DOUBLE FOR THE LLM ONLY, for Open
 * WebUI. Its chats go through LiteLLM (the team's topology): LiteLLM's lab `model_list` has the
 * model `scripted`, an `openai/` model whose `api_base` is this server. Open WebUI, its MCP client,
 * Traefik, LiteLLM and the MCP servers are all real; only the model's decisions are scripted, from
 * the same instruction the other dialects read (`scripted-messages.ts`).
 *
 * `POST /v1/chat/completions` (streamed as `data:` chunks when `stream: true`, else one JSON body):
 * 1. No `role: "tool"` message after the last user message: it reads the instruction
 *    `Use the MCP server "<server>": call its tool "<tool>" once with the JSON arguments {…}, then reply`
 *    and answers with one `tool_calls` entry for the tool in `tools[]` named `<server>_<tool>`
 *    (Open WebUI's name for an MCP tool: the connection id, `_`, the tool; a name over 64
 *    characters is cut and hashed, so a `<server>_` name ending in the tool's first characters matches too).
 * 2. After the tool's output: a text quoting it, and `Tools offered: a, b, …` (the `<server>_` tools).
 *
 * When the instruction or the tool is missing it answers with text saying so and calls nothing.
 */
import { INSTRUCTION } from './scripted-messages.ts';

export interface ChatRequest {
  model?: string;
  stream?: boolean;
  messages?: { role?: string; content?: unknown }[];
  tools?: { type?: string; function?: { name?: string } }[];
}

type Turn = { kind: 'text'; text: string } | { kind: 'call'; name: string; arguments: string };

/** The answer to one request: the chunks of a stream, or the one completion object. */
export function scriptedChatAnswer(request: ChatRequest, sequence: number): { stream: object[] } | { body: object } {
  const turn = scriptedChatTurn(request);
  const id = `chatcmpl-scripted-${sequence}`;
  const base = { id, created: Math.floor(Date.now() / 1000), model: request.model ?? 'scripted' };
  const toolCall = (t: Extract<Turn, { kind: 'call' }>) => ({ id: `call_scripted_${sequence}`, type: 'function', function: { name: t.name, arguments: t.arguments } });
  const finish = turn.kind === 'call' ? 'tool_calls' : 'stop';
  const usage = { prompt_tokens: 0, completion_tokens: 1, total_tokens: 1 };
  if (!request.stream) {
    const message = turn.kind === 'call' ? { role: 'assistant', content: null, tool_calls: [toolCall(turn)] } : { role: 'assistant', content: turn.text };
    return { body: { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage } };
  }
  const chunk = (delta: object, finishReason: string | null) => ({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] });
  const delta = turn.kind === 'call' ? { role: 'assistant', tool_calls: [{ index: 0, ...toolCall(turn) }] } : { role: 'assistant', content: turn.text };
  return { stream: [chunk(delta, null), { ...chunk({}, finish), usage }] };
}

function scriptedChatTurn(request: ChatRequest): Turn {
  const messages = request.messages ?? [];
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  const instruction = INSTRUCTION.exec(textOf(messages[lastUser]?.content));
  if (!instruction) return { kind: 'text', text: '(scripted model) The prompt has no "Use the MCP server …: call its tool …" instruction; nothing to do.' };
  const [, server, tool, rawArgs] = instruction;
  const names = (request.tools ?? []).map((t) => t.function?.name ?? '').filter((n) => n.startsWith(`${server}_`));
  const offered = `Tools offered: ${names.map((n) => n.slice(server!.length + 1)).join(', ') || '(none)'}`;
  const output = messages.slice(lastUser + 1).findLast((m) => m.role === 'tool');
  if (output) {
    const text = textOf(output.content);
    return { kind: 'text', text: `(scripted model) The tool returned:\n${text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text}\n${offered}` };
  }
  const wanted = `${server}_${tool}`;
  // Open WebUI cuts names over 64 characters to 55 and appends `_<8 hex digits>`.
  const name = names.find((n) => n === wanted) ?? names.find((n) => n.length === 64 && wanted.startsWith(n.slice(0, 55)));
  if (!name) return { kind: 'text', text: `(scripted model) No tool "${wanted}" was offered; no tool called.\n${offered}` };
  try {
    return { kind: 'call', name, arguments: JSON.stringify(JSON.parse(rawArgs!)) };
  } catch {
    return { kind: 'text', text: `(scripted model) The arguments are not JSON: ${rawArgs}` };
  }
}

/** A message's text: a string, or the text parts of a content list. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('\n');
}
