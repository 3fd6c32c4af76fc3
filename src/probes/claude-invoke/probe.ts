/**
 * `claude.invoke`: the real Claude Code CLI calls a tool through the gateway. Per host the team's
 * `.mcp.json` has a server for, it runs
 *   claude -p "<prompt>" --output-format stream-json --verbose --mcp-config <project>/.mcp.json
 *     --strict-mcp-config --allowedTools mcp__<entry>__<server>-<tool> [--settings <file>]
 * in the project folder (stdin closed, killed on the probe's signal), and reads the events: the
 * init event's `mcp_servers[].status` and tools, the `tool_use` of that tool and its `tool_result`
 * — a pass when the result holds the configured `expect` text (like `codex.invoke`: LiteLLM 1.77.1
 * reports an upstream tool error with `isError: false`).
 *
 * - Claude Code calls a tool only when its model asks. On the lab the model is the scripted model
 *   server (src/lab/scripted-messages.ts, a test double for the LLM only), named by the settings
 *   file's ANTHROPIC_BASE_URL; everything on the MCP side is real. No key for a model → `skip`.
 * - `--allowedTools` allows exactly the one tool, for this run; `ENABLE_TOOL_SEARCH=false` offers
 *   the MCP tools to the model directly; `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1` stops outside
 *   lookups; HOME is a temporary folder (no login, settings or servers of the user's).
 * - The key, host names and CAs as for `claude.list` (its ./environment.ts); the reason a server
 *   failed comes from Claude Code's debug log (`--debug-file`), which its init event lacks.
 *
 * Client matrix, per host: `listing` (connected, the tool offered to the model) and `invocation`.
 * The transcript holds each command, its environment (names and sources, never values), exit
 * code, the events (the init event cut to its MCP part) and stderr — redacted.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { worst } from '../../model/status.ts';
import { claudeEnv, claudeExecutable, claudeHome, commandEntry, runClaude } from '../claude-list/claude-run.ts';
import { resolutionFor, type Resolution } from '../kit/host-resolution.ts';
import { fileVariables } from '../claude-list/environment.ts';
import type { FileServer } from '../claude-list/verdict.ts';
import { ClaudeListOptionsSchema } from '../claude-list/options.ts';
import { mcpJsonOf, readTeamFile } from '../claude-list/probe.ts';
import { displayPath } from '../kit/checks.ts';
import { invokePrompt } from '../kit/invoke-prompt.ts';
import { shorten } from '../kit/matrix-notes.ts';
import { readInputText } from '../kit/read-input.ts';
import { siblingOptions } from '../kit/sibling-options.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import { initForTranscript, parseEvents, readEvents } from './events.ts';
import type { ClaudeInvokeFacts, ClaudeInvokeRunFacts } from './facts.ts';
import { modelSetup } from './model.ts';
import type { ClaudeInvokeOptions } from './options.ts';
import { cellsOf, debugReason, judgeRun, type HostVerdict } from './verdict.ts';

export type { ClaudeInvokeFacts, ClaudeInvokeRunFacts } from './facts.ts';

/** The instruction in the prompt (the lab's scripted model reads it back; a real model follows it). */
export const claudeInvokePrompt = invokePrompt;

/** Own options, with what they leave open taken from `claude.list`'s. */
function settingsOf(config: Config, own: ClaudeInvokeOptions) {
  const list = siblingOptions(config, 'claude.list', ClaudeListOptionsSchema);
  return {
    ...own,
    project: own.project ?? list.project,
    env: own.env ?? list.env,
    resolve: own.resolve ?? list.resolve,
    claudeBin: own.claudeBin ?? list.claudeBin,
  };
}

export const claudeInvokeProbe: Probe<ClaudeInvokeFacts, ClaudeInvokeOptions> = {
  id: 'claude.invoke',
  inputs: (config, own) => {
    const { project, settings } = settingsOf(config, own);
    return [
      { file: mcpJsonOf(config, project), format: 'json', optional: true },
      ...(settings ? [{ file: path.resolve(config.rootDir, settings), format: 'json' as const, optional: true }] : []),
    ];
  },
  run: runClaudeInvoke,
};

async function runClaudeInvoke(context: ProbeContext<ClaudeInvokeOptions>): Promise<ProbeOutcome<ClaudeInvokeFacts>> {
  const { config, signal } = context;
  const options = settingsOf(config, context.options);
  const show = (file: string) => displayPath(config.rootDir, file);
  const projectDir = path.resolve(config.rootDir, options.project ?? '.');
  const mcpJson = mcpJsonOf(config, options.project);
  const settingsFile = options.settings ? path.resolve(config.rootDir, options.settings) : undefined;
  const transcript: TranscriptEntry[] = [];
  const { call } = options;
  const facts: ClaudeInvokeFacts = {
    project: show(projectDir),
    mcpJson: show(mcpJson),
    ...(settingsFile ? { settings: show(settingsFile) } : {}),
    model: {},
    call: { server: call.server, tool: call.tool, arguments: call.arguments, ...(call.expect ? { expect: call.expect } : {}) },
    resolution: 'dns',
    variables: [],
    runs: [],
    clientMatrix: [],
  };
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<ClaudeInvokeFacts> => ({
    status,
    summary,
    facts,
    transcript,
    target: [`claude -p --mcp-config ${facts.mcpJson} (in ${facts.project})`],
  });

  const team = await readTeamFile(config, mcpJson, signal);
  if (team.problem?.missing && options.project === undefined) return finish('skip', `no .mcp.json in ${facts.project}; set probes."claude.list".project to the folder of the team's .mcp.json`);
  if (team.problem) return finish('fail', `${facts.mcpJson}${team.problem.line ? `:${team.problem.line}` : ''}: ${team.problem.message}; claude.list shows more`);
  const hosts = options.hosts ?? config.hosts.filter((h) => team.servers.some((s) => s.host === h.name)).map((h) => h.name);
  if (!hosts.length) return finish('fail', `no server of ${facts.mcpJson} is on a configured host (${config.hosts.map((h) => h.name).join(', ')}); claude.list shows its servers`);

  const model = await modelSetup(settingsFile, facts.settings, signal);
  context.redactor.add(...model.secrets);
  facts.model = { ...(model.baseUrl ? { baseUrl: model.baseUrl } : {}), ...(model.key ? { key: model.key } : {}) };
  if (model.problem) return finish('fail', model.problem);
  if (!model.key) {
    const reason = 'no model for claude -p: no ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or apiKeyHelper in the environment or the settings (probes."claude.invoke".settings); Claude Code calls a tool only when a model asks';
    facts.clientMatrix = hosts.flatMap((host) => cellsOf(host, { status: 'skip', summary: reason, listing: { status: 'skip', note: 'no model configured for claude -p' }, invocation: { status: 'skip', note: 'no model configured for claude -p' } }, shorten));
    return finish('skip', reason);
  }

  const variables = fileVariables(team.variables, options.env, context, show);
  facts.variables = variables.sources;
  context.redactor.add(...Object.values(variables.values));
  const home = await claudeHome(undefined, []);
  try {
    const resolution = await resolutionFor(config, config.hosts.filter((h) => hosts.includes(h.name)), options.resolve, home.dir);
    facts.resolution = resolution.description;
    // The hosts at once, each claude in a HOME of its own (it writes its .claude.json as it runs);
    // what each found is added in host order, so the evidence reads the same from run to run.
    const done = await Promise.all(
      hosts.map(async (host) => {
        const entry = team.servers.find((s) => s.host === host);
        const into = { runs: [] as ClaudeInvokeRunFacts[], transcript: [] as TranscriptEntry[] };
        if (!entry) return { host, into, verdict: failed(`${facts.mcpJson} has no server for the ${host} host; add one (see claude.config)`) };
        const own = await claudeHome(undefined, []);
        try {
          const verdict = await invokeThrough({ context, options, host, entry, projectDir, mcpJson, settingsFile, homeDir: own.dir, resolution, variables: variables.values, unset: variables.unset, facts, into });
          return { host, into, verdict };
        } finally {
          await own.remove();
        }
      }),
    );
    const verdicts: HostVerdict[] = [];
    for (const { host, into, verdict } of done) {
      facts.runs.push(...into.runs);
      transcript.push(...into.transcript);
      if (verdict.status === 'error') return finish('error', verdict.summary);
      verdicts.push(verdict);
      facts.clientMatrix.push(...cellsOf(host, verdict, shorten));
    }
    return finish(worst(verdicts.map((v) => v.status)) ?? 'pass', verdicts.map((v) => v.summary).join('; '));
  } finally {
    await home.remove();
  }
}

const verdictOf = (status: ProbeStatus, summary: string): HostVerdict => ({ status, summary, listing: { status, note: summary }, invocation: { status, note: summary } });
const failed = (summary: string) => verdictOf('fail', summary);

/** One `claude -p` through one host's server: its facts and transcript entry added to `into`, its verdict returned. */
async function invokeThrough(input: {
  context: ProbeContext;
  options: ClaudeInvokeOptions & { claudeBin?: string | undefined };
  host: string;
  entry: FileServer;
  projectDir: string;
  mcpJson: string;
  settingsFile: string | undefined;
  homeDir: string;
  resolution: Resolution;
  variables: Record<string, string>;
  unset: string[];
  facts: ClaudeInvokeFacts;
  /** Where this run's facts and transcript entry go. */
  into: { runs: ClaudeInvokeRunFacts[]; transcript: TranscriptEntry[] };
}): Promise<HostVerdict> {
  const { context, options, entry, facts, resolution } = input;
  const tool = `mcp__${entry.name.replace(/[^A-Za-z0-9_-]/g, '_')}__${options.call.server}-${options.call.tool}`;
  const run: ClaudeInvokeRunFacts = { host: input.host, server: entry.name, ...(entry.url ? { url: entry.url } : {}), tool };
  input.into.runs.push(run);
  const debugFile = path.join(input.homeDir, `debug-${input.host}.txt`);
  const args = [
    '-p', options.prompt ?? claudeInvokePrompt(entry.name, `${options.call.server}-${options.call.tool}`, options.call.arguments),
    '--output-format', 'stream-json', '--verbose', '--no-session-persistence',
    '--mcp-config', input.mcpJson, '--strict-mcp-config', '--allowedTools', tool,
    ...(input.settingsFile ? ['--settings', input.settingsFile] : []),
    '--debug-file', debugFile,
  ];
  const result = await runClaude({
    executable: claudeExecutable(options.claudeBin, context.config.rootDir),
    ...(resolution.wrapper ? { wrapper: resolution.wrapper } : {}),
    args,
    env: claudeEnv(input.homeDir, { ...input.variables, ...resolution.env, ENABLE_TOOL_SEARCH: 'false' }),
    cwd: input.projectDir,
    signal: AbortSignal.any([context.signal, AbortSignal.timeout(options.timeoutMs)]),
    timeoutMs: options.timeoutMs,
  });
  if (result.exitCode !== undefined) run.exitCode = result.exitCode;
  const events = parseEvents(result.stdout);
  const shownArgs = result.command.map((arg) => (arg === input.mcpJson ? facts.mcpJson : arg === input.settingsFile ? facts.settings! : arg === debugFile ? '<temporary HOME>/debug.txt' : arg));
  input.into.transcript.push(commandEntry({ ...result, command: shownArgs }, {
    cwd: facts.project,
    env: { HOME: '(temporary)', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ENABLE_TOOL_SEARCH: 'false', ...resolution.shownEnv },
    resolution: resolution.description,
  }, { host: input.host, variables: facts.variables, events: events.map((e) => (e.type === 'system' && e.subtype === 'init' ? initForTranscript(e) : e)) }));

  if (result.startError) return verdictOf('error', `cannot run claude (${result.startError}); install @anthropic-ai/claude-code or set probes."claude.list".claudeBin`);
  if (result.canceled || result.timedOut) return verdictOf('error', `claude -p did not finish within ${options.timeoutMs} ms (killed); see the transcript for the events so far`);

  const seen = readEvents(events, run.server, tool);
  if (seen.serverStatus) run.serverStatus = seen.serverStatus;
  if (seen.toolsOffered) run.toolsOffered = seen.toolsOffered;
  if (seen.serverStatus !== 'connected') {
    const { text } = await readInputText(debugFile);
    const reason = text ? debugReason(text, run.server) : undefined;
    if (reason) run.serverError = reason;
  }
  const verdict = judgeRun(run, seen, options.call.expect, result.exitCode);
  if (verdict.status !== 'pass' && input.unset.length) verdict.summary += ` (not set: ${input.unset.map((v) => `\${${v}}`).join(', ')})`;
  if (verdict.status !== 'pass') run.problem = verdict.summary;
  return verdict;
}
