/**
 * `vscode.invoke`: one safe tool call through each `http` server of the team's
 * `.vscode/mcp.json`, as VS Code makes it — with code-server (`vscode.lm.invokeTool` in the lab's
 * extension, ../vscode-list/code-server.ts) when `codeServer` is set, else (`fallback`) with the
 * MCP SDK and exactly VS Code's URL and headers. A call passes when its result has no `isError`
 * and contains `expect`.
 *
 * Client matrix: one `invocation` cell per host the servers use (client `vscode`).
 */
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config.ts';
import { caFileInputs } from '../kit/live-http.ts';
import { shorten } from '../kit/matrix-notes.ts';
import { probeDeadline } from '../kit/mcp-session.ts';
import { cap, resultProblem, textOf } from '../kit/tool-result.ts';
import type { ClientMatrixCell, Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import { readProject, type VscodeProject } from '../vscode-list/project.ts';
import { capName, listToolNames, withSdkSession } from '../vscode-list/sdk-session.ts';
import { codeServerSetup, type CodeServerRun } from '../vscode-list/code-server-run.ts';
import { observeWithCodeServer, vscodeError } from '../vscode-list/code-server-observe.ts';
import { codeServerPlan, invokeSettings } from '../vscode-list/code-server-shared.ts';
import type { ResolvedServer } from '../vscode-list/mcp-json.ts';
import type { VscodeInvokeFacts, VscodeInvokeRunFacts } from './facts.ts';
import type { VscodeInvokeOptions } from './options.ts';

export type { VscodeInvokeFacts, VscodeInvokeRunFacts } from './facts.ts';

export const vscodeInvokeProbe: Probe<VscodeInvokeFacts, VscodeInvokeOptions> = {
  id: 'vscode.invoke',
  inputs: (config, options) => [{ file: path.resolve(config.rootDir, invokeSettings(config, options).file), format: 'jsonc', optional: true }, ...caFileInputs(config)],
  run: runVscodeInvoke,
};

async function runVscodeInvoke(context: ProbeContext<VscodeInvokeOptions>): Promise<ProbeOutcome<VscodeInvokeFacts>> {
  const settings = invokeSettings(context.config, context.options);
  const project = await readProject(context, settings, 'vscode.invoke');
  const { call } = settings;
  const facts: VscodeInvokeFacts = {
    path: 'fallback',
    mcpJson: project.show(project.mcpJsonPath),
    call: { server: call.server, tool: call.tool, arguments: call.arguments, ...(call.expect ? { expect: call.expect } : {}) },
    variables: project.variables.sources,
    runs: [],
    findings: project.findings.list,
    clientMatrix: [],
  };
  const transcript: TranscriptEntry[] = [];
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<VscodeInvokeFacts> => ({ status, summary, facts, transcript, target: [`${facts.mcpJson} (${facts.path})`] });
  if (project.stop) return finish(project.stop.status, project.stop.summary);

  const signal = probeDeadline(context.signal, settings.timeoutMs);
  const setup = codeServerSetup(settings.codeServer, context.config.rootDir);
  if (setup) {
    facts.path = 'code-server';
    const observed = await observeWithCodeServer(context, project, codeServerPlan(context, 'vscode.invoke', project, setup), signal, transcript);
    if (!observed.run) return finish('error', observed.error!);
    facts.vscodeVersion = observed.run.report.vscodeVersion;
    facts.runs = project.servers.map((server) => invokedInVscode(project, server, call, observed.run!));
  } else facts.runs = await Promise.all(project.servers.map((server) => invokeFallback(context, project, server, settings.call, signal, transcript)));
  for (const run of facts.runs) {
    if (run.outcome !== 'ok') project.findings.fail('call.failed', `${run.server}: ${run.tool}: ${run.problem}`, project.file.servers.find((s) => s.name === run.server)?.line);
  }
  facts.clientMatrix = invocationCells(context.config, facts);
  const passed = facts.runs.filter((r) => r.outcome === 'ok').map((r) => r.server);
  return finish(project.findings.status(), project.findings.summary(`VS Code (${facts.path}) called ${call.server}-${call.tool} through ${passed.join(', ')}`));
}

/** The call made by the probe itself with the entry's URL and headers; listed first, as VS Code knows a tool only from the listing. */
async function invokeFallback(
  context: ProbeContext,
  project: VscodeProject,
  server: ResolvedServer,
  call: VscodeInvokeOptions['call'],
  signal: AbortSignal,
  transcript: TranscriptEntry[],
): Promise<VscodeInvokeRunFacts> {
  const name = `${call.server}-${call.tool}`;
  const run: VscodeInvokeRunFacts = { server: server.name, ...(server.host ? { host: server.host } : {}), tool: name, listed: false, outcome: 'not-called' };
  const blocked = project.blocked.get(server.name);
  if (blocked) return { ...run, problem: blocked };
  const session = await withSdkSession(context, server, signal, async (sdk) => {
    run.listed = (await listToolNames(sdk)).includes(name);
    if (!run.listed) return;
    const result = (await sdk.watch(`tools/call ${name}`, sdk.client.callTool({ name, arguments: call.arguments }, undefined, { signal }))) as CallToolResult;
    run.isError = result.isError === true;
    run.result = cap(textOf(result));
    const problem = resultProblem(textOf(result), run.isError, call.expect);
    run.outcome = problem ? 'failed' : 'ok';
    if (problem) run.problem = problem;
  });
  transcript.push(...session.recorder.exchanges);
  if (session.error !== undefined) return { ...run, outcome: run.isError === undefined ? 'not-called' : 'failed', problem: session.error };
  if (!run.listed) return { ...run, problem: `the gateway does not list ${name} through ${server.name}; check x-mcp-servers and probes."vscode.invoke".call` };
  return run;
}

/** The call as the lab's extension made it with `vscode.lm.invokeTool` (VS Code names the tool with its own prefix). */
function invokedInVscode(project: VscodeProject, server: ResolvedServer, call: VscodeInvokeOptions['call'], run: CodeServerRun): VscodeInvokeRunFacts {
  const name = `${call.server}-${call.tool}`;
  const facts: VscodeInvokeRunFacts = { server: server.name, ...(server.host ? { host: server.host } : {}), tool: name, listed: false, outcome: 'not-called' };
  const blocked = project.blocked.get(server.name);
  if (blocked) return { ...facts, problem: blocked };
  const made = run.report.calls.find((c) => c.server === server.name);
  if (!made?.tool) {
    const listsAny = run.report.tools.some((t) => t.server === server.name);
    return { ...facts, problem: listsAny ? `VS Code lists no tool ending in ${name} from ${server.name}; check x-mcp-servers and probes."vscode.invoke".call` : vscodeError(run, server.name) };
  }
  Object.assign(facts, { tool: capName(made.tool), listed: true });
  if (made.error !== undefined) return { ...facts, outcome: 'failed', problem: `vscode.lm.invokeTool: ${made.error}` };
  const text = (made.content ?? []).join('\n');
  const problem = resultProblem(text, false, call.expect);
  return { ...facts, result: cap(text), outcome: problem ? 'failed' : 'ok', ...(problem ? { problem } : {}) };
}

/** One invocation cell per config host the runs used: pass when every call through it passed. */
export function invocationCells(config: Config, facts: Pick<VscodeInvokeFacts, 'runs' | 'path'>): ClientMatrixCell[] {
  const cells: ClientMatrixCell[] = [];
  for (const host of config.hosts) {
    const onHost = facts.runs.filter((r) => r.host === host.name);
    if (!onHost.length) continue;
    const bad = onHost.find((r) => r.outcome !== 'ok');
    const note = bad ? `${bad.server}: ${bad.tool}: ${bad.problem}` : `VS Code (${facts.path}) called ${onHost.map((r) => `${r.tool} via ${r.server}`).join(', ')}`;
    cells.push({ client: 'vscode', host: host.name, aspect: 'invocation', status: bad ? 'fail' : 'pass', note: shorten(note) });
  }
  return cells;
}
