/**
 * The running Open WebUI (with `live.url` and an admin token in `live.tokenEnvVar`): GET
 * `/api/v1/configs/tool_servers` must list the MCP connection to the gateway (the running
 * instance may differ from the .env: Open WebUI keeps its config in its database after the first
 * start), and POST `/api/v1/configs/tool_servers/verify` with it must list the gateway's tools.
 * Every exchange is recorded; the token and the connections' keys go to the redactor.
 */
import type { Host } from '../../config/schema.ts';
import { matchHost, tryUrl, type PortPolicy } from '../kit/client-shared.ts';
import type { Findings } from '../kit/findings.ts';
import { bodyReason, errorText } from '../kit/live-http.ts';
import { adminToken, withOpenWebuiApi, type OpenWebuiAccess, type OpenWebuiApi } from '../kit/openwebui-api.ts';
import type { ProbeContext, ProbeStatus, TranscriptEntry } from '../types.ts';
import { credentialValues, headersOf, type Connection } from './connections.ts';
import type { OpenWebuiFacts } from './facts.ts';

export type LiveFact = NonNullable<OpenWebuiFacts['live']>;
type Listing = { status: ProbeStatus; note: string };
export type LiveResult = { fact: LiveFact; listing: Listing };

/** What the live check reads, and where it reports (its findings are kept apart: they are not the config's). */
export interface LiveCheck {
  context: ProbeContext;
  /** Where Open WebUI is, and the option that sets it (named in the errors), e.g. `probes."openwebui.list".url`. */
  access: OpenWebuiAccess;
  urlOption: string;
  host: Host;
  ports: PortPolicy;
  endpoint: string;
  knownServers: string[];
  transcript: TranscriptEntry[];
  findings: Findings;
}

export async function liveCheck(check: LiveCheck): Promise<LiveResult> {
  const { context, findings, access } = check;
  const base = access.url.replace(/\/+$/, '');
  const fact: LiveFact = { url: base, checked: false };
  const token = adminToken(context, access.tokenEnvVar);
  if (!token) {
    fact.reason = `${access.tokenEnvVar} is not set`;
    findings.warn('live.no-token', `live check not run: set ${access.tokenEnvVar} to an Open WebUI admin's API key (Settings → Account → API keys) in the environment or a secrets file`);
    return { fact, listing: { status: 'skip', note: `not checked: ${access.tokenEnvVar} is not set` } };
  }
  fact.checked = true;
  return withOpenWebuiApi(context, access, token, check.transcript, (api) => checkAdminApi(check, api, base, fact));
}

/** The running Open WebUI's tool server connections (their keys redacted), or why not. */
export async function listConnections(check: Pick<LiveCheck, 'context' | 'access' | 'urlOption'>, api: OpenWebuiApi, base: string): Promise<{ connections: Connection[] } | { code: string; message: string }> {
  let listed;
  try {
    listed = await api('GET', '/api/v1/configs/tool_servers');
  } catch (error) {
    check.context.signal.throwIfAborted();
    return { code: 'live.unreachable', message: `cannot reach Open WebUI at ${base} (${errorText(error)}); check ${check.urlOption}` };
  }
  if (listed.status === 401 || listed.status === 403) {
    return { code: 'live.unauthorized', message: `Open WebUI answered HTTP ${listed.status} to GET /api/v1/configs/tool_servers: ${check.access.tokenEnvVar} is not an admin's valid API key (API keys need ENABLE_API_KEY=True)` };
  }
  const connections = (listed.json as { TOOL_SERVER_CONNECTIONS?: unknown } | undefined)?.TOOL_SERVER_CONNECTIONS;
  if (listed.status !== 200 || !Array.isArray(connections)) {
    return { code: 'live.bad-answer', message: `GET /api/v1/configs/tool_servers answered HTTP ${listed.status}${bodyReason(listed.text) ? ` (${bodyReason(listed.text)})` : ''} without a TOOL_SERVER_CONNECTIONS list; is ${base} Open WebUI 0.6.31 or later?` };
  }
  for (const c of connections as Connection[]) {
    if (c && typeof c.key === 'string') check.context.redactor.add(c.key);
    if (c) check.context.redactor.add(...credentialValues(c));
  }
  return { connections: connections as Connection[] };
}

/** The `"type": "mcp"` connection on the gateway's host (scheme, and port if `ports: match`). */
export function gatewayConnection(connections: Connection[], host: Host, ports: PortPolicy): Connection | undefined {
  return connections.find((c) => {
    const url = c && typeof c.url === 'string' ? tryUrl(c.url) : undefined;
    const match = url ? matchHost(url, [host], ports) : {};
    return c?.type === 'mcp' && match.host && !match.schemeMismatch && !match.portMismatch;
  });
}

/** The listing, then the verify, of the gateway's MCP connection. */
async function checkAdminApi(check: LiveCheck, api: OpenWebuiApi, base: string, fact: LiveFact): Promise<LiveResult> {
  const { context, endpoint } = check;
  const fail = (code: string, message: string): LiveResult => {
    fact.reason = message;
    check.findings.fail(code, message);
    return { fact, listing: { status: 'fail', note: message } };
  };
  const listed = await listConnections(check, api, base);
  if ('code' in listed) return fail(listed.code, listed.message);
  const { connections } = listed;
  const liveConnection = gatewayConnection(connections, check.host, check.ports);
  fact.listed = !!liveConnection;
  if (!liveConnection) {
    return fail('live.not-configured',
      `the running Open WebUI has no "type": "mcp" tool server for ${endpoint} (it lists ${connections.length} connection(s)). After its first start Open WebUI keeps ` +
        'TOOL_SERVER_CONNECTIONS in its database and ignores the .env: add the connection under Admin Settings → External Tools, or start it with ENABLE_PERSISTENT_CONFIG=False');
  }
  let verified;
  try {
    verified = await api('POST', '/api/v1/configs/tool_servers/verify', liveConnection);
  } catch (error) {
    context.signal.throwIfAborted();
    return fail('live.unreachable', `POST /api/v1/configs/tool_servers/verify failed (${errorText(error)})`);
  }
  const answer = verified.json as { status?: unknown; specs?: unknown } | undefined;
  if (verified.status !== 200 || answer?.status !== true) {
    const reason = bodyReason(verified.text) ?? `HTTP ${verified.status}`;
    return fail('live.verify-failed',
      `Open WebUI could not list the gateway's tools (HTTP ${verified.status}: ${reason}); check the connection's url and key, and that ${new URL(endpoint).hostname} resolves from where Open WebUI runs`);
  }
  return judgeTools(check, fact, liveConnection, Array.isArray(answer.specs) ? answer.specs : []);
}

/** The tools the verify listed: some, and some from each expected server. */
function judgeTools(check: LiveCheck, fact: LiveFact, connection: Connection, specs: unknown[]): LiveResult {
  const tools = specs.map((s) => (s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string' ? (s as { name: string }).name : '')).filter(Boolean);
  fact.verified = true;
  fact.tools = tools.sort();
  const header = Object.entries(headersOf(connection)).find(([h]) => h.toLowerCase() === 'x-mcp-servers')?.[1];
  const expected = header ? header.split(',').map((s) => s.trim()).filter(Boolean) : check.knownServers;
  const perServer = Object.fromEntries(expected.map((s) => [s, tools.filter((t) => t.startsWith(`${s}-`)).length]));
  fact.toolsPerServer = perServer;
  if (!tools.length) {
    check.findings.warn('live.no-tools', "Open WebUI verified the connection but the gateway listed no tools; check x-mcp-servers and LiteLLM's log (a stdio server may have failed to start)");
    return { fact, listing: { status: 'warn', note: 'verified, but no tools listed' } };
  }
  const empty = expected.filter((s) => !perServer[s]);
  if (empty.length && tools.some((t) => expected.some((s) => t.startsWith(`${s}-`)))) {
    check.findings.warn('live.server-missing', `Open WebUI lists no tools from ${empty.join(', ')} through the gateway; check that server in LiteLLM's log`);
    return { fact, listing: { status: 'warn', note: `no tools from ${empty.join(', ')}` } };
  }
  return { fact, listing: { status: 'pass', note: `Open WebUI's verify listed ${tools.length} tool(s) through the gateway` } };
}
