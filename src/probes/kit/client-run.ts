/**
 * Runs a client's CLI (codex, claude) the way every client probe needs: its own environment only,
 * stdin closed (a CLI reading a prompt from a non-terminal stdin must see EOF at once), cancelled
 * by the probe's signal, killed at its timeout, never throwing for what the command does.
 */
import { execa } from 'execa';

export interface ClientRun {
  /** The command as shown in evidence (`codex …`, `claude …`). */
  command: string[];
  exitCode?: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  canceled: boolean;
  timedOut: boolean;
  /** Why it did not start (e.g. ENOENT). */
  startError?: string;
}

export async function runClientCommand(options: {
  /** The name shown in evidence. */
  shown: string;
  file: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** The arguments shown (default: all of `args`; a wrapper's own are left out). */
  shownArgs?: string[];
}): Promise<ClientRun> {
  const started = performance.now();
  const result = await execa(options.file, options.args, {
    env: options.env,
    extendEnv: false,
    stdin: 'ignore',
    cwd: options.cwd,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2_000,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 16 * 1024 * 1024,
  });
  const startError =
    result.failed && result.exitCode === undefined && !result.isCanceled && !result.timedOut
      ? result.cause instanceof Error
        ? ((result.cause as NodeJS.ErrnoException).code ?? result.cause.message)
        : result.shortMessage
      : undefined;
  return {
    command: [options.shown, ...(options.shownArgs ?? options.args)],
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    durationMs: Math.round(performance.now() - started),
    canceled: result.isCanceled,
    timedOut: result.timedOut,
    ...(startError ? { startError } : {}),
  };
}
