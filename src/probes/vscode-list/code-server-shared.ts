/**
 * One code-server run for `vscode.list` and `vscode.invoke` when a run has both and they agree on
 * the workspace (`.vscode/mcp.json`, its inputs, the servers) and on the code-server: VS Code opens
 * once, lists, then makes `vscode.invoke`'s calls, and each probe reads its part of the one report.
 * VS Code is the costliest client to observe (a run is ~15 s of CPU); two runs side by side would
 * double that, so the lab could only afford real VS Code for the calls and listed through the
 * fallback.
 *
 * Both probes work out the same request on their own (codeServerRequest), so whichever asks first
 * starts the run and the other joins it (the run's scope, ../run-scope.ts, keys it by the request).
 * Each probe still stops waiting at its own deadline; the run is stopped when every probe waiting
 * on it has stopped. A probe run alone (`--only vscode.list`) has nothing to share and makes its
 * own request: `vscode.list` then makes no call.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { siblingOptions } from '../kit/sibling-options.ts';
import type { ProbeContext } from '../types.ts';
import { VscodeInvokeOptionsSchema, type VscodeInvokeOptions } from '../vscode-invoke/options.ts';
import { CodeServerError, codeServerSetup, runCodeServer, type CodeServerRequest, type CodeServerRun } from './code-server-run.ts';
import { VscodeListOptionsSchema, type VscodeListOptions } from './options.ts';
import type { VscodeProject } from './project.ts';

/** `vscode.invoke`'s options, with what they leave open taken from `vscode.list`'s. */
export function invokeSettings(config: Config, own: VscodeInvokeOptions) {
  const list = siblingOptions(config, 'vscode.list', VscodeListOptionsSchema);
  return { ...own, file: own.file ?? list.file, inputs: own.inputs ?? list.inputs, servers: own.servers ?? list.servers, codeServer: own.codeServer ?? list.codeServer };
}

/** The calls `vscode.invoke` asks the extension for: its one call through each server VS Code would start. */
export function codeServerCalls(project: VscodeProject, call: VscodeInvokeOptions['call']): CodeServerRequest['calls'] {
  const tool = `${call.server}-${call.tool}`;
  return project.servers.filter((s) => !project.blocked.has(s.name)).map((s) => ({ server: s.name, tool, arguments: call.arguments }));
}

/** What code-server is asked for, and by which probes of the run (two when the run is shared). */
export interface CodeServerPlan {
  request: CodeServerRequest;
  sharedBy: string[];
}

/**
 * The request `probeId` makes: its own, or — when the run has both probes and they agree — the
 * pair's: `vscode.invoke`'s calls, and the longer of the two timeouts.
 */
export function codeServerPlan(context: ProbeContext, probeId: 'vscode.list' | 'vscode.invoke', project: VscodeProject, setup: { bin: string; chromium: string }): CodeServerPlan {
  const { config } = context;
  // Its own options as parsed for it; the other probe's as that probe reads them.
  const list = probeId === 'vscode.list' ? (context.options as VscodeListOptions) : siblingOptions(config, 'vscode.list', VscodeListOptionsSchema);
  const invoke = invokeSettings(config, probeId === 'vscode.invoke' ? (context.options as VscodeInvokeOptions) : siblingOptions(config, 'vscode.invoke', VscodeInvokeOptionsSchema));
  const ids = context.run?.probeIds;
  if (ids?.has('vscode.list') && ids.has('vscode.invoke') && agree(config, list, invoke)) {
    return { request: { ...setup, calls: codeServerCalls(project, invoke.call), timeoutMs: Math.max(list.timeoutMs, invoke.timeoutMs) }, sharedBy: ['vscode.list', 'vscode.invoke'] };
  }
  const own = probeId === 'vscode.invoke' ? { calls: codeServerCalls(project, invoke.call), timeoutMs: invoke.timeoutMs } : { calls: [], timeoutMs: list.timeoutMs };
  return { request: { ...setup, ...own }, sharedBy: [probeId] };
}

/** The two probes open the same workspace the same way with the same code-server. */
function agree(config: Config, list: VscodeListOptions, invoke: ReturnType<typeof invokeSettings>): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const setup = (option: VscodeListOptions['codeServer']) => codeServerSetup(option, config.rootDir);
  return (
    setup(list.codeServer) !== undefined &&
    same(setup(list.codeServer), setup(invoke.codeServer)) &&
    path.resolve(config.rootDir, list.file) === path.resolve(config.rootDir, invoke.file) &&
    same(list.inputs, invoke.inputs) &&
    same(list.servers, invoke.servers)
  );
}

interface SharedRun {
  run: Promise<CodeServerRun>;
  controller: AbortController;
  waiting: number;
}

/**
 * The plan's run: started by the first probe that asks for it in this run, joined by the other.
 * Rejects with a CodeServerError when `signal` (this probe's deadline) ends the wait first.
 */
export async function codeServerRunFor(context: ProbeContext, project: VscodeProject, plan: CodeServerPlan, signal: AbortSignal): Promise<CodeServerRun> {
  if (!context.run || plan.sharedBy.length < 2) return runCodeServer(context, project, plan.request, signal);
  const key = JSON.stringify({ request: plan.request, workspace: project.workspaceDir, mcpJson: project.mcpJsonPath, inputs: project.variables.sources });
  const shared = context.run.once(`code-server ${key}`, (): SharedRun => {
    const controller = new AbortController();
    return { run: runCodeServer(context, project, plan.request, controller.signal), controller, waiting: 0 };
  });
  shared.waiting++;
  let stopWaiting: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    stopWaiting = () => {
      if (--shared.waiting === 0) shared.controller.abort(signal.reason);
      reject(new CodeServerError(`stopped waiting: ${signal.reason instanceof Error ? signal.reason.message : String(signal.reason)}`));
    };
    if (signal.aborted) stopWaiting();
    else signal.addEventListener('abort', stopWaiting, { once: true });
  });
  stopped.catch(() => {});
  try {
    return await Promise.race([shared.run, stopped]);
  } finally {
    if (stopWaiting) signal.removeEventListener('abort', stopWaiting);
  }
}
