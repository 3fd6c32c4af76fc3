/**
 * What `vscode.list` and `vscode.invoke` do first, alike: read the team's `.vscode/mcp.json` as
 * VS Code does, pick its `http` servers, fill their variables (the values go to the run's
 * redactor), and say — as findings at the file's lines — what VS Code could not fill. A server
 * whose prompt cannot be answered (an input undefined, unmapped or unset) is not started, as
 * VS Code would not start it either.
 */
import path from 'node:path';
import { positionAt } from '../../formats/positions.ts';
import { displayPath } from '../kit/checks.ts';
import { Findings } from '../kit/findings.ts';
import type { ProbeContext, ProbeStatus } from '../types.ts';
import { isHttpServer, readMcpJson, resolveServer, substitution, type McpJsonFile, type ResolvedServer, type Substitution } from './mcp-json.ts';
import type { VscodeListOptions } from './options.ts';

export type VscodeProjectOptions = Pick<VscodeListOptions, 'file' | 'inputs' | 'servers'>;

export interface VscodeProject {
  show: (file: string) => string;
  mcpJsonPath: string;
  /** The workspace folder VS Code opens (the parent of `.vscode/`). */
  workspaceDir: string;
  file: McpJsonFile;
  findings: Findings;
  variables: Substitution;
  /** The servers to use, variables filled. */
  servers: ResolvedServer[];
  /** Server name → why VS Code would not start it. */
  blocked: Map<string, string>;
  /** When set, nothing can be listed: the outcome to return. */
  stop?: { status: ProbeStatus; summary: string };
}

export async function readProject(context: ProbeContext, options: VscodeProjectOptions, probeId: string): Promise<VscodeProject> {
  const { config } = context;
  const show = (file: string) => displayPath(config.rootDir, file);
  const mcpJsonPath = path.resolve(config.rootDir, options.file);
  const findings = new Findings(show(mcpJsonPath));
  const file = await readMcpJson(config, mcpJsonPath, context.signal);
  const variables = substitution(file, mcpJsonPath, options.inputs, context, show);
  const project: VscodeProject = { show, mcpJsonPath, workspaceDir: path.dirname(path.dirname(mcpJsonPath)), file, findings, variables, servers: [], blocked: new Map() };
  const stop = (code: string, message: string, at?: { line?: number; column?: number }) => {
    findings.fail(code, message, at);
    project.stop = { status: 'fail', summary: findings.summary('') };
    return project;
  };
  if (file.problem?.missing) return stop('mcp-json.missing', `no ${show(mcpJsonPath)} (${file.problem.message}); set probes."${probeId}".file to the team's .vscode/mcp.json`);
  if (file.problem) return stop('mcp-json.syntax', `${file.problem.message} (VS Code starts none of its servers)`, file.problem);

  const wanted = options.servers ?? file.servers.filter(isHttpServer).map((s) => s.name);
  for (const name of wanted) {
    const server = file.servers.find((s) => s.name === name);
    if (!server) findings.fail('server.unknown', `probes."${probeId}".servers names "${name}", which ${show(mcpJsonPath)} does not have`);
    else if (!isHttpServer(server)) findings.fail('server.not-http', `${name} is not an http server (type ${server.type ?? 'missing'}); only http servers reach the gateway`, server.line);
    else project.servers.push(resolveServer(server, variables.fill));
  }
  if (!project.servers.length) return stop('servers.none', `${show(mcpJsonPath)} has no http server to use; add one of "type": "http" with the gateway's MCP URL`);

  context.redactor.add(...variables.secrets);
  const lineOf = (variable: string) => {
    const offset = file.text?.indexOf(variable) ?? -1;
    return offset >= 0 && file.text ? positionAt(file.text, offset).line : undefined;
  };
  for (const problem of variables.problems) {
    if (problem.code === 'variable.unresolved') findings.warn(problem.code, problem.message, lineOf(problem.variable));
    else findings.fail(problem.code, problem.message, lineOf(problem.variable));
    if (!problem.code.startsWith('input.')) continue;
    for (const server of project.servers) {
      const used = [server.url ?? '', ...Object.values(server.headers)].some((v) => v.includes(problem.variable));
      if (used && !project.blocked.has(server.name)) project.blocked.set(server.name, `not started: ${problem.message}`);
    }
  }
  return project;
}
