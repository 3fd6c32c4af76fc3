/**
 * `gateway.auth` (live): nothing is listed without a valid key, on every host.
 *
 * Per host, with NO key and with a deliberately WRONG key:
 * - `POST <host>/mcp/` — an MCP `initialize` with the streamable-HTTP headers; when the gateway
 *   accepts it, the probe goes on to `tools/list` in that session to see whether tools leak;
 * - `GET <host>/mcp-rest/tools/list`.
 * Then, with the configured key, `GET /mcp-rest/tools/list` must list tools.
 *
 * Verdicts, honestly graded:
 * - 401/403 → refused (pass);
 * - another error status whose body lists no tools → refused with a misleading status (warn by
 *   default; LiteLLM 1.77.1 answers a missing or rejected key on `/mcp/` with 500 "MCP request
 *   failed", and an unknown key on `/mcp-rest/…` without a database with 400 "No connected db.");
 * - 2xx that lists tools → fail (a security finding; on an external host it says the catalog is
 *   exposed to the internet); 2xx listing nothing → warn (accepted without a key);
 * - no answer, 404, 3xx, 502–504 → fail (the property could not be checked);
 * - the configured key refused → fail ("the key itself is rejected").
 *
 * The key's value is never written: the transcript shows `Bearer [REDACTED]` for it, facts say
 * only where the key came from. Error reasons are redacted with the key and the secrets files.
 */
import { isIP } from 'node:net';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import type { Host } from '../../config/schema.ts';
import { PACKAGE_VERSION } from '../../package-root.ts';
import { REDACTED, Redactor } from '../../secrets/redactor.ts';
import { gatewayKey } from '../kit/gateway-key.ts';
import { bodyReason, caFileInputs, connectionHint, errorText, listText, pickHosts, probeOptions, requestSignal, shownPath, statusHint } from '../kit/live-http.ts';
import { parseSse, recordingFetch, type RecordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import { GatewayAuthOptionsSchema } from './options.ts';
import { formatFinding, statusOf, type Finding, type Probe, type ProbeContext, type ProbeOutcome } from '../types.ts';
import type { AuthAttemptFact, AuthCheckFact, ValidKeyFact, GatewayAuthFacts } from './facts.ts';
export type { AuthOutcome, AuthAttemptFact, AuthCheckFact, ValidKeyFact, GatewayAuthFacts } from './facts.ts';

export const GATEWAY_AUTH_ID = 'gateway.auth';

/** Sent as the wrong key: shaped like a LiteLLM key so the gateway really checks it. Not a secret. */
export const WRONG_KEY = 'sk-proofbook-deliberately-wrong-key-0000';

type KeyCase = 'no-key' | 'wrong-key' | 'valid-key';

interface Answer {
  status?: number;
  body?: string;
  error?: string;
  tools?: number;
}

export const gatewayAuthProbe: Probe<GatewayAuthFacts> = {
  id: GATEWAY_AUTH_ID,
  inputs: caFileInputs,
  async run(context: ProbeContext): Promise<ProbeOutcome<GatewayAuthFacts>> {
    const config = context.config;
    const keyEnvVar = config.gateway.keyEnvVar;
    const key = gatewayKey(context);
    const facts: GatewayAuthFacts = {
      keyHeader: 'x-litellm-api-key',
      keyEnvVar,
      ...(key.source ? { keySource: key.source.startsWith('/') ? shownPath(config, key.source) : key.source } : {}),
      checks: [],
      validKey: [],
      findings: [],
    };
    const parsed = probeOptions(context, GATEWAY_AUTH_ID, GatewayAuthOptionsSchema);
    if (!parsed.options) return { status: 'error', summary: parsed.problem, facts, transcript: [] };
    const options = parsed.options;
    facts.keyHeader = options.keyHeader;
    const { hosts, unknown } = pickHosts(config, options.hosts);
    const unknownExternal = (options.externalHosts ?? []).filter((n) => !config.hosts.some((h) => h.name === n));
    if (unknown.length || unknownExternal.length) {
      const names = [...unknown, ...unknownExternal];
      return {
        status: 'error',
        summary: `probes."${GATEWAY_AUTH_ID}" names unknown host(s) ${names.join(', ')}; configured: ${config.hosts.map((h) => h.name).join(', ')}`,
        facts,
        transcript: [],
      };
    }

    const wrongKey = key.value === WRONG_KEY ? `${WRONG_KEY}x` : WRONG_KEY;
    const redactor = new Redactor([...context.secrets.map((e) => e.value), ...(key.value ? [key.value] : [])]);
    const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
    const tagged = async <T>(label: KeyCase, action: () => Promise<T>): Promise<T> => {
      const before = recorder.exchanges.length;
      try {
        return await action();
      } finally {
        for (const exchange of recorder.exchanges.slice(before)) {
          exchange.case = label;
          if (label === 'valid-key' && exchange.requestHeaders[options.keyHeader]) exchange.requestHeaders[options.keyHeader] = `Bearer ${REDACTED}`;
        }
      }
    };
    const headerFor = (value: string | undefined): Record<string, string> => (value ? { [options.keyHeader]: `Bearer ${value}` } : {});
    const findings: Finding[] = [];
    const mcpPath = options.mcpPath ?? gatewayMcp(config).path;

    for (const host of hosts) {
      context.signal.throwIfAborted();
      const external = options.externalHosts ? options.externalHosts.includes(host.name) : looksExternal(new URL(host.url).hostname);
      const endpoints = [
        { endpoint: 'mcp' as const, path: mcpPath, call: (h: Record<string, string>) => mcpAttempt(recorder, context, host, mcpPath, h, options.requestTimeoutMs) },
        { endpoint: 'rest' as const, path: options.restPath, call: (h: Record<string, string>) => restAttempt(recorder, context, host, options.restPath, h, options.requestTimeoutMs) },
      ];
      const hostFindings: Finding[] = [];
      const hostChecks: AuthCheckFact[] = [];
      for (const { endpoint, path, call } of endpoints) {
        const noKey = attemptFact(await tagged('no-key', () => call({})), redactor);
        const wrong = attemptFact(await tagged('wrong-key', () => call(headerFor(wrongKey))), redactor);
        const check: AuthCheckFact = {
          host: host.name,
          external,
          endpoint,
          path,
          url: new URL(path, host.url).toString(),
          noKey,
          wrongKey: wrong,
          verdict: 'pass',
        };
        const checkFindings = judge(check, host, options.misleadingRejection);
        check.verdict = statusOf(checkFindings) as AuthCheckFact['verdict'];
        hostChecks.push(check);
        hostFindings.push(...checkFindings);
      }
      facts.checks.push(...hostChecks);

      // The configured key must work, or every refusal above proves nothing about the key.
      const restUrl = new URL(options.restPath, host.url).toString();
      let valid: ValidKeyFact = { host: host.name, url: restUrl, ok: false };
      if (key.value) {
        const answer = await tagged('valid-key', () => restAttempt(recorder, context, host, options.restPath, headerFor(key.value), options.requestTimeoutMs));
        valid = validKeyFact(host, restUrl, answer, redactor);
        hostFindings.push(...judgeValidKey(valid, host, answer, `the key from ${facts.keySource}`, keyEnvVar, options.restPath));
      }
      facts.validKey.push(valid);

      // A host that answers nothing useful at all gets one finding, not one per request.
      const attempts = [...hostChecks.flatMap((c) => [c.noKey, c.wrongKey]), ...(key.value ? [{ outcome: isUnreachable(valid) ? 'unreachable' : 'other', status: valid.status, error: valid.error, reason: valid.reason }] : [])];
      const first = attempts[0]!;
      if (attempts.every((a) => a.outcome === 'unreachable' && a.status === first.status && a.error === first.error)) {
        const problem = first.status === undefined
          ? `${first.error} — ${connectionHint(host, first.error ?? '')}`
          : `HTTP ${first.status}${first.reason ? ` "${first.reason}"` : ''}${statusHint(first.status, first.reason ?? '') ? ` — ${statusHint(first.status, first.reason ?? '')}` : ''}`;
        findings.push({
          severity: 'fail',
          code: 'auth.unchecked',
          message: `${host.name} (${host.url}): cannot check auth: every request (${listText([...new Set(hostChecks.map((c) => c.path))])}, no key, a wrong key${key.value ? ', the key' : ''}) ${first.status === undefined ? 'failed' : 'answered'} ${problem}`,
        });
      } else {
        findings.push(...hostFindings);
      }
    }
    if (!key.value) {
      findings.push({
        severity: 'fail',
        code: 'key.missing',
        message: `no gateway key: set ${keyEnvVar} in the environment or in one of secretsFiles — without it the probe cannot show that a valid key works`,
      });
    }
    await recorder.settle();

    facts.findings = findings;
    const status = statusOf(findings);
    return { status, summary: summarize(facts, status), facts, transcript: recorder.exchanges, target: hosts.map((h) => h.url) };
  },
};

function validKeyFact(host: Host, url: string, answer: Answer, redactor: Redactor): ValidKeyFact {
  const valid: ValidKeyFact = { host: host.name, url, ok: false };
  if (answer.status !== undefined) valid.status = answer.status;
  if (answer.tools !== undefined) valid.tools = answer.tools;
  if (answer.error) valid.error = redactor.redact(answer.error);
  const reason = answer.status !== undefined && (answer.status < 200 || answer.status >= 300) ? bodyReason(answer.body, 80) : undefined;
  if (reason) valid.reason = redactor.redact(reason);
  valid.ok = answer.status !== undefined && answer.status >= 200 && answer.status < 300 && (answer.tools ?? 0) > 0;
  return valid;
}

function isUnreachable(valid: ValidKeyFact): boolean {
  return valid.status === undefined || isUnreachableStatus(valid.status);
}

function judgeValidKey(valid: ValidKeyFact, host: Host, answer: Answer, from: string, keyEnvVar: string, restPath: string): Finding[] {
  const where = `${host.name} (${host.url})`;
  if (valid.ok) return [];
  if (valid.status === undefined) {
    return [{ severity: 'fail', code: 'key.unchecked', message: `${where}: cannot check ${from}: GET ${valid.url} failed: ${valid.error} — ${connectionHint(host, valid.error ?? '')}` }];
  }
  if (valid.status >= 200 && valid.status < 300) {
    return [{ severity: 'warn', code: 'key.empty', message: `${where}: ${from} is accepted on ${restPath} but lists no tools (are the MCP servers up? see mcp.catalog)` }];
  }
  if (isUnreachableStatus(valid.status)) {
    const hint = statusHint(valid.status, answer.body ?? '');
    return [{ severity: 'fail', code: 'key.unchecked', message: `${where}: cannot check ${from}: GET ${valid.url} answered HTTP ${valid.status}${hint ? ` — ${hint}` : ''}` }];
  }
  const dbHint = /no connected db/i.test(valid.reason ?? '') ? '; LiteLLM without a database answers this to any key that is not its master key' : '';
  return [
    {
      severity: 'fail',
      code: 'key.rejected',
      message: `${where}: the key itself is rejected: GET ${valid.url} with ${from} answered HTTP ${valid.status}${valid.reason ? ` "${valid.reason}"` : ''}${dbHint} — check ${keyEnvVar}`,
    },
  ];
}

/** A public DNS name or address: not .lan/.local/.internal/.home.arpa/localhost, not a private or loopback IP. */
export function looksExternal(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(name) === 4) return !/^(10\.|127\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(name);
  if (isIP(name) === 6) return !/^(::1$|f[cd]|fe[89ab])/.test(name);
  if (!name.includes('.')) return false;
  return !/\.(lan|local|internal|intranet|localdomain|home\.arpa|localhost|test|example|invalid)$/.test(name) && name !== 'localhost';
}

function isUnreachableStatus(status: number): boolean {
  return (status >= 300 && status < 400) || status === 404 || status === 405 || status === 502 || status === 503 || status === 504;
}

function attemptFact(answer: Answer, redactor: Redactor): AuthAttemptFact {
  const fact: AuthAttemptFact = { outcome: 'unreachable' };
  if (answer.status !== undefined) fact.status = answer.status;
  if (answer.error) fact.error = redactor.redact(answer.error);
  if (answer.tools) fact.tools = answer.tools;
  if (answer.status !== undefined && (answer.status < 200 || answer.status >= 300)) {
    const reason = bodyReason(answer.body, 80);
    if (reason) fact.reason = redactor.redact(reason);
  }
  const status = answer.status;
  if (status === undefined) fact.outcome = 'unreachable';
  else if ((answer.tools ?? 0) > 0) fact.outcome = 'listed';
  else if (status === 401 || status === 403) fact.outcome = 'refused';
  else if (status >= 200 && status < 300) fact.outcome = 'accepted';
  else if (isUnreachableStatus(status)) fact.outcome = 'unreachable';
  else fact.outcome = 'refused-misleading';
  return fact;
}

const WHICH: Record<'noKey' | 'wrongKey', string> = { noKey: 'no key', wrongKey: 'a wrong key' };

/** Findings for one host × endpoint; identical answers to no key and a wrong key make one finding. */
function judge(check: AuthCheckFact, host: Host, misleading: 'pass' | 'warn' | 'fail'): Finding[] {
  const where = `${check.host} (${host.url}) ${check.path}`;
  const same = check.noKey.outcome === check.wrongKey.outcome && check.noKey.status === check.wrongKey.status && check.noKey.reason === check.wrongKey.reason;
  const groups: { which: string; attempt: AuthAttemptFact }[] = same
    ? [{ which: 'no key and a wrong key', attempt: check.noKey }]
    : (['noKey', 'wrongKey'] as const).map((k) => ({ which: WHICH[k], attempt: check[k] }));
  const findings: Finding[] = [];
  for (const { which, attempt } of groups) {
    const answered = `HTTP ${attempt.status}${attempt.reason ? ` "${attempt.reason}"` : ''}`;
    switch (attempt.outcome) {
      case 'refused':
        break;
      case 'listed':
        findings.push({
          severity: 'fail',
          code: 'auth.listed',
          message:
            `${where}: with ${which} the gateway lists ${attempt.tools} tool(s) (HTTP ${attempt.status}) — anyone who reaches this host can read the MCP catalog without a valid key` +
            (check.external ? '; this is the EXTERNAL host: the catalog is exposed to the internet' : ''),
        });
        break;
      case 'accepted':
        findings.push({
          severity: 'warn',
          code: 'auth.accepted',
          message: `${where}: with ${which} the gateway accepts the request (HTTP ${attempt.status}) though it lists no tools — is authentication enforced?`,
        });
        break;
      case 'refused-misleading':
        if (misleading !== 'pass') {
          findings.push({
            severity: misleading,
            code: 'auth.misleading-status',
            message: `${where}: ${which} ${same ? 'are' : 'is'} refused (nothing listed), but with ${answered} instead of 401/403, so a client cannot tell it is an auth failure${litellmNote(attempt)}`,
          });
        }
        break;
      case 'unreachable': {
        const problem = attempt.status === undefined
          ? `${attempt.error} — ${connectionHint(host, attempt.error ?? '')}`
          : `${answered}${statusHint(attempt.status, attempt.reason ?? '') ? ` — ${statusHint(attempt.status, attempt.reason ?? '')}` : ''}`;
        findings.push({ severity: 'fail', code: 'auth.unchecked', message: `${where}: cannot check ${which}: ${problem}` });
        break;
      }
    }
  }
  return findings;
}

/** What LiteLLM 1.77.x means by its misleading refusals (seen on the lab). */
function litellmNote(attempt: AuthAttemptFact): string {
  if (attempt.status === 500 && /MCP request failed/i.test(attempt.reason ?? '')) {
    return ' (LiteLLM 1.77.x answers a missing or rejected key on its MCP endpoint this way; its log shows the auth error)';
  }
  if (attempt.status === 400 && /no connected db/i.test(attempt.reason ?? '')) {
    return ' (LiteLLM without a database answers this to any key that is not its master key: it cannot look the key up)';
  }
  return '';
}

function summarize(facts: GatewayAuthFacts, status: ReturnType<typeof statusOf>): string {
  if (status === 'fail') {
    const ordered = [...facts.findings.filter((f) => f.severity === 'fail'), ...facts.findings.filter((f) => f.severity === 'warn')];
    return ordered.map(formatFinding).join('; ');
  }
  const hosts = listText([...new Set(facts.checks.map((c) => c.host))]);
  const paths = [...new Set(facts.checks.map((c) => c.path))].join(', ');
  const tools = [...new Set(facts.validKey.map((v) => v.tools))];
  const keyText = facts.validKey.length && facts.validKey.every((v) => v.ok)
    ? tools.length === 1
      ? `the configured key lists ${tools[0]} tools`
      : `the configured key lists ${facts.validKey.map((v) => `${v.tools} tools on ${v.host}`).join(', ')}`
    : '';

  // Answers other than 401/403, grouped across hosts: `/mcp/ answers HTTP 500 "MCP request failed" to no key and a wrong key (lan, external)`.
  const groups = new Map<string, string[]>();
  let accepted = false;
  for (const check of facts.checks) {
    const same = check.noKey.status === check.wrongKey.status && check.noKey.reason === check.wrongKey.reason && check.noKey.outcome === check.wrongKey.outcome;
    const describe = (a: AuthAttemptFact, which: string): string | undefined => {
      if (a.outcome === 'accepted') {
        accepted = true;
        return `${check.path} accepts ${which} (HTTP ${a.status}) but lists nothing`;
      }
      return a.outcome === 'refused-misleading' ? `${check.path} answers HTTP ${a.status}${a.reason ? ` "${a.reason}"` : ''} to ${which}` : undefined;
    };
    const parts = same ? [describe(check.noKey, 'no key and a wrong key')] : [describe(check.noKey, 'no key'), describe(check.wrongKey, 'a wrong key')];
    for (const part of parts) if (part) groups.set(part, [...(groups.get(part) ?? []), check.host]);
  }
  const odd = [...groups].map(([text, on]) => `${text} (${on.join(', ')})`);
  // Warnings that are not about a single answer (e.g. the key lists no tools).
  const other = facts.findings.filter((f) => f.severity === 'warn' && !f.code?.startsWith('auth.')).map(formatFinding);
  const tail = [keyText, ...other].filter(Boolean).map((t) => `; ${t}`).join('');
  if (!odd.length) return `no key and a wrong key are refused with 401/403 on ${hosts} (${paths})${tail}`;
  const lead = accepted
    ? `nothing is listed without a valid key on ${hosts}, but not every request without one is refused`
    : status === 'warn'
      ? `nothing is listed without a valid key on ${hosts}, but not every refusal is a 401/403`
      : `nothing is listed without a valid key on ${hosts}`;
  return `${lead}: ${odd.join('; ')}${tail}`;
}

// ---------------------------------------------------------------------------------------------
// Requests

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const PROTOCOL_VERSION = '2025-06-18';

async function mcpAttempt(
  recorder: RecordingFetch,
  context: ProbeContext,
  host: Host,
  path: string,
  keyHeaders: Record<string, string>,
  timeoutMs: number,
): Promise<Answer> {
  const url = new URL(path, host.url).toString();
  const post = async (message: object, extra: Record<string, string> = {}) => {
    const response = await recorder.fetch(url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...keyHeaders, ...extra },
      body: JSON.stringify(message),
      signal: requestSignal(context, timeoutMs),
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
    context.signal.throwIfAborted();
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
    context.signal.throwIfAborted(); // the initialize answer already says enough
  }
  return answer;
}

async function restAttempt(
  recorder: RecordingFetch,
  context: ProbeContext,
  host: Host,
  path: string,
  keyHeaders: Record<string, string>,
  timeoutMs: number,
): Promise<Answer> {
  const url = new URL(path, host.url).toString();
  try {
    const response = await recorder.fetch(url, {
      headers: { accept: 'application/json', ...keyHeaders },
      signal: requestSignal(context, timeoutMs),
      redirect: 'manual',
    });
    const body = await response.text();
    return { status: response.status, body, tools: countTools(body, response.headers.get('content-type')) };
  } catch (error) {
    context.signal.throwIfAborted();
    return { error: errorText(error) };
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
