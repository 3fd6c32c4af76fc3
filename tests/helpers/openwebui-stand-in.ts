/**
 * AN HTTP STAND-IN FOR OPEN WEBUI, for the faults the real one (tests/e2e/probes/openwebui) cannot
 * be made to show on demand: a wrong token, a verify that fails, a tool error, a model that never
 * calls, hostile tool names and descriptions from the gateway. It answers the routes the
 * `openwebui.*` probes call the way Open WebUI 0.12.4 does (shapes read from its
 * backend/open_webui/routers/configs.py, routers/chats.py and main.py, and seen on the lab):
 *
 *   GET  /api/v1/configs/tool_servers          {TOOL_SERVER_CONNECTIONS: [...]}
 *   POST /api/v1/configs/tool_servers/verify   {status: true, specs: [...]} or 400 {detail}
 *   GET  /api/models                           {data: [{id}]}
 *   POST /api/v1/chats/new                     {id, ...}
 *   POST /api/chat/completions                 null (the tool loop ran; the chat is saved)
 *   GET  /api/v1/chats/<id>                    {chat: {history: {messages: {<assistant id>: {...}}}}}
 *   DELETE /api/v1/chats/<id>                  true
 *
 * Every route but the ones a behaviour overrides needs `Authorization: Bearer <token>`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';

export interface StandInBehaviour {
  /** The admin token it accepts. */
  token: string;
  connections?: unknown[];
  verify?: { status: number; json: unknown };
  models?: string[];
  /** HTTP status of POST /api/chat/completions (default 200). */
  completionStatus?: number;
  /** The saved assistant message (`done`, `output`, `content`, `error`); `{call_id}` in strings is the call's id. */
  assistant?: Record<string, unknown>;
}

export interface StandIn {
  url: string;
  requests: { method: string; path: string; body?: string }[];
  close(): Promise<void>;
}

export const gatewayConnection = (key: string) => ({
  url: 'http://litellm.linuxserver.lan/mcp/',
  path: '',
  type: 'mcp',
  auth_type: 'bearer',
  key,
  headers: { 'x-mcp-servers': 'mcp_postgres,mcp_filesystem' },
  config: { enable: true },
  info: { id: 'litellm', name: 'LiteLLM MCP gateway' },
});

export const DEFAULT_SPECS = [
  { name: 'mcp_postgres-query', description: 'Run a read-only SQL query', parameters: { type: 'object' } },
  { name: 'mcp_filesystem-list_allowed_directories', description: '', parameters: { type: 'object' } },
];

/** The saved message of a chat whose tool call completed with `text`. */
export function completedCall(text: string, status = 'completed'): Record<string, unknown> {
  return {
    done: true,
    content: `(model) The tool returned: ${text}`,
    output: [
      { type: 'function_call', call_id: 'call_1', name: 'litellm_mcp_postgres-query', arguments: '{"sql":"select 1"}', status },
      { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text }], status },
      { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `(model) The tool returned: ${text}` }] },
    ],
  };
}

export async function startOpenWebuiStandIn(behaviour: StandInBehaviour): Promise<StandIn> {
  const requests: StandIn['requests'] = [];
  let assistantId = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const route = req.url ?? '/';
      requests.push({ method: req.method ?? '', path: route, ...(body ? { body } : {}) });
      const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.headers.authorization !== `Bearer ${behaviour.token}`) return send(401, { detail: 'Not authenticated' });
      const key = `${req.method} ${route}`;
      if (key === 'GET /api/v1/configs/tool_servers') return send(200, { TOOL_SERVER_CONNECTIONS: behaviour.connections ?? [] });
      if (key === 'POST /api/v1/configs/tool_servers/verify') return send(behaviour.verify?.status ?? 200, behaviour.verify?.json ?? { status: true, specs: DEFAULT_SPECS });
      if (key === 'GET /api/models') return send(200, { data: (behaviour.models ?? ['scripted']).map((id) => ({ id })) });
      if (key === 'POST /api/v1/chats/new') return send(200, { id: 'chat-1', title: 'Proofbook openwebui.invoke' });
      if (key === 'POST /api/chat/completions') {
        assistantId = String((JSON.parse(body) as { id?: unknown }).id);
        return send(behaviour.completionStatus ?? 200, behaviour.completionStatus && behaviour.completionStatus >= 400 ? { detail: 'Model not found' } : null);
      }
      if (key === 'GET /api/v1/chats/chat-1') return send(200, { id: 'chat-1', chat: { history: { messages: { [assistantId]: { id: assistantId, role: 'assistant', ...(behaviour.assistant ?? {}) } } } } });
      if (key === 'DELETE /api/v1/chats/chat-1') return send(200, true);
      send(404, { detail: 'Not Found' });
    });
  });
  return { ...(await listenOnLoopback(server)), requests };
}
