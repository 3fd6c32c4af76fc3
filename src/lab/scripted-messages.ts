/**
 * The scripted model's Anthropic Messages API dialect — a TEST DOUBLE FOR THE LLM ONLY, for
 * Claude Code (`claude -p`, whose ANTHROPIC_BASE_URL the lab points here). Claude Code, its MCP
 * client, Traefik, LiteLLM and the MCP servers are all real; only the model's decisions are
 * scripted, from the same instruction the Responses dialect reads (`scripted-model.ts`).
 *
 * `POST /v1/messages` (`stream: true`, answered as server-sent events):
 * 1. A request whose last user message carries no `tool_result`: it reads the instruction
 *    `Use the MCP server "<server>": call its tool "<tool>" once with the JSON arguments {…}, then reply`
 *    from the user's text, finds the tool `mcp__<server>__<tool>` in `tools[]` (Claude Code's name
 *    for an MCP tool; the gateway's `mcp_postgres-query` keeps its hyphen, other characters
 *    become `_`) and answers with one `tool_use` block (stop reason `tool_use`).
 * 2. The request that carries the `tool_result`: a text block quoting the result, and a line
 *    `Tools offered: a, b, …` with the server's tool names (what the prompt asks any model to report).
 *
 * When the instruction, the server's tools or the tool are missing it answers with text saying
 * so and calls nothing. `POST /v1/messages/count_tokens` answers a rough count.
 */

/** The instruction the probes' prompts carry (`codex.invoke`, `claude.invoke`). */
export const INSTRUCTION = /Use the MCP server "([^"]+)": call its tool "([^"]+)" once with the JSON arguments (\{.*\}), then reply with the result/s;

interface ContentBlock {
  type?: string;
  text?: string;
  content?: unknown;
  is_error?: boolean;
}

export interface MessagesRequest {
  model?: string;
  messages?: { role?: string; content?: string | ContentBlock[] }[];
  tools?: { name?: string }[];
}

/** One scripted turn: a text, or a call of one tool. */
type Turn = { kind: 'text'; text: string } | { kind: 'tool_use'; name: string; input: unknown };

/** The events of the answer to one request, in order (each `{type, …}`, sent as `event: <type>`). */
export function scriptedMessagesAnswer(request: MessagesRequest, sequence: number): object[] {
  const turn = scriptedTurn(request);
  const id = `msg_scripted_${sequence}`;
  const usage = { input_tokens: 0, output_tokens: 0 };
  const events: object[] = [
    { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: request.model ?? 'scripted', content: [], stop_reason: null, stop_sequence: null, usage } },
  ];
  if (turn.kind === 'text') {
    events.push(
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: turn.text } },
    );
  } else {
    events.push(
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: `toolu_scripted_${sequence}`, name: turn.name, input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(turn.input) } },
    );
  }
  events.push(
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: turn.kind === 'text' ? 'end_turn' : 'tool_use', stop_sequence: null }, usage: { output_tokens: 1 } },
    { type: 'message_stop' },
  );
  return events;
}

/** What the double answers: the call the instruction asks for, or (after its result) the result. */
function scriptedTurn(request: MessagesRequest): Turn {
  const messages = request.messages ?? [];
  const userTexts = messages.filter((m) => m.role === 'user').flatMap((m) => blocksOf(m.content)).filter((b) => b.type === 'text').map((b) => b.text ?? '');
  const instruction = userTexts.map((t) => INSTRUCTION.exec(t)).findLast(Boolean);
  const text = (said: string): Turn => ({ kind: 'text', text: `(scripted model) ${said}` });
  if (!instruction) return text('The prompt has no "Use the MCP server …: call its tool …" instruction; nothing to do.');
  const [, server, tool, rawArgs] = instruction;
  const prefix = `mcp__${server!.replace(/[^A-Za-z0-9_-]/g, '_')}__`;
  const names = (request.tools ?? []).map((t) => t.name ?? '').filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
  const offeredLine = `Tools offered: ${names.join(', ') || '(none)'}`;

  const last = messages.at(-1);
  const result = last?.role === 'user' ? blocksOf(last.content).find((b) => b.type === 'tool_result') : undefined;
  if (result) {
    const output = typeof result.content === 'string' ? result.content : blocksOf(result.content as ContentBlock[]).map((b) => (b.type === 'text' ? (b.text ?? '') : `[${b.type}]`)).join('\n');
    const shown = output.length > 2_000 ? `${output.slice(0, 2_000)}…` : output;
    return text(`The tool returned${result.is_error ? ' an error' : ''}:\n${shown}\n${offeredLine}`);
  }
  if (!names.length) return text(`Claude Code offered no tools of ${prefix.slice(0, -2)}; no tool called.\n${offeredLine}`);
  const name = [tool!, tool!.replace(/[^A-Za-z0-9_-]/g, '_')].find((candidate) => names.includes(candidate));
  if (!name) return text(`${prefix.slice(0, -2)} has no tool "${tool}"; no tool called.\n${offeredLine}`);
  try {
    return { kind: 'tool_use', name: `${prefix}${name}`, input: JSON.parse(rawArgs!) };
  } catch {
    return text(`The arguments are not JSON: ${rawArgs}`);
  }
}

function blocksOf(content: string | ContentBlock[] | undefined): ContentBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter((b) => b && typeof b === 'object') : [];
}

/** A rough token count for `count_tokens` (Claude Code only sizes its context with it). */
export function roughTokenCount(body: string): { input_tokens: number } {
  return { input_tokens: Math.ceil(body.length / 4) };
}
