/**
 * One chat in Open WebUI, bound to a saved chat so Open WebUI runs the tool loop server-side (a
 * plain `/api/chat/completions` only returns the model's `tool_calls`): create the chat, send the
 * user message with `chat_id`, the assistant message `id`, `parent_id: null`, `user_message` and
 * `tool_ids: ["server:mcp:<connection id>"]`, then read the saved chat until its assistant message
 * is done, and delete the chat (the probe leaves nothing behind in the team's Open WebUI).
 * Shapes from Open WebUI 0.12 (backend/open_webui/main.py `chat_completion`, routers/chats.py).
 */
import { randomUUID } from 'node:crypto';
import { bodyReason } from '../kit/live-http.ts';
import type { OpenWebuiApi } from '../kit/openwebui-api.ts';

/** An item of the assistant message's `output` (OpenAI Responses-like). */
export interface OutputItem {
  type?: unknown;
  name?: unknown;
  call_id?: unknown;
  arguments?: unknown;
  status?: unknown;
  output?: unknown;
  content?: unknown;
}

export interface ChatResult {
  done: boolean;
  error?: string;
  output: OutputItem[];
  answer?: string;
}

const POLL_MS = 300;

export async function runChat(
  api: OpenWebuiApi,
  input: { model: string; toolId: string; prompt: string; deadline: number; signal: AbortSignal },
): Promise<ChatResult | { problem: string }> {
  const created = await api('POST', '/api/v1/chats/new', { chat: { title: 'Proofbook openwebui.invoke', models: [input.model] } });
  const chatId = (created.json as { id?: unknown } | undefined)?.id;
  if (created.status !== 200 || typeof chatId !== 'string' || !/^[\w-]{1,100}$/.test(chatId)) {
    return { problem: `Open WebUI did not create a chat (POST /api/v1/chats/new answered HTTP ${created.status}${reason(created.text)}); the token's user needs chat permission` };
  }
  try {
    const userId = randomUUID();
    const assistantId = randomUUID();
    const timestamp = Math.floor(Date.now() / 1000);
    const completion = await api('POST', '/api/chat/completions', {
      model: input.model,
      stream: true,
      chat_id: chatId,
      id: assistantId,
      parent_id: null,
      user_message: { id: userId, role: 'user', content: input.prompt, parentId: null, childrenIds: [], timestamp },
      messages: [{ role: 'user', content: input.prompt }],
      tool_ids: [input.toolId],
    }, Math.max(1_000, input.deadline - Date.now()));
    if (completion.status >= 400) {
      return { problem: `Open WebUI refused the chat (POST /api/chat/completions answered HTTP ${completion.status}${reason(completion.text)}); check the model "${input.model}" and its connection` };
    }
    return await readAnswer(api, chatId, assistantId, input);
  } finally {
    await api('DELETE', `/api/v1/chats/${chatId}`).catch(() => undefined);
  }
}

/** Reads the saved chat until the assistant message is done (or has an error), or the deadline. */
async function readAnswer(api: OpenWebuiApi, chatId: string, assistantId: string, input: { deadline: number; signal: AbortSignal }): Promise<ChatResult | { problem: string }> {
  for (;;) {
    const saved = await api('GET', `/api/v1/chats/${chatId}`);
    if (saved.status !== 200) return { problem: `GET /api/v1/chats/<id> answered HTTP ${saved.status}${reason(saved.text)}` };
    const messages = (saved.json as { chat?: { history?: { messages?: Record<string, unknown> } } } | undefined)?.chat?.history?.messages;
    const message = messages?.[assistantId] as { done?: unknown; error?: unknown; output?: unknown; content?: unknown } | undefined;
    const error = message?.error ? errorContent(message.error) : undefined;
    if (message && (message.done === true || error)) {
      return {
        done: message.done === true,
        ...(error ? { error } : {}),
        output: Array.isArray(message.output) ? (message.output.filter((i) => i && typeof i === 'object') as OutputItem[]) : [],
        ...(typeof message.content === 'string' ? { answer: message.content } : {}),
      };
    }
    if (Date.now() + POLL_MS > input.deadline) {
      return { problem: `the chat's answer was not done before the probe's deadline (${message ? 'the assistant message is still running' : 'no assistant message was saved'})` };
    }
    input.signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function errorContent(error: unknown): string {
  if (typeof error === 'string') return error;
  const content = (error as { content?: unknown }).content;
  return typeof content === 'string' ? content : JSON.stringify(error);
}

const reason = (text: string) => (bodyReason(text) ? `: ${bodyReason(text)}` : '');
