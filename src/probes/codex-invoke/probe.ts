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
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Host } from '../../config/schema.ts';
import { worst } from '../../model/status.ts';
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
import { resolutionFor, type Resolution } from '../kit/host-resolution.ts';
import { shorten } from '../kit/matrix-notes.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import { execEnvironment } from './environment.ts';
import { parseEvents, readEvents } from './events.ts';
import type { CodexHostRun, CodexInvokeFacts } from './facts.ts';
import { judgeRun, type Cell, type JudgedFacts, type Verdict } from './verdict.ts';
import { invokePrompt } from '../kit/invoke-prompt.ts';

export type { CodexHostRun, CodexInvokeFacts, CodexToolCallFacts } from './facts.ts';
export { startupReason } from './verdict.ts';

/** The instruction `codex.invoke` puts in its prompt (shared with the other client invoke probes). */
export { invokePrompt } from '../kit/invoke-prompt.ts';

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
    otherHosts: undefined,
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

  const shared: SharedRun = { context, start: { settings, show }, entry, baseUrl, tool, codexHome: facts.codexHome };
  // The entry's host and the others at once: each codex process is mostly waiting on the network.
  const [primary, others] = await Promise.all([
    execOn(shared, { host: facts.host, url, proxyOption: options.proxy }, facts),
    Promise.all(otherHosts(context, facts.host, url).map((host) => execOnOtherHost(shared, host, url!))),
  ]);
  transcript.push(primary.entry, ...others.flatMap((other) => (other.entry ? [other.entry] : [])));
  if (others.length) facts.otherHosts = others.map((other) => other.facts);
  return finishAll(finish(primary.verdict), others);
}

/** What every `codex exec` of one probe run shares. */
interface SharedRun {
  context: ProbeContext<CodexInvokeOptions>;
  start: CodexStart;
  entry: TomlTable;
  baseUrl: unknown;
  /** The tool as Codex names it: `<call.server>-<call.tool>`. */
  tool: string;
  /** CODEX_HOME as evidence shows it. */
  codexHome: string;
}

/** What one run records: the entry host's in the facts themselves, another host's in `otherHosts`. */
type RunFacts = JudgedFacts & { resolution: string; exitCode?: number };

/** One `codex exec` and what it means; `facts` receives the url, resolution, exit code and call. */
async function execOn(
  shared: SharedRun,
  target: { host: string; url: string | undefined; proxyOption: string; resolution?: Resolution; urlOverride?: string },
  facts: RunFacts,
): Promise<{ verdict: Verdict; entry: TranscriptEntry }> {
  const { context, start, entry, baseUrl, tool } = shared;
  const { config, signal, options } = context;
  const { settings } = start;
  const environment = execEnvironment({ context, entry, url: target.url, baseUrl, proxyOption: target.proxyOption, codexHome: shared.codexHome, show: start.show });
  const { proxy } = environment;
  if (proxy.proxy) facts.resolution = `proxy ${proxy.proxy} (${options.proxy === 'auto' ? `hosts.${target.host}.resolveTo` : 'probes."codex.invoke".proxy'})`;
  if (target.resolution) facts.resolution = target.resolution.description;

  const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
  const args = execArgs(settings.server, tool, options, target.urlOverride);
  const env = codexEnv(settings.codexHome, { ...environment.extra, ...target.resolution?.env });
  const run = await runCodex({ codexBin: settings.codexBin, wrapper: target.resolution?.wrapper, args, env, cwd: settings.codexHome, signal: deadline, timeoutMs: options.timeoutMs });
  const events = parseEvents(run.stdout);
  if (run.exitCode !== undefined) facts.exitCode = run.exitCode;
  const transcriptEntry: TranscriptEntry = {
    at: now(),
    kind: 'codex.exec',
    host: target.host,
    command: run.command,
    cwd: shared.codexHome,
    env: { ...environment.sources, ...target.resolution?.shownEnv },
    ...(typeof baseUrl === 'string' ? { modelBaseUrl: baseUrl } : {}),
    resolution: target.resolution?.description ?? proxy.reason,
    exitCode: run.exitCode ?? null,
    durationMs: run.durationMs,
    events,
    stderr: stderrLines(run.stderr),
    ...(run.startError ? { startError: run.startError } : {}),
  };
  const same = (status: ProbeStatus, summary: string): Verdict => ({ status, summary, listing: { status, note: summary } });
  if (run.startError) return { verdict: same('error', `cannot run codex (${run.startError}); install @openai/codex or set probes."codex.config".codexBin`), entry: transcriptEntry };
  if (run.canceled || run.timedOut) return { verdict: same('error', `codex exec did not finish within ${options.timeoutMs} ms (killed); see the transcript for the events so far`), entry: transcriptEntry };

  const seen = readEvents(events, settings.server, tool);
  if (seen.toolsOffered) facts.toolsOffered = seen.toolsOffered;
  const verdict = judgeRun({
    facts,
    server: settings.server,
    tool,
    callServer: options.call.server,
    ...(options.call.expect ? { expect: options.call.expect } : {}),
    run,
    events: seen,
    ...(target.url ? { url: target.url } : {}),
    ...(proxy.proxy ? { proxy: proxy.proxy } : {}),
    keyEnvVar: config.gateway.keyEnvVar,
  });
  return { verdict, entry: transcriptEntry };
}

/** The hosts besides the entry's own that the call is also made through (`hosts` option; default every config host). */
function otherHosts(context: ProbeContext<CodexInvokeOptions>, entryHost: string, url: string | undefined): Host[] {
  if (!url) return [];
  const names = context.options.hosts ?? context.config.hosts.map((host) => host.name);
  return names.filter((name) => name !== entryHost).map((name) => context.config.hostByName(name));
}

/**
 * The same entry pointed at another host: its url with that host's origin, for this run only
 * (`-c mcp_servers.<server>.url=…`; config.toml is not changed), the host's name reached as
 * ../kit/host-resolution.ts says and its CA trusted through SSL_CERT_FILE (Codex reads that bundle).
 */
async function execOnOtherHost(shared: SharedRun, host: Host, entryUrl: string): Promise<{ facts: CodexHostRun; entry?: TranscriptEntry; verdict: Verdict }> {
  const parsed = new URL(entryUrl);
  const url = new URL(`${parsed.pathname}${parsed.search}`, host.url).toString();
  const facts: CodexHostRun = { host: host.name, url, resolution: 'dns', status: 'skip', summary: '' };
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'proofbook-codex-host-'));
  try {
    const resolution = await resolutionFor(shared.context.config, [host], 'auto', scratch, { client: 'Codex', trust: 'system' });
    const unreachable = resolution.unreachable[host.name];
    if (unreachable) {
      const verdict: Verdict = { status: 'skip', summary: unreachable, listing: { status: 'skip', note: unreachable } };
      return { facts: settle(facts, verdict), verdict };
    }
    const { verdict, entry } = await execOn(shared, { host: host.name, url, proxyOption: 'none', resolution, urlOverride: url }, facts);
    return { facts: settle(facts, verdict), entry, verdict };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function settle(facts: CodexHostRun, verdict: Verdict): CodexHostRun {
  facts.status = verdict.status;
  facts.summary = verdict.summary;
  return facts;
}

/**
 * The probe's outcome with the other hosts' runs: their cells join the matrix, and a host that
 * was reached but failed makes the probe fail too (one that could not be reached here stays a
 * `skip` cell with the reason, and does not hide the entry host's result).
 */
function finishAll(outcome: ProbeOutcome<CodexInvokeFacts>, others: { facts: CodexHostRun; verdict: Verdict }[]): ProbeOutcome<CodexInvokeFacts> {
  for (const { facts: run, verdict } of others) {
    const invocation = verdict.invocation ?? { status: verdict.status, note: verdict.summary };
    outcome.facts.clientMatrix.push(
      { client: 'codex', host: run.host, aspect: 'listing', status: verdict.listing.status, note: shorten(verdict.listing.note) },
      { client: 'codex', host: run.host, aspect: 'invocation', status: invocation.status, note: shorten(invocation.note) },
    );
  }
  const counted = others.filter(({ verdict }) => verdict.status !== 'skip');
  const status = worst([outcome.status, ...counted.map(({ verdict }) => verdict.status)])!;
  const elsewhere = others.map(({ facts: run }) => `on ${run.host}: ${run.status === 'pass' ? 'completed' : run.summary}`);
  return { ...outcome, status, summary: [outcome.summary, ...elsewhere].join('; ') };
}

/** `codex exec` in JSON mode, with no outbound lookups, the gateway entry required, and (with `approve`) the one tool approved for this run. */
function execArgs(server: string, tool: string, options: CodexInvokeOptions, urlOverride?: string): string[] {
  const prompt = options.prompt ?? invokePrompt(server, tool, options.call.arguments);
  return [
    'exec', '--json', '--skip-git-repo-check', '--ephemeral',
    '-c', 'analytics.enabled=false', '--disable', 'plugins', '--disable', 'unbounded_connection_retries',
    '-c', `mcp_servers.${server}.required=true`,
    ...(options.approve ? ['-c', `mcp_servers.${server}.tools.${tool}.approval_mode="approve"`] : []),
    ...(urlOverride ? ['-c', `mcp_servers.${server}.url=${JSON.stringify(urlOverride)}`] : []),
    prompt,
  ];
}
