/**
 * Running the real Claude Code CLI for `claude.list` and `claude.invoke`: where the binary is, a
 * temporary HOME that trusts the project folder (so the team's `.mcp.json` servers are approved,
 * as after a member accepts the trust dialog once, and nothing of the user's own Claude Code
 * setup leaks in), and one run with stdin closed, a deadline and the probe's signal.
 */
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { now } from '../kit/checks.ts';
import { runClientCommand, type ClientRun } from '../kit/client-run.ts';
import type { TranscriptEntry } from '../types.ts';

/** The claude executable: the configured one, the npm package's native binary, else `claude` on PATH. */
export function claudeExecutable(claudeBin: string | undefined, rootDir: string): string {
  if (claudeBin) return claudeBin.includes('/') ? path.resolve(rootDir, claudeBin) : claudeBin;
  try {
    const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('@anthropic-ai/claude-code/package.json')), 'bin', 'claude.exe');
    if (existsSync(bin)) return bin;
  } catch {
    // not installed with Proofbook: the user's own
  }
  return 'claude';
}

export interface ClaudeHome {
  dir: string;
  remove(): Promise<void>;
}

/**
 * A fresh HOME whose `.claude.json` trusts `project` and approves these `.mcp.json` servers
 * (`claude mcp list` leaves unapproved ones "⏸ Pending approval" and never connects to them).
 * The approval is also in the user settings (`~/.claude/settings.json` `enabledMcpjsonServers`):
 * inside a git checkout Claude Code 2.1 does not read it from `.claude.json`'s project entry
 * (checked: the repo's own lab folder stayed pending with only that).
 */
export async function claudeHome(project: string | undefined, servers: string[]): Promise<ClaudeHome> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-claude-home-'));
  const projects = project ? { [realpathSync(project)]: { hasTrustDialogAccepted: true, enabledMcpjsonServers: servers } } : {};
  await writeFile(path.join(dir, '.claude.json'), `${JSON.stringify({ projects }, null, 2)}\n`, { mode: 0o600 });
  await mkdir(path.join(dir, '.claude'));
  await writeFile(path.join(dir, '.claude', 'settings.json'), `${JSON.stringify({ enabledMcpjsonServers: servers }, null, 2)}\n`, { mode: 0o600 });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment Claude Code runs with: ours, its HOME the temporary one, no outside lookups, plus `extra`. */
export function claudeEnv(home: string, extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ...extra };
  delete env.CLAUDE_CONFIG_DIR; // it would move .claude.json out of the temporary HOME
  return env;
}

/** A claude run as the evidence keeps it. */
export type ClaudeRun = ClientRun;

export async function runClaude(options: {
  executable: string;
  /** Run through this (e.g. `unshare … sh -c …`), the executable and args appended. */
  wrapper?: string[];
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  signal: AbortSignal;
  timeoutMs: number;
}): Promise<ClaudeRun> {
  const [file, ...prefix] = [...(options.wrapper ?? []), options.executable];
  return runClientCommand({ ...options, shown: 'claude', file: file!, args: [...prefix, ...options.args], shownArgs: options.args });
}

/** Non-blank lines of stderr. */
export const stderrLines = (stderr: string): string[] => stderr.split('\n').map((l) => l.trimEnd()).filter(Boolean);

/** A run as the transcript keeps it: command, where, environment (names and sources, never values), result. */
export function commandEntry(run: ClaudeRun, where: { cwd: string; env: Record<string, string>; resolution: string }, output: Record<string, unknown>): TranscriptEntry {
  return {
    at: now(),
    kind: 'command',
    command: run.command,
    cwd: where.cwd,
    env: where.env,
    resolution: where.resolution,
    exitCode: run.exitCode ?? null,
    durationMs: run.durationMs,
    ...output,
    stderr: stderrLines(run.stderr),
    ...(run.startError ? { startError: run.startError } : {}),
  };
}
