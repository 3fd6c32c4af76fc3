/**
 * `codex exec --json` prints one JSON event a line. What `codex.invoke` reads from them: the
 * `mcp_tool_call` item of the tool it asked for, what the model said (and the tools it says it was
 * offered), and a failed turn.
 */

export interface CodexItem {
  id?: string;
  type?: string;
  server?: string;
  tool?: string;
  arguments?: unknown;
  status?: string;
  result?: { content?: { type?: string; text?: string }[] } | null;
  error?: { message?: string } | null;
  text?: string;
  message?: string;
}

export interface CodexEvent {
  type: string;
  item?: CodexItem;
  error?: { message?: string };
  message?: string;
}

/** What the events say about one run. */
export interface RunEvents {
  /** The last `mcp_tool_call` of the server's tool. */
  call?: CodexItem;
  /** The model's messages, in order. */
  messages: string[];
  /** The tools the model says it was offered (the prompt asks for them), sorted; undefined when it did not say. */
  toolsOffered?: string[];
  /** A `turn.failed` or `error` event. */
  failure?: CodexEvent;
}

/** Every non-blank line of stdout as an event; a line that is not JSON is kept as `unparsed`. */
export function parseEvents(stdout: string): CodexEvent[] {
  return stdout.split('\n').filter((l) => l.trim()).map((line) => parseEvent(line));
}

function parseEvent(line: string): CodexEvent {
  try {
    return JSON.parse(line) as CodexEvent;
  } catch {
    return { type: 'unparsed', message: line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line };
  }
}

export function readEvents(events: CodexEvent[], server: string, tool: string): RunEvents {
  const items = events.filter((e) => e.type === 'item.completed' && e.item).map((e) => e.item!);
  const call = items.filter((i) => i.type === 'mcp_tool_call').findLast((i) => i.server === server && i.tool === tool);
  const messages = items.filter((i) => i.type === 'agent_message').map((i) => i.text ?? '');
  const offered = messages.map((m) => /^Tools offered:\s*(.*)$/m.exec(m)?.[1]).findLast((m) => m !== undefined);
  const failure = events.find((e) => e.type === 'turn.failed' || e.type === 'error');
  return {
    ...(call ? { call } : {}),
    messages,
    ...(offered !== undefined ? { toolsOffered: offered.split(',').map((s) => s.trim()).filter((s) => s && s !== '(none)').sort() } : {}),
    ...(failure ? { failure } : {}),
  };
}

/** The text of a call's result content (other content as `[type]`). */
export function resultText(call: CodexItem): string {
  return (call.result?.content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type}]`)).join('\n');
}
