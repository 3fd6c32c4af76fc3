/**
 * What a code-server run says per server, for `vscode.list` and `vscode.invoke`: the tools VS Code
 * lists from it (`vscode.lm.tools`, by the tool's source), and — for a server without tools —
 * VS Code's own words: the last `Connection state: Error …` line of its MCP output channel, else
 * its code lenses. The transcript entry shows the command (no secrets), the prompts and dialogs
 * answered, the output channels and the extension's report (and which probes the run served,
 * when vscode.list and vscode.invoke shared it: ./code-server-shared.ts).
 */
import type { ProbeContext, TranscriptEntry } from '../types.ts';
import { CodeServerError, type CodeServerRun } from './code-server-run.ts';
import { codeServerRunFor, type CodeServerPlan } from './code-server-shared.ts';
import type { VscodeListedServer } from './facts.ts';
import type { VscodeProject } from './project.ts';
import { capName, TOOLS_CAP } from './sdk-session.ts';

export interface Observed {
  run?: CodeServerRun;
  /** Why code-server gave no report (its log's path included): the probe errors. */
  error?: string;
}

export async function observeWithCodeServer(
  context: ProbeContext,
  project: VscodeProject,
  plan: CodeServerPlan,
  signal: AbortSignal,
  transcript: TranscriptEntry[],
): Promise<Observed> {
  try {
    const run = await codeServerRunFor(context, project, plan, signal);
    transcript.push({
      // One run observed for both VS Code probes: the same entry in both transcripts.
      ...(plan.sharedBy.length > 1 ? { sharedBy: plan.sharedBy } : {}),
      at: new Date().toISOString(),
      kind: 'command',
      command: run.command,
      env: run.shownEnv,
      resolution: run.resolution,
      durationMs: run.durationMs,
      prompts: run.prompts,
      outputs: run.outputs.map(unwrap),
      report: run.report,
    });
    return { run };
  } catch (error) {
    if (error instanceof CodeServerError) return { error: `code-server did not report: ${error.message}` };
    throw error;
  }
}

/** The output view wraps long lines: one entry per logged line again. */
const unwrap = (output: string): string[] =>
  output.replace(/\u00a0/g, ' ').split(/\n(?=\d{4}-\d\d-\d\d )/).map((line) => line.replace(/\n/g, '')); // the editor draws spaces as no-break spaces

/** The servers as VS Code showed them in the run. */
export function listedServers(project: VscodeProject, run: CodeServerRun): VscodeListedServer[] {
  return project.servers.map((server): VscodeListedServer => {
    const base = { name: server.name, ...(server.url ? { url: server.url } : {}), ...(server.host ? { host: server.host } : {}) };
    const blocked = project.blocked.get(server.name);
    if (blocked) return { ...base, state: 'not-started', tools: [], error: blocked };
    const tools = run.report.tools.filter((t) => t.server === server.name).map((t) => capName(t.name)).sort().slice(0, TOOLS_CAP);
    if (tools.length) return { ...base, state: 'listed', tools };
    return { ...base, state: 'failed', tools: [], error: vscodeError(run, server.name) };
  });
}

/** VS Code's words for a server that has no tools. */
export function vscodeError(run: CodeServerRun, server: string): string {
  const output = run.outputs.map(unwrap).find((lines) => lines.some((l) => l.endsWith(`Starting server ${server}`)));
  const error = output?.findLast((l) => /Connection state: Error/.test(l));
  if (error) return `VS Code: ${error.replace(/^.*?Connection state: /, '')}`;
  const lenses = run.report.servers.find((s) => s.name === server)?.lenses;
  return lenses?.length ? `VS Code shows ${lenses.join(' · ')} and lists no tool` : 'VS Code lists no tool from it';
}
