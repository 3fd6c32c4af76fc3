/**
 * The Claude Code side of the lab: a project folder `<runtimeDir>/claude` as a team member's
 * checkout would have it, holding
 * - `.mcp.json`: the committed example `lab/clients/claude/.mcp.json` (what `claude.config`
 *   checks) with the lab's host URLs in place of the example's. It names the key as
 *   `${LITELLM_API_KEY}`, never its value; the probes fill that variable (see `probes."claude.list".env`
 *   in proofbook.config.yaml);
 * - `settings.json`: Claude Code settings whose `env` points it at the scripted model —
 *   ANTHROPIC_BASE_URL at the lab's scripted model server, a TEST DOUBLE FOR THE LLM ONLY
 *   (scripted-messages.ts), and a placeholder API key the double ignores. `claude.invoke` passes
 *   it with `--settings`, as a team would point Claude Code at its model gateway.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../probes/config.ts';
import { withLabHostUrls } from './codex-lab.ts';

export interface ClaudeLab {
  /** The project folder (its `.mcp.json` is the team's). */
  projectDir: string;
  /** The settings file with the scripted model's address. */
  settingsFile: string;
}

/** Not a secret: the scripted model takes any key, and Claude Code starts no request without one. */
export const SCRIPTED_MODEL_KEY = 'lab-scripted-model-takes-no-key';

export function claudeTemplate(config: Config): string {
  return path.join(path.dirname(config.gateway.configFile), 'clients', 'claude', '.mcp.json');
}

/**
 * Writes the lab's Claude Code project folder; undefined when the workspace has no Claude Code
 * example (nothing to do). `modelOrigin`: the scripted model's `http://127.0.0.1:<port>`.
 */
export async function writeClaudeLab(config: Config, modelOrigin: string | undefined): Promise<ClaudeLab | undefined> {
  const template = claudeTemplate(config);
  if (!existsSync(template)) return undefined;
  const projectDir = path.join(config.lab.runtimeDir, 'claude');
  await mkdir(projectDir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(projectDir, '.mcp.json'), withLabHostUrls(await readFile(template, 'utf8'), config));
  const settingsFile = path.join(projectDir, 'settings.json');
  const env = modelOrigin ? { ANTHROPIC_BASE_URL: modelOrigin, ANTHROPIC_API_KEY: SCRIPTED_MODEL_KEY } : {};
  await writeFile(settingsFile, `${JSON.stringify({ env }, null, 2)}\n`);
  return { projectDir, settingsFile };
}
