/**
 * `claude -p --output-format stream-json --verbose` prints one JSON event a line. What
 * `claude.invoke` reads from them: the init event's `mcp_servers[].status` and tools, the
 * `tool_use` of the tool it asked for and its `tool_result`, what the model said, and the final
 * `result` (an API error shows there).
 */

interface ContentBlock {
  type?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
  text?: string;
}

export interface ClaudeEvent {
  type: string;
  subtype?: string;
  mcp_servers?: { name?: string; status?: string }[];
  tools?: string[];
  message?: { content?: ContentBlock[] | string };
  is_error?: boolean;
  result?: string;
  [field: string]: unknown;
}

/** What the events say about one run. */
export interface RunEvents {
  serverStatus?: string;
  /** The entry's tools (prefix removed), sorted; undefined without an init event. */
  toolsOffered?: string[];
  call?: { name: string; input: unknown };
  result?: { text: string; isError: boolean };
  /** The model's texts, in order. */
  messages: string[];
  /** The final `result` event when it reports an error (e.g. the model could not be reached). */
  error?: string;
}

/** Every non-blank line of stdout as an event; a line that is not JSON is kept as `unparsed`. */
export function parseEvents(stdout: string): ClaudeEvent[] {
  return stdout.split('\n').filter((l) => l.trim()).map((line) => {
    try {
      return JSON.parse(line) as ClaudeEvent;
    } catch {
      return { type: 'unparsed', result: line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line };
    }
  });
}

/** The init event as the transcript keeps it: the MCP part (its slash commands, skills and paths are noise). */
export function initForTranscript(event: ClaudeEvent): ClaudeEvent {
  const { type, subtype, mcp_servers, tools, model, claude_code_version, apiKeySource } = event;
  return { type, subtype, mcp_servers, tools: (tools ?? []).filter((t) => t.startsWith('mcp__')), model, claude_code_version, apiKeySource };
}

const blocks = (event: ClaudeEvent): ContentBlock[] => (Array.isArray(event.message?.content) ? event.message.content : []);

export function readEvents(events: ClaudeEvent[], server: string, tool: string): RunEvents {
  const init = events.find((e) => e.type === 'system' && e.subtype === 'init');
  const prefix = `mcp__${server}__`;
  const read: RunEvents = { messages: [] };
  if (init) {
    const status = init.mcp_servers?.find((s) => s.name === server)?.status;
    if (status) read.serverStatus = status;
    read.toolsOffered = (init.tools ?? []).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length)).sort();
  }
  let callId: string | undefined;
  for (const event of events) {
    for (const block of blocks(event)) {
      if (event.type === 'assistant' && block.type === 'text' && block.text) read.messages.push(block.text);
      if (event.type === 'assistant' && block.type === 'tool_use' && block.name === tool) {
        read.call = { name: block.name, input: block.input };
        callId = block.id;
      }
      if (event.type === 'user' && block.type === 'tool_result' && callId && block.tool_use_id === callId) {
        read.result = { text: contentText(block.content), isError: block.is_error === true };
      }
    }
  }
  const final = events.findLast((e) => e.type === 'result');
  if (final?.is_error) read.error = final.result ?? 'claude reported an error';
  return read;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return JSON.stringify(content ?? '');
  return content.map((part: ContentBlock) => (part?.type === 'text' ? (part.text ?? '') : `[${part?.type}]`)).join('\n');
}
