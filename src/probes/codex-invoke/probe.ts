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
import {
  codexEnv,
  hostOfUrl,
  isTable,
  readCodexToml,
  runCodex,
  serverEntry,
  stderrLines,
  type TomlTable,
} from '../kit/codex-shared.ts';
import type { CodexInvokeOptions } from './options.ts';
import { now } from '../kit/checks.ts';
import { codexProbe, type CodexStart } from '../kit/codex-probe.ts';
import { shorten } from '../kit/matrix-notes.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import { execEnvironment } from './environment.ts';
import { parseEvents, readEvents } from './events.ts';
import type { CodexInvokeFacts } from './facts.ts';
import { judgeRun, type Cell, type Verdict } from './verdict.ts';

export type { CodexInvokeFacts, CodexToolCallFacts } from './facts.ts';
export { startupReason } from './verdict.ts';

/** The instruction `codex.invoke` puts in its prompt, and the pattern this double reads it back with. */
export function invokePrompt(server: string, tool: string, args: Record<string, unknown>): string {
  return (
    `Use the MCP server "${server}": call its tool "${tool}" once with the JSON arguments ${JSON.stringify(args)}, then reply with the result. ` +
    'At the end, list the names of all tools that server offered you, on one line starting with "Tools offered:".'
  );
}

export const codexInvokeProbe: Probe<CodexInvokeFacts, CodexInvokeOptions> = codexProbe('codex.invoke', runCodexInvoke);

async function runCodexInvoke(context: ProbeContext<CodexInvokeOptions>, { settings, show }: CodexStart): Promise<ProbeOutcome<CodexInvokeFacts>> {
  const { config, signal, options } = context;
  const shownConfig = show(settings.configFile);
  const tool = `${options.call.server}-${options.call.tool}`;
  const transcript: TranscriptEntry[] = [];
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
  const finish = ({ status, summary, listing, invocation = { status, note: summary } }: Verdict): ProbeOutcome<CodexInvokeFacts> => {
    if (status !== 'pass' && status !== 'skip') facts.problem = summary;
    facts.clientMatrix = [
      { client: 'codex', host: facts.host, aspect: 'listing', status: listing.status, note: shorten(listing.note) },
      { client: 'codex', host: facts.host, aspect: 'invocation', status: invocation.status, note: shorten(invocation.note) },
    ];
    const target = [`CODEX_HOME=${facts.codexHome} codex exec --json`, ...(facts.url ? [facts.url] : [])];
    return { status, summary, facts, transcript, target };
  };
  const same = (status: ProbeStatus, summary: string) => finish({ status, summary, listing: { status, note: summary } });

  const read = await readCodexToml(settings.configFile, signal);
  if (read.kind === 'missing') return same('fail', `no Codex config at ${shownConfig} (${read.error}); create it (see codex.config) or set probes."codex.config".codexHome`);
  if (read.kind === 'syntax') return same('fail', `${shownConfig}:${read.line}:${read.column}: invalid TOML (${read.message}); Codex refuses to start — fix the syntax (see codex.config)`);
  const data = read.data;
  const entry = serverEntry(data, settings.server);
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
    const skipped: Cell = { status: 'skip', note: 'no model provider configured for codex exec' };
    const reason =
      `no model provider configured in ${shownConfig} (no model_provider, no auth.json from \`codex login\`, no OPENAI_API_KEY): ` +
      'codex exec calls a tool only when a model asks. Configure a model provider to run this check';
    return finish({ status: 'skip', summary: reason, listing: skipped, invocation: skipped });
  }
  if (!entry) {
    return same('fail', `${shownConfig} has no [mcp_servers.${settings.server}] table: Codex has no gateway to call (see codex.config)`);
  }

  const environment = execEnvironment({ context, entry, url, baseUrl, proxyOption: options.proxy, codexHome: facts.codexHome, show });
  const { proxy } = environment;
  if (proxy.proxy) facts.resolution = `proxy ${proxy.proxy} (${options.proxy === 'auto' ? `hosts.${facts.host}.resolveTo` : 'probes."codex.invoke".proxy'})`;

  const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
  const args = execArgs(settings.server, tool, options);
  const run = await runCodex({ codexBin: settings.codexBin, args, env: codexEnv(settings.codexHome, environment.extra), cwd: settings.codexHome, signal: deadline, timeoutMs: options.timeoutMs });
  const events = parseEvents(run.stdout);
  if (run.exitCode !== undefined) facts.exitCode = run.exitCode;
  transcript.push({
    at: now(),
    kind: 'codex.exec',
    command: run.command,
    cwd: facts.codexHome,
    env: environment.sources,
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

  const seen = readEvents(events, settings.server, tool);
  if (seen.toolsOffered) facts.toolsOffered = seen.toolsOffered;
  return finish(
    judgeRun({
      facts,
      server: settings.server,
      tool,
      callServer: options.call.server,
      ...(options.call.expect ? { expect: options.call.expect } : {}),
      run,
      events: seen,
      ...(url ? { url } : {}),
      ...(proxy.proxy ? { proxy: proxy.proxy } : {}),
      keyEnvVar: config.gateway.keyEnvVar,
    }),
  );
}

/** `codex exec` in JSON mode, with no outbound lookups, the gateway entry required, and (with `approve`) the one tool approved for this run. */
function execArgs(server: string, tool: string, options: CodexInvokeOptions): string[] {
  const prompt = options.prompt ?? invokePrompt(server, tool, options.call.arguments);
  return [
    'exec', '--json', '--skip-git-repo-check', '--ephemeral',
    '-c', 'analytics.enabled=false', '--disable', 'plugins', '--disable', 'unbounded_connection_retries',
    '-c', `mcp_servers.${server}.required=true`,
    ...(options.approve ? ['-c', `mcp_servers.${server}.tools.${tool}.approval_mode="approve"`] : []),
    prompt,
  ];
}
