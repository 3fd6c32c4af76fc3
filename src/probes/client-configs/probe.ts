/**
 * `vscode.config` and `claude.config`: static checks of the MCP client configs the team hands
 * out for VS Code (`.vscode/mcp.json`, `mcp_servers*.json`) and Claude Code (`.mcp.json`),
 * every finding at file:line:col.
 *
 * Per configured file (a list of paths or `*` / `**` patterns):
 * - JSON syntax (VS Code reads JSONC: comments and trailing commas are fine there; Claude Code
 *   reads strict JSON) and the shape, validated with zod — VS Code
 *   `{servers: {name: {type, url, headers} | {type: "stdio", command, args, env}}, inputs: [...]}`,
 *   Claude Code `{mcpServers: {name: {type, url, headers} | {command, args, env}}}`;
 * - every host in `hosts` (or the `hosts` option) has a server entry whose URL uses the host's
 *   scheme and host name (the port too with `ports: match`) and LiteLLM's MCP path: LAN over
 *   http, external over https — an http URL for an https host is a fail;
 * - each gateway entry sends the key (`Authorization` or `x-litellm-api-key`) and `x-mcp-servers`;
 * - secrets only as references: `${input:id}` (VS Code, with a `promptString` input that has
 *   `password: true`) or `${VAR}` / `${VAR:-default}` (Claude Code). An inline value is a fail
 *   and is shown only as a fingerprint; the outcome is scrubbed of it before it is returned;
 * - optionally, a runbook has a Windows credential-storage section (heading match).
 *
 * Facts: the files, their servers (URL without user/query, header names, the key reference),
 * the runbook section, the findings and `clientMatrix` cells (client `vscode` / `claude`, aspect
 * `config`, one per required host). Status: fail / warn from the findings, `skip` with no files.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { failsThenWarnings } from '../../model/findings.ts';
import { endpointFor, expandFiles } from '../kit/client-shared.ts';
import { findingNote } from '../kit/matrix-notes.ts';
import type { ClientMatrixCell, Probe, ProbeContext, ProbeInput, ProbeOutcome, ProbeStatus } from '../types.ts';
import { ClientCheck } from './client-check.ts';
import { CLAUDE, VSCODE, type ClientSpec } from './clients.ts';
import { checkClientFile } from './config-file.ts';
import type { ClientConfigFacts } from './facts.ts';
import type { ClientConfigOptions } from './options.ts';
import { checkRunbook } from './runbook.ts';

export type { ClientConfigFacts, ClientFileFact, ClientServerFact, RunbookSectionFact } from './facts.ts';
export { ClaudeFileSchema, VscodeFileSchema } from './clients.ts';
export { markdownHeadings } from './runbook.ts';

export const vscodeConfigProbe: Probe<ClientConfigFacts, ClientConfigOptions> = {
  id: 'vscode.config',
  inputs: inputsOf(VSCODE),
  run: (context) => runClientProbe(VSCODE, context),
};

export const claudeConfigProbe: Probe<ClientConfigFacts, ClientConfigOptions> = {
  id: 'claude.config',
  inputs: inputsOf(CLAUDE),
  run: (context) => runClientProbe(CLAUDE, context),
};

/** The configured files (patterns expanded) in the client's JSON dialect, and the runbook. */
function inputsOf(spec: ClientSpec) {
  return (config: Config, options: ClientConfigOptions): ProbeInput[] => {
    const files = expandFiles(config.rootDir, options.files).flatMap((e) => e.files);
    // VS Code reads its MCP config as JSONC (comments, trailing commas); Claude Code as strict JSON.
    const list: ProbeInput[] = files.map((file) => ({ file, format: spec.jsonc ? 'jsonc' : 'json' }));
    if (options.runbook) list.push({ file: path.resolve(config.rootDir, options.runbook), format: 'markdown' });
    return list;
  };
}

async function runClientProbe(spec: ClientSpec, context: ProbeContext<ClientConfigOptions>): Promise<ProbeOutcome<ClientConfigFacts>> {
  const { config, signal, options } = context;
  const check = new ClientCheck(spec, context);
  const { facts, findings } = check;
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<ClientConfigFacts> => ({ status, summary, facts, transcript: check.transcript });

  if (!options.files.length) {
    return finish('skip', `no files in probes."${spec.id}".files in proofbook.config.yaml; no ${spec.name} config to check`);
  }
  for (const name of (options.hosts ?? []).filter((name) => !config.hosts.some((h) => h.name === name))) {
    findings.fail('option.unknown-host',
      `probes."${spec.id}".hosts names "${name}", which is not in hosts (${config.hosts.map((h) => h.name).join(', ')}); fix the name in proofbook.config.yaml`);
  }
  for (const file of listFiles(check)) {
    signal.throwIfAborted();
    await checkClientFile(check, file);
  }
  if (options.runbook) {
    const runbook = await checkRunbook(check, path.resolve(config.rootDir, options.runbook));
    if (runbook) facts.runbook = runbook;
  }
  facts.clientMatrix.push(...matrixCells(check));

  const serverCount = facts.files.reduce((n, f) => n + f.servers.filter((s) => s.host).length, 0);
  const passSummary =
    `${facts.files.length} ${spec.name} config file(s) (${facts.files.map((f) => f.file).join(', ')}): ${serverCount} gateway server entr${serverCount === 1 ? 'y' : 'ies'} ` +
    `for ${check.required.map((h) => `${h.name} (${new URL(h.url).protocol.replace(':', '')})`).join(' and ')}, key by reference and x-mcp-servers on each` +
    (facts.runbook?.found ? `; Windows section "${facts.runbook.heading}" at ${facts.runbook.file}:${facts.runbook.line}` : '');
  return finish(findings.status(), findings.summary(passSummary));
}

/** The configured files, patterns expanded, each once; a pattern that matches nothing is a finding. */
function listFiles(check: ClientCheck): string[] {
  const { spec } = check;
  const files: string[] = [];
  for (const entry of expandFiles(check.config.rootDir, check.options.files)) {
    if (entry.isGlob && !entry.files.length) {
      check.findings.fail('file.no-match',
        `probes."${spec.id}".files pattern "${entry.pattern}" matches no file; fix the pattern in proofbook.config.yaml or add the ${spec.name} config`);
    }
    for (const file of entry.files) if (!files.includes(file)) files.push(file);
  }
  return files;
}

/** One config cell per required host: the worst of the findings of every host of a file and of that host's own (the docs' left out). */
function matrixCells(check: ClientCheck): ClientMatrixCell[] {
  const { spec, facts, findingHosts, docFindings, mcpPath } = check;
  const findings = check.findings.list.filter((f) => f.severity !== 'info' && !docFindings.has(f));
  const fileWide = findings.filter((f) => !findingHosts.has(f));
  return check.required.map((host) => {
    const relevant = [...fileWide, ...findings.filter((f) => findingHosts.get(f) === host.name)];
    const worst = failsThenWarnings(relevant)[0];
    return worst
      ? { client: spec.client, host: host.name, aspect: 'config', status: worst.severity === 'fail' ? 'fail' : 'warn', note: findingNote(worst) }
      : { client: spec.client, host: host.name, aspect: 'config', status: 'pass', note: `${facts.files.length} file(s) reach ${endpointFor(host, mcpPath)} with the key and x-mcp-servers` };
  });
}
