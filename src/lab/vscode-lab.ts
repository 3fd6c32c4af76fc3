/**
 * The VS Code side of the lab: a workspace folder `<runtimeDir>/vscode` as a team member's
 * checkout would have it, holding `.vscode/mcp.json` — the committed example
 * `lab/clients/vscode/.vscode/mcp.json` (what `vscode.config` checks) with the lab's host URLs in
 * place of the example's (a test lab's ports differ). The key stays `${input:litellm-key}`; the
 * probes answer that prompt (`probes."vscode.list".inputs` in proofbook.config.yaml).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../probes/config.ts';
import { withLabHostUrls } from './codex-lab.ts';

/** Writes the lab's VS Code workspace; its folder, or undefined when the workspace has no VS Code example. */
export async function writeVscodeLab(config: Config): Promise<string | undefined> {
  const template = path.join(path.dirname(config.gateway.configFile), 'clients', 'vscode', '.vscode', 'mcp.json');
  if (!existsSync(template)) return undefined;
  const workspaceDir = path.join(config.lab.runtimeDir, 'vscode');
  await mkdir(path.join(workspaceDir, '.vscode'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(workspaceDir, '.vscode', 'mcp.json'), withLabHostUrls(await readFile(template, 'utf8'), config));
  return workspaceDir;
}
