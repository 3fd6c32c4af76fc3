/**
 * `codex.invoke`: the real Codex CLI calls a tool through the gateway. Runs
 * `codex exec --json` with the configured CODEX_HOME (stdin closed, killed on the probe's signal)
 * and a prompt that asks the model to call one safe tool of the gateway entry, then checks the
 * JSONL event stream for an `mcp_tool_call` item of that server and tool with status `completed`
 * (and, with `expect`, a result containing that text).
 *
 * - Codex calls a tool only when its model asks for it. On the lab the model is the scripted model
 *   server (`src/lab/scripted-model.ts`, a test double for the LLM only); everything on the MCP side
 *   — Codex's MCP client, Traefik, LiteLLM, the MCP server — is real. No model provider configured
 *   (no `model_provider`, no `auth.json`, no `OPENAI_API_KEY`) → `skip` with the reason.
 * - `codex exec` runs with approval "never", and LiteLLM does not pass the tools' read-only
 *   annotations on, so the probe approves exactly the one tool it calls, for this run only
 *   (`-c mcp_servers.<server>.tools.<tool>.approval_mode="approve"`); config.toml is not changed.
 * - `-c mcp_servers.<server>.required=true` turns a silent start failure (key variable unset, key
 *   refused, host unreachable) into exit 1 with Codex's reason, which the summary names with the fix.
 * - The key: Codex reads `bearer_token_env_var` from its environment; the probe passes it from the
 *   environment or, like `set -a; . file`, from the secrets files.
 * - DNS: Codex resolves the URL's hostname itself. For an http URL whose host has `resolveTo`, the
 *   probe sets HTTP_PROXY to `http://<resolveTo>:<port>` (the host's entrypoint; Traefik routes the
 *   absolute-form request by its Host) and NO_PROXY for loopback — see `proxyFor`.
 * - Flags: `--skip-git-repo-check --ephemeral -c analytics.enabled=false --disable plugins
 *   --disable unbounded_connection_retries` (no outbound lookups; a dead model endpoint fails).
 *
 * The transcript is the command, its environment (names and sources, never values), exit code,
 * every JSONL event and stderr — redacted. Facts are stable: no timings, ids or ports.
 * Client matrix: `listing` (Codex listed the tool through the gateway and offered it to the
 * model) and `invocation` (the call completed).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Redactor } from '../../secrets/redactor.ts';
import {
  codexEnv,
  codexSettings,
  hostOfUrl,
  isTable,
  lookupEnv,
  proxyFor,
  readCodexToml,
  runCodex,
  stderrLines,
  TOKEN_HEADERS,
  type TomlTable,
} from '../kit/codex-shared.ts';
import { CodexInvokeOptionsSchema } from './options.ts';
import { displayPath, looksSecret, now, scrub } from '../kit/checks.ts';
import type { ClientMatrixCell, Probe, ProbeContext, ProbeInput, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';


/** The instruction `codex.invoke` puts in its prompt, and the pattern this double reads it back with. */
export function invokePrompt(server: string, tool: string, args: Record<string, unknown>): string {
  return (
    `Use the MCP server "${server}": call its tool "${tool}" once with the JSON arguments ${JSON.stringify(args)}, then reply with the result. ` +
    'At the end, list the names of all tools that server offered you, on one line starting with "Tools offered:".'
  );
}

export interface CodexToolCallFacts {
  server: string;
  tool: string;
  arguments: unknown;
  status: string;
  /** Text of the result content, capped. */
  result?: string;
  error?: string;
}

export interface CodexInvokeFacts {
  codexHome: string;
  server: string;
  host: string;
  /** The entry's url (what Codex connects to). */
  url?: string;
  /** How Codex reached the hostname: `dns`, or the proxy standing in for it. */
  resolution: string;
  model: { provider?: string; model?: string };
  /** The call asked for: the gateway's tool name is `<call.server>-<call.tool>`. */
  call: { tool: string; arguments: Record<string, unknown>; expect?: string };
  exitCode?: number;
  /** The `mcp_tool_call` item of that tool, as Codex reported it. */
  toolCall?: CodexToolCallFacts;
  /** Tools of the entry the model reported it was offered (the prompt asks for them), sorted. */
  toolsOffered?: string[];
  /** Why the probe did not pass, with the fix. */
  problem?: string;
  clientMatrix: ClientMatrixCell[];
}

const RESULT_CAP = 2_000;

interface CodexEvent {
  type: string;
  item?: { id?: string; type?: string; server?: string; tool?: string; arguments?: unknown; status?: string; result?: { content?: { type?: string; text?: string }[] } | null; error?: { message?: string } | null; text?: string; message?: string };
  error?: { message?: string };
  message?: string;
}

export const codexInvokeProbe: Probe<CodexInvokeFacts> = {
  id: 'codex.invoke',
  inputs(config) {
    const options = CodexInvokeOptionsSchema.parse((config.probes as Record<string, unknown>)['codex.invoke'] ?? {});
    return [{ file: codexSettings(config, options).configFile, format: 'toml', optional: true } satisfies ProbeInput];
  },
  async run(context: ProbeContext): Promise<ProbeOutcome<CodexInvokeFacts>> {
    const { config, signal } = context;
    const options = CodexInvokeOptionsSchema.parse((config.probes as Record<string, unknown>)['codex.invoke'] ?? {});
    const settings = codexSettings(config, options);
    const show = (file: string) => displayPath(config.rootDir, file);
    const shownConfig = show(settings.configFile);
    const tool = `${options.call.server}-${options.call.tool}`;
    const transcript: TranscriptEntry[] = [];
    const secrets = context.secrets.map((e) => e.value);
    const facts: CodexInvokeFacts = {
      codexHome: show(settings.codexHome),
      server: settings.server,
      host: settings.host.name,
      url: undefined,
      resolution: 'dns',
      model: {},
      call: { tool, arguments: options.call.arguments, ...(options.call.expect ? { expect: options.call.expect } : {}) },
      // Every field up front, so the JSON keeps a stable, readable order.
      exitCode: undefined,
      toolCall: undefined,
      toolsOffered: undefined,
      problem: undefined,
      clientMatrix: [],
    };
    const finish = (status: ProbeStatus, summary: string, listing: { status: ProbeStatus; note: string }, invocation = { status, note: summary }): ProbeOutcome<CodexInvokeFacts> => {
      if (status !== 'pass' && status !== 'skip') facts.problem = summary;
      facts.clientMatrix = [
        { client: 'codex', host: facts.host, aspect: 'listing', status: listing.status, note: shorten(listing.note) },
        { client: 'codex', host: facts.host, aspect: 'invocation', status: invocation.status, note: shorten(invocation.note) },
      ];
      const target = [`CODEX_HOME=${facts.codexHome} codex exec --json`, ...(facts.url ? [facts.url] : [])];
      return scrub({ status, summary, facts, transcript, target }, new Redactor(secrets));
    };
    const same = (status: ProbeStatus, summary: string) => finish(status, summary, { status, note: summary });

    const read = await readCodexToml(settings.configFile, signal);
    if (read.kind === 'missing') return same('fail', `no Codex config at ${shownConfig} (${read.error}); create it (see codex.config) or set probes."codex.config".codexHome`);
    if (read.kind === 'syntax') return same('fail', `${shownConfig}:${read.line}:${read.column}: invalid TOML (${read.message}); Codex refuses to start — fix the syntax (see codex.config)`);
    const data = read.data;
    const entry = isTable(data.mcp_servers) && isTable(data.mcp_servers[settings.server]) ? (data.mcp_servers[settings.server] as TomlTable) : undefined;
    const url = typeof entry?.url === 'string' ? entry.url : undefined;
    if (url) {
      facts.url = url;
      facts.host = hostOfUrl(config, url)?.name ?? settings.host.name;
    }

    // A model to drive Codex.
    const provider = typeof data.model_provider === 'string' ? data.model_provider : undefined;
    facts.model = { ...(provider ? { provider } : {}), ...(typeof data.model === 'string' ? { model: data.model } : {}) };
    const providers = isTable(data.model_providers) ? data.model_providers : {};
    const baseUrl = provider && isTable(providers[provider]) ? (providers[provider] as TomlTable).base_url : undefined;
    if (!provider && !existsSync(path.join(settings.codexHome, 'auth.json')) && !process.env.OPENAI_API_KEY) {
      const reason =
        `no model provider configured in ${shownConfig} (no model_provider, no auth.json from \`codex login\`, no OPENAI_API_KEY): ` +
        'codex exec calls a tool only when a model asks. Configure a model provider to run this check';
      return finish('skip', reason, { status: 'skip', note: 'no model provider configured for codex exec' }, { status: 'skip', note: 'no model provider configured for codex exec' });
    }
    if (!entry) {
      return same('fail', `${shownConfig} has no [mcp_servers.${settings.server}] table: Codex has no gateway to call (see codex.config)`);
    }

    // The environment: the key variables (from the environment, else the secrets files), and the proxy.
    const extra: Record<string, string> = {};
    const envSources: Record<string, string> = { CODEX_HOME: facts.codexHome };
    const envVars = [entry.bearer_token_env_var, ...Object.values(isTable(entry.env_http_headers) ? entry.env_http_headers : {})].filter(
      (n): n is string => typeof n === 'string',
    );
    for (const name of envVars) {
      const lookup = lookupEnv(context, name, show);
      if (lookup.value) {
        extra[name] = lookup.value;
        secrets.push(lookup.value);
      }
      envSources[name] = lookup.set ? `(set, from ${lookup.source})` : '(not set)';
    }
    for (const [header, value] of Object.entries(isTable(entry.http_headers) ? entry.http_headers : {})) {
      if (TOKEN_HEADERS.includes(header.toLowerCase()) || looksSecret(header, String(value))) secrets.push(String(value), String(value).replace(/^Bearer\s+/i, ''));
    }
    if (typeof entry.bearer_token === 'string') secrets.push(entry.bearer_token);
    const proxy = proxyFor(config, url, options.proxy);
    if (proxy.proxy) {
      const noProxy = ['127.0.0.1', 'localhost', '::1'];
      if (typeof baseUrl === 'string') {
        try {
          noProxy.push(new URL(baseUrl).hostname);
        } catch {
          // not a URL: Codex reports it
        }
      }
      Object.assign(extra, { HTTP_PROXY: proxy.proxy, http_proxy: proxy.proxy, NO_PROXY: [...new Set(noProxy)].join(','), no_proxy: [...new Set(noProxy)].join(',') });
      envSources.HTTP_PROXY = proxy.proxy;
      envSources.NO_PROXY = extra.NO_PROXY!;
      facts.resolution = `proxy ${proxy.proxy} (${options.proxy === 'auto' ? `hosts.${facts.host}.resolveTo` : 'probes."codex.invoke".proxy'})`;
    }

    const prompt = options.prompt ?? invokePrompt(settings.server, tool, options.call.arguments);
    const args = [
      'exec', '--json', '--skip-git-repo-check', '--ephemeral',
      '-c', 'analytics.enabled=false', '--disable', 'plugins', '--disable', 'unbounded_connection_retries',
      '-c', `mcp_servers.${settings.server}.required=true`,
      ...(options.approve ? ['-c', `mcp_servers.${settings.server}.tools.${tool}.approval_mode="approve"`] : []),
      prompt,
    ];
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
    const run = await runCodex({ codexBin: settings.codexBin, args, env: codexEnv(settings.codexHome, extra), cwd: settings.codexHome, signal: deadline, timeoutMs: options.timeoutMs });
    const events = run.stdout.split('\n').filter((l) => l.trim()).map((line) => parseEvent(line));
    if (run.exitCode !== undefined) facts.exitCode = run.exitCode;
    transcript.push({
      at: now(),
      kind: 'codex.exec',
      command: run.command,
      cwd: facts.codexHome,
      env: envSources,
      ...(typeof baseUrl === 'string' ? { modelBaseUrl: baseUrl } : {}),
      resolution: proxy.reason,
      exitCode: run.exitCode ?? null,
      durationMs: run.durationMs,
      events,
      stderr: stderrLines(run.stderr),
      ...(run.startError ? { startError: run.startError } : {}),
    });

    if (run.startError) return same('error', `cannot run codex (${run.startError}); install @openai/codex or set probes."codex.config".codexBin`);
    if (run.canceled || run.timedOut) return same('error', `codex exec did not finish within ${options.timeoutMs} ms (killed); see the transcript for the events so far`);

    const items = events.filter((e) => e.type === 'item.completed' && e.item).map((e) => e.item!);
    const calls = items.filter((i) => i.type === 'mcp_tool_call');
    const call = calls.findLast((i) => i.server === settings.server && i.tool === tool);
    const messages = items.filter((i) => i.type === 'agent_message').map((i) => i.text ?? '');
    const offered = messages.map((m) => /^Tools offered:\s*(.*)$/m.exec(m)?.[1]).findLast((m) => m !== undefined);
    if (offered !== undefined) facts.toolsOffered = offered.split(',').map((s) => s.trim()).filter((s) => s && s !== '(none)').sort();
    const turnFailed = events.find((e) => e.type === 'turn.failed' || e.type === 'error');

    if (call) {
      const result = (call.result?.content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type}]`)).join('\n');
      facts.toolCall = {
        server: call.server!,
        tool: call.tool!,
        arguments: call.arguments,
        status: call.status ?? '?',
        ...(call.result ? { result: result.length > RESULT_CAP ? `${result.slice(0, RESULT_CAP)}…` : result } : {}),
        ...(call.error?.message ? { error: call.error.message } : {}),
      };
      const listing = {
        status: 'pass' as ProbeStatus,
        note: facts.toolsOffered ? `${facts.toolsOffered.length} tools offered in mcp__${settings.server}, ${tool} among them` : `${tool} offered in mcp__${settings.server}`,
      };
      const where = `${settings.server} ${tool} via ${facts.host}`;
      if (call.status !== 'completed') {
        return finish('fail', `Codex's call ${where} ${call.status}: ${call.error?.message ?? '(no error text)'}${callHint(call.error?.message ?? '', settings.server, tool)}`, listing);
      }
      if (options.call.expect && !result.includes(options.call.expect)) {
        return finish('fail', `Codex's call ${where} completed but the result lacks "${options.call.expect}": ${firstLine(result) || '(no text)'}`, listing);
      }
      return finish('pass', `codex exec called ${where}: completed (${firstLine(result)})`, listing);
    }

    // No call: Codex did not start the gateway entry, the model never asked, or the tool was not offered.
    const reason = startupReason(run.stderr) ?? turnFailed?.error?.message ?? turnFailed?.message;
    if (run.exitCode !== 0 || reason) {
      const text = `codex exec exited ${run.exitCode ?? '?'} without calling ${tool}: ${reason ?? 'no reason printed (see stderr in the transcript)'}${startupHint(reason ?? '', settings.server, url, proxy.proxy, config.gateway.keyEnvVar)}`;
      return same('fail', text);
    }
    if (facts.toolsOffered && !facts.toolsOffered.some((t) => t === tool || t === tool.replace(/[^A-Za-z0-9_]/g, '_'))) {
      const text =
        `Codex did not offer ${tool} to the model (mcp__${settings.server} offers ${facts.toolsOffered.length} tools: ${facts.toolsOffered.slice(0, 8).join(', ')}${facts.toolsOffered.length > 8 ? ', …' : ''}); ` +
        `check x-mcp-servers names ${options.call.server} and that LiteLLM lists its tools (mcp.catalog)`;
      return same('fail', text);
    }
    const said = firstLine(messages.at(-1) ?? '');
    return finish(
      'fail',
      `the model made no call to ${tool}${said ? ` (it said: ${said})` : ''}; with a real model, make the prompt (probes."codex.invoke".prompt) ask for the call explicitly`,
      { status: facts.toolsOffered ? 'pass' : 'skip', note: facts.toolsOffered ? `${facts.toolsOffered.length} tools offered in mcp__${settings.server}` : 'unknown: the model made no call and listed no tools' },
    );
  },
};

function parseEvent(line: string): CodexEvent {
  try {
    return JSON.parse(line) as CodexEvent;
  } catch {
    return { type: 'unparsed', message: line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line };
  }
}

/** Codex's reason a required MCP server did not start, without the Rust type names. */
export function startupReason(stderr: string): string | undefined {
  const line = stderrLines(stderr).find((l) => l.includes('required MCP servers failed to initialize'));
  if (!line) return undefined;
  let reason = line.slice(line.indexOf('required MCP servers failed to initialize'));
  reason = reason.replace(/ \(code -?\d+\)\s*$/, '');
  reason = reason.replace(/Send message error Transport \[.*\] error: /, '');
  return reason.replace(/,\s*$/, '');
}

function startupHint(reason: string, server: string, url: string | undefined, proxy: string | undefined, keyEnvVar: string): string {
  const unset = /Environment variable (\w+) for MCP server/.exec(reason);
  if (unset) return `. Export ${unset[1]} (the gateway key) where Codex runs, or add ${unset[1]}=<key> to a secrets file listed in proofbook.config.yaml`;
  if (/HTTP (401|403)|HTTP 500: \{"error":"MCP request failed"/.test(reason)) {
    return `. The gateway refused the key: check that the variable named by bearer_token_env_var in [mcp_servers.${server}] holds a valid LiteLLM key ` +
      `(the master key is ${keyEnvVar}; LiteLLM 1.77.1 answers a wrong key with HTTP 500 "MCP request failed")`;
  }
  if (/error sending request|dns|Connection refused|connect/i.test(reason)) {
    return `. Codex cannot reach ${url ?? 'the url'}${proxy ? ` through ${proxy}` : ''}: check that the hostname resolves (or the host's resolveTo) and that Traefik listens there`;
  }
  if (/HTTP 404/.test(reason)) return `. Nothing serves MCP at ${url}: check the path (LiteLLM: /mcp/) and the Traefik router for the host`;
  return '';
}

function callHint(error: string, server: string, tool: string): string {
  if (/requires approval/.test(error)) return `. Set approve: true for codex.invoke, or approval_mode = "approve" under [mcp_servers.${server}.tools."${tool}"]`;
  return '';
}

function firstLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function shorten(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
