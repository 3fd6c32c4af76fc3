/**
 * `vscode.list`: what VS Code makes of the team's `.vscode/mcp.json` — does it connect to each
 * `http` server through the gateway and discover its tools?
 *
 * Two paths, recorded as `facts.path`:
 * - `code-server` (with `codeServer` set): real VS Code (code-server) opens the workspace in
 *   headless Chromium, the inputs are typed at its prompts, and the lab's extension reports the
 *   tools VS Code discovered (`vscode.lm.tools`) and its errors; see ./code-server-run.ts;
 * - `fallback`: the probe connects itself with the MCP SDK to exactly the URLs and with exactly
 *   the headers VS Code would use (./sdk-session.ts).
 *
 * Client matrix: one `listing` cell per host the servers use (client `vscode`), citing the
 * transcript: the exchanges (fallback) or code-server's run and the extension's report.
 */
import path from 'node:path';
import { caFileInputs } from '../kit/live-http.ts';
import { probeDeadline } from '../kit/mcp-session.ts';
import { shorten } from '../kit/matrix-notes.ts';
import type { ClientMatrixCell, Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import type { VscodeListedServer, VscodeListFacts } from './facts.ts';
import type { VscodeListOptions } from './options.ts';
import { readProject, type VscodeProject } from './project.ts';
import { listToolNames, withSdkSession } from './sdk-session.ts';
import { codeServerSetup, CODE_SERVER_VERSION } from './code-server-run.ts';
import { listedServers, observeWithCodeServer } from './code-server-observe.ts';
import { codeServerPlan } from './code-server-shared.ts';

export type { VscodeListFacts, VscodeListedServer } from './facts.ts';

export const vscodeListProbe: Probe<VscodeListFacts, VscodeListOptions> = {
  id: 'vscode.list',
  inputs: (config, options) => [{ file: path.resolve(config.rootDir, options.file), format: 'jsonc', optional: true }, ...caFileInputs(config)],
  run: runVscodeList,
};

async function runVscodeList(context: ProbeContext<VscodeListOptions>): Promise<ProbeOutcome<VscodeListFacts>> {
  const { options } = context;
  const project = await readProject(context, options, 'vscode.list');
  const facts: VscodeListFacts = {
    path: 'fallback',
    mcpJson: project.show(project.mcpJsonPath),
    variables: project.variables.sources,
    servers: [],
    findings: project.findings.list,
    clientMatrix: [],
  };
  const transcript: TranscriptEntry[] = [];
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<VscodeListFacts> => ({
    status,
    summary,
    facts,
    transcript,
    target: [`${facts.mcpJson} (${facts.path === 'fallback' ? 'fallback: MCP SDK' : `code-server ${CODE_SERVER_VERSION}`})`],
  });
  if (project.stop) return finish(project.stop.status, project.stop.summary);

  const signal = probeDeadline(context.signal, options.timeoutMs);
  const setup = codeServerSetup(options.codeServer, context.config.rootDir);
  if (setup) {
    facts.path = 'code-server';
    const observed = await observeWithCodeServer(context, project, codeServerPlan(context, 'vscode.list', project, setup), signal, transcript);
    if (!observed.run) return finish('error', observed.error!);
    facts.vscodeVersion = observed.run.report.vscodeVersion;
    facts.servers = listedServers(project, observed.run);
  } else facts.servers = await listFallback(context, project, signal, transcript);
  facts.clientMatrix = judge(context, project, facts.servers, facts.path);
  const listed = facts.servers.filter((s) => s.state === 'listed').map((s) => `${s.name} ${s.tools.length} tool${s.tools.length === 1 ? '' : 's'}`);
  return finish(project.findings.status(), project.findings.summary(`VS Code (${facts.path}) discovered: ${listed.join(', ')}`));
}

/** Each server listed by the probe itself, with VS Code's URL and headers. */
async function listFallback(context: ProbeContext, project: VscodeProject, signal: AbortSignal, transcript: TranscriptEntry[]): Promise<VscodeListedServer[]> {
  return Promise.all(
    project.servers.map(async (server): Promise<VscodeListedServer> => {
      const base = { name: server.name, ...(server.url ? { url: server.url } : {}), ...(server.host ? { host: server.host } : {}) };
      const blocked = project.blocked.get(server.name);
      if (blocked) return { ...base, state: 'not-started', tools: [], error: blocked };
      const listing = await withSdkSession(context, server, signal, listToolNames);
      transcript.push(...listing.recorder.exchanges);
      return listing.error !== undefined ? { ...base, state: 'failed', tools: [], error: listing.error } : { ...base, state: 'listed', tools: listing.value ?? [] };
    }),
  );
}

/** A finding per server without tools; one listing cell per config host the servers use. */
function judge(context: ProbeContext, project: VscodeProject, servers: VscodeListedServer[], via: VscodeListFacts['path']): ClientMatrixCell[] {
  for (const server of servers) {
    const line = project.file.servers.find((s) => s.name === server.name)?.line;
    if (server.state === 'failed') project.findings.fail('server.failed', `${server.name}: VS Code could not list its tools: ${server.error}`, line);
    else if (server.state === 'listed' && !server.tools.length) project.findings.fail('server.no-tools', `${server.name}: connected, but the gateway lists no tool; check x-mcp-servers and the MCP servers behind LiteLLM`, line);
  }
  const cells: ClientMatrixCell[] = [];
  for (const host of context.config.hosts) {
    const onHost = servers.filter((s) => s.host === host.name);
    if (!onHost.length) continue;
    const cell = (status: ProbeStatus, note: string): ClientMatrixCell => ({ client: 'vscode', host: host.name, aspect: 'listing', status, note: shorten(note) });
    const bad = onHost.find((s) => s.state !== 'listed' || !s.tools.length);
    cells.push(
      bad
        ? cell('fail', `${bad.name}: ${bad.error ?? 'no tools'}`)
        : cell('pass', `VS Code (${via}) discovered ${onHost.map((s) => `${s.name}: ${s.tools.length} tools`).join(', ')}`),
    );
  }
  return cells;
}
