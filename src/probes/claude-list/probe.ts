/**
 * `claude.list`: what the real Claude Code CLI makes of the team's `.mcp.json`. Runs
 * `claude mcp list` in the project folder, which health-checks every server: it connects, speaks
 * MCP and reports `✔ Connected` or `✘ Failed to connect — <reason>` (it always exits 0, so the
 * text is the verdict; ./listing.ts reads it).
 *
 * - HOME is a temporary folder whose `.claude.json` trusts the project and approves its servers:
 *   without that Claude Code shows them "⏸ Pending approval" and connects to none; the user's own
 *   Claude Code setup (servers, settings, login) stays out of the run.
 * - The `${VAR}`s of the file (the key) come from the environment or the secrets files, or from
 *   the variable `env` maps them to; `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1` stops its
 *   outside lookups; host names with `resolveTo` are reached as ../kit/host-resolution.ts says.
 *
 * Client matrix: one `listing` cell per host the file's servers use (client `claude`). The
 * transcript is the command, its environment (names and sources, never values), exit code,
 * stdout and stderr — redacted, the file's variables among the secrets.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { positionAt } from '../../formats/positions.ts';
import { locate, scanJson } from '../../formats/json.ts';
import { jsonFindingError } from '../../formats/json-errors.ts';
import { matchHost, tryUrl } from '../kit/client-shared.ts';
import { displayPath } from '../kit/checks.ts';
import { Findings } from '../kit/findings.ts';
import { readInputText } from '../kit/read-input.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus } from '../types.ts';
import { claudeEnv, claudeExecutable, claudeHome, commandEntry, runClaude } from './claude-run.ts';
import { resolutionFor } from '../kit/host-resolution.ts';
import { fileVariables, referencedVariables } from './environment.ts';
import type { ClaudeListFacts } from './facts.ts';
import { parseListing } from './listing.ts';
import type { ClaudeListOptions } from './options.ts';
import { judgeListing, type FileServer } from './verdict.ts';

export type { ClaudeListFacts, ClaudeListedServer } from './facts.ts';

/** The team's `.mcp.json` in the configured project folder (default: the workspace's). */
export const mcpJsonOf = (config: Config, project: string | undefined) => path.join(path.resolve(config.rootDir, project ?? '.'), '.mcp.json');

export const claudeListProbe: Probe<ClaudeListFacts, ClaudeListOptions> = {
  id: 'claude.list',
  inputs: (config, options) => [{ file: mcpJsonOf(config, options.project), format: 'json', optional: true }],
  run: runClaudeList,
};

/** The team's file, read: its servers with hosts and lines, the variables it reads, or why it cannot be. */
export interface TeamFile {
  text?: string;
  value?: unknown;
  servers: FileServer[];
  variables: { name: string; hasDefault: boolean }[];
  /** Why the file is missing or not JSON. */
  problem?: { message: string; line?: number; column?: number; missing?: boolean };
}

export async function readTeamFile(config: Config, file: string, signal?: AbortSignal): Promise<TeamFile> {
  const { text, error } = await readInputText(file, signal);
  if (text === undefined) return { servers: [], variables: [], problem: { message: error, missing: true } };
  const scan = scanJson(text);
  if (!scan.root || scan.error) {
    const problem = scan.error ? jsonFindingError(scan.error, 'Claude Code reads .mcp.json as strict JSON') : { offset: 0, message: 'the file holds no JSON value' };
    const { line, column } = positionAt(text, problem.offset);
    return { text, servers: [], variables: [], problem: { message: problem.message, line, column } };
  }
  const root = scan.root;
  const entries = (scan.value as { mcpServers?: unknown }).mcpServers;
  const servers = entries && typeof entries === 'object' && !Array.isArray(entries)
    ? Object.entries(entries as Record<string, { url?: unknown }>).map(([name, entry]) => {
        const url = typeof entry?.url === 'string' ? entry.url : undefined;
        const parsed = url ? tryUrl(url) : undefined;
        const host = parsed ? matchHost(parsed, config.hosts, 'ignore').host?.name : undefined;
        return { name, ...(url ? { url } : {}), ...(host ? { host } : {}), line: positionAt(text, locate(root, ['mcpServers', name]).offset).line };
      })
    : [];
  return { text, value: scan.value, servers, variables: referencedVariables(scan.value) };
}

async function runClaudeList(context: ProbeContext<ClaudeListOptions>): Promise<ProbeOutcome<ClaudeListFacts>> {
  const { config, signal, options } = context;
  const show = (file: string) => displayPath(config.rootDir, file);
  const projectDir = path.resolve(config.rootDir, options.project ?? '.');
  const mcpJson = mcpJsonOf(config, options.project);
  const findings = new Findings(show(mcpJson));
  const facts: ClaudeListFacts = {
    project: show(projectDir),
    mcpJson: show(mcpJson),
    variables: [],
    resolution: 'dns',
    exitCode: undefined,
    servers: [],
    diagnostics: [],
    findings: findings.list,
    clientMatrix: [],
  };
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<ClaudeListFacts> => {
    const target = [`claude mcp list (in ${facts.project})`];
    return { status, summary, facts, transcript, target };
  };
  const transcript: ProbeOutcome['transcript'] = [];

  const team = await readTeamFile(config, mcpJson, signal);
  if (team.problem?.missing) {
    const reason = `no .mcp.json in ${facts.project} (${team.problem.message}); set probes."claude.list".project to the folder of the team's .mcp.json`;
    if (options.project === undefined) return finish('skip', reason);
    findings.fail('mcp-json.missing', reason);
    return finish('fail', findings.summary(''));
  }
  if (team.problem) findings.fail('mcp-json.syntax', `${team.problem.message} (Claude Code loads none of its servers)`, { line: team.problem.line, column: team.problem.column });

  const variables = fileVariables(team.variables, options.env, context, show);
  facts.variables = variables.sources;
  context.redactor.add(...Object.values(variables.values));
  for (const name of variables.unset) {
    const offset = team.text?.indexOf(`\${${name}`) ?? -1;
    findings.fail('variable.unset',
      `\${${name}} is not set in the environment or the secrets files: Claude Code would send the header without the key. ` +
        `Set ${name}, or map it with probes."claude.list".env (e.g. ${name}: ${config.gateway.keyEnvVar})`,
      offset >= 0 && team.text ? positionAt(team.text, offset).line : undefined);
  }

  const usedHosts = config.hosts.filter((h) => team.servers.some((s) => s.host === h.name));
  const home = await claudeHome(projectDir, team.servers.map((s) => s.name));
  try {
    const resolution = await resolutionFor(config, usedHosts, options.resolve, home.dir);
    facts.resolution = resolution.description;
    const run = await runClaude({
      executable: claudeExecutable(options.claudeBin, config.rootDir),
      ...(resolution.wrapper ? { wrapper: resolution.wrapper } : {}),
      args: ['mcp', 'list'],
      env: claudeEnv(home.dir, { ...variables.values, ...resolution.env }),
      cwd: projectDir,
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
      timeoutMs: options.timeoutMs,
    });
    if (run.exitCode !== undefined) facts.exitCode = run.exitCode;
    const shownEnv = {
      HOME: `(temporary: its .claude.json trusts ${facts.project}; it and ~/.claude/settings.json approve ${team.servers.map((s) => s.name).join(', ') || 'no server'})`,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      ...resolution.shownEnv,
    };
    transcript.push(commandEntry(run, { cwd: facts.project, env: shownEnv, resolution: resolution.description }, { variables: variables.sources, stdout: run.stdout }));

    if (run.startError) return finish('error', `cannot run claude (${run.startError}); install @anthropic-ai/claude-code or set probes."claude.list".claudeBin`);
    if (run.canceled || run.timedOut) return finish('error', `claude mcp list did not finish within ${options.timeoutMs} ms (killed)`);
    if (run.exitCode !== 0) {
      findings.fail('claude.failed', `claude mcp list exited ${run.exitCode}: ${run.stderr.trim().split('\n')[0] || 'no reason printed'}`);
      return finish('fail', findings.summary(''));
    }

    const listing = parseListing(run.stdout);
    facts.diagnostics = listing.diagnostics;
    const judged = judgeListing({ config, listing, fileServers: team.servers, variables: team.variables.map((v) => v.name), unreachable: resolution.unreachable, findings });
    facts.servers = judged.servers;
    facts.clientMatrix = judged.cells;
    if (!listing.servers.length && !findings.list.length) findings.fail('servers.none', `claude mcp list shows no server: ${facts.mcpJson} has no mcpServers`);
    const shown = judged.servers.map((s) => `${s.name} ${s.state === 'connected' ? `✔ ${s.status}` : 'not scored'}${s.host ? ` (${s.host})` : ''}`);
    const pass = `claude mcp list: ${shown.join(', ')}`;
    return finish(findings.status(), findings.summary(pass));
  } finally {
    await home.remove();
  }
}
