/**
 * `openwebui.invoke`: a real tool call through the running Open WebUI. With an admin's token it
 * finds the gateway's MCP connection (GET `/api/v1/configs/tool_servers`, as `openwebui.list`),
 * picks the model (`model`, else the first of GET `/api/models`) and runs one chat bound to a
 * saved chat with `tool_ids: ["server:mcp:<connection id>"]` (./chat.ts): the model asks for the
 * call, Open WebUI's MCP client runs it through the gateway server-side, and the saved chat's
 * `function_call_output` must be `completed` with the `expect` text (./verdict.ts, which also
 * weighs a documented `limitation`). The chat is deleted afterwards.
 *
 * - Open WebUI calls a tool only when its model asks. On the lab the model is LiteLLM's `scripted`,
 *   the scripted model server (src/lab/scripted-chat.ts, a test double for the LLM only); Open
 *   WebUI, LiteLLM, Traefik and the MCP servers are real.
 * - `skip` without a URL or a token. Client matrix: the `invocation` cell (client `openwebui`).
 * - Every exchange is in the transcript (the token and the connections' keys redacted).
 */
import { adminToken, withOpenWebuiApi, type OpenWebuiApi } from '../kit/openwebui-api.ts';
import { invokePrompt } from '../kit/invoke-prompt.ts';
import { errorText } from '../kit/live-http.ts';
import { otherHostCells, shorten } from '../kit/matrix-notes.ts';
import { oneHostOnly } from '../openwebui-config/one-host.ts';
import { gatewayConnection, listConnections } from '../openwebui-config/live.ts';
import { openWebuiSettings, type OpenWebuiSettings } from '../openwebui-list/settings.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import { runChat } from './chat.ts';
import type { OpenWebuiInvokeFacts } from './facts.ts';
import type { OpenWebuiInvokeOptions } from './options.ts';
import { judgeChat, withLimitation, type CallOutcome } from './verdict.ts';

export type { OpenWebuiInvokeFacts } from './facts.ts';

const ID = 'openwebui.invoke';

export const openwebuiInvokeProbe: Probe<OpenWebuiInvokeFacts, OpenWebuiInvokeOptions> = {
  id: ID,
  run: runOpenWebuiInvoke,
};

async function runOpenWebuiInvoke(context: ProbeContext<OpenWebuiInvokeOptions>): Promise<ProbeOutcome<OpenWebuiInvokeFacts>> {
  const { options } = context;
  const deadline = Date.now() + options.timeoutMs - 2_000; // answer before the runner's deadline
  const settings = openWebuiSettings(context.config, ID, options);
  const transcript: TranscriptEntry[] = [];
  const { call } = options;
  const facts: OpenWebuiInvokeFacts = {
    ...(settings.access ? { url: settings.access.url.replace(/\/+$/, '') } : {}),
    host: settings.hostName,
    call: { server: call.server, tool: call.tool, arguments: call.arguments, ...(call.expect ? { expect: call.expect } : {}) },
    ...(options.limitation ? { limitation: { documented: options.limitation, observed: false } } : {}),
    clientMatrix: [],
  };
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<OpenWebuiInvokeFacts> => {
    facts.clientMatrix = [
      { client: 'openwebui', host: settings.hostName, aspect: 'invocation', status, note: shorten(summary) },
      ...otherHostCells(context.config.hosts, { client: 'openwebui', checked: settings.hostName, aspects: ['invocation'], why: (other) => oneHostOnly(settings.hostName, other, '') }),
    ];
    return { status, summary, facts, transcript, ...(facts.url ? { target: [`${facts.url}/api/chat/completions`] } : {}) };
  };
  if (!settings.access) return finish('skip', `no Open WebUI to ask: set ${settings.urlOption} to its base URL`);
  if (!settings.host) return finish('fail', `probes."openwebui.config".host is "${settings.hostName}", which is not in hosts; fix it in proofbook.config.yaml`);
  const token = adminToken(context, settings.access.tokenEnvVar);
  if (!token) return finish('skip', `not run: set ${settings.access.tokenEnvVar} to an Open WebUI admin's API key in the environment or a secrets file`);

  const result = await withOpenWebuiApi(context, settings.access, token, transcript, (api, base) =>
    invokeThrough(context, settings, api, base, facts, deadline).catch((error: unknown) => {
      context.signal.throwIfAborted();
      return { problem: `cannot talk to Open WebUI at ${base} (${errorText(error)}); check ${settings.urlOption}` };
    }),
  );
  if ('problem' in result) return finish('fail', result.problem);
  const verdict = withLimitation(result, options.limitation);
  if (facts.limitation) facts.limitation.observed = verdict.observed;
  return finish(verdict.status, verdict.summary);
}

/** The connection, the model, the chat: the call's outcome, or why it never came to a call. */
async function invokeThrough(
  context: ProbeContext<OpenWebuiInvokeOptions>,
  settings: OpenWebuiSettings,
  api: OpenWebuiApi,
  base: string,
  facts: OpenWebuiInvokeFacts,
  deadline: number,
): Promise<CallOutcome | { problem: string }> {
  const { call } = context.options;
  const listed = await listConnections({ context, access: settings.access!, urlOption: settings.urlOption }, api, base);
  if ('code' in listed) return { problem: listed.message };
  const connection = gatewayConnection(listed.connections, settings.host!, settings.ports);
  if (!connection) return { problem: `the running Open WebUI has no "type": "mcp" tool server for ${settings.endpoint}; openwebui.list shows its connections and the fix` };
  const connectionId = connection.info?.id;
  if (!connectionId) return { problem: 'the gateway\'s MCP connection in Open WebUI has no info.id, by which chats name it (tool_ids "server:mcp:<id>"); give it an ID under Admin Settings → External Tools' };
  facts.toolServer = { id: connectionId, toolId: `server:mcp:${connectionId}` };

  const model = context.options.model ?? (await firstModel(api));
  if (!model) return { problem: 'Open WebUI lists no model (GET /api/models); set probes."openwebui.invoke".model or connect a model' };
  facts.model = model;
  const chat = await runChat(api, {
    model,
    toolId: facts.toolServer.toolId,
    prompt: context.options.prompt ?? invokePrompt(connectionId, `${call.server}-${call.tool}`, call.arguments),
    deadline,
    signal: context.signal,
  });
  if ('problem' in chat) return chat;
  const judged = judgeChat(chat, { connectionId, server: call.server, tool: call.tool, ...(call.expect ? { expect: call.expect } : {}) });
  facts.chat = judged.facts;
  return judged.outcome;
}

async function firstModel(api: OpenWebuiApi): Promise<string | undefined> {
  const models = await api('GET', '/api/models');
  const data = (models.json as { data?: unknown } | undefined)?.data;
  const first = Array.isArray(data) ? (data[0] as { id?: unknown } | undefined)?.id : undefined;
  return typeof first === 'string' ? first : undefined;
}
