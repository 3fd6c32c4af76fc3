/**
 * The Codex CLI side of the lab: the scripted model server (a test double for the LLM, see
 * `scripted-model.ts`) as the service `scripted-model` (started before LiteLLM, whose lab
 * `model_list` routes Open WebUI's model `scripted` to it), and a CODEX_HOME at `<runtimeDir>/codex`
 * whose config.toml is the committed template `lab/clients/codex/config.toml` with the lab's
 * addresses: every config host's URL in place of the template's (the template has the defaults
 * `http://litellm.linuxserver.lan:18080` …), and the scripted model's port in place of 18100.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../probes/config.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { ServiceManager } from './processes.ts';

/** The scripted model's address in the committed template. */
export const TEMPLATE_MODEL_ORIGIN = 'http://127.0.0.1:18100';

export interface CodexLab {
  codexHome: string;
  modelUrl: string;
}

export function codexTemplate(config: Config): string {
  return path.join(path.dirname(config.gateway.configFile), 'clients', 'codex', 'config.toml');
}

/**
 * Starts the scripted model (a test double for the LLM) as the service `scripted-model` on `port`
 * and returns its origin once it answers. Codex, Claude Code and (through LiteLLM) Open WebUI use it.
 */
export async function startScriptedModelService(services: ServiceManager, port: number, log: (line: string) => void = () => {}): Promise<string> {
  log('starting the scripted model (test double for the LLM)');
  await services.start({
    name: 'scripted-model',
    command: process.execPath,
    args: [path.join(PACKAGE_ROOT, 'scripts', 'scripted-model.ts'), '--port', String(port)],
    processName: 'scripted-model.ts',
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${origin}/health`).then((r) => r.ok, () => false);
    if (ok) return origin;
    if (Date.now() > deadline || !(await services.isRunning('scripted-model'))) {
      throw new Error(`scripted-model: GET ${origin}/health did not answer\n  log: ${services.logFile('scripted-model')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Writes the lab's CODEX_HOME for the scripted model at `origin`. Returns undefined when the
 * workspace has no Codex template (nothing to do).
 */
export async function writeCodexLab(config: Config, origin: string, log: (line: string) => void = () => {}): Promise<CodexLab | undefined> {
  const template = codexTemplate(config);
  if (!existsSync(template)) return undefined;
  const codexHome = path.join(config.lab.runtimeDir, 'codex');
  await mkdir(codexHome, { recursive: true, mode: 0o700 });
  await writeFile(path.join(codexHome, 'config.toml'), effectiveCodexConfig(await readFile(template, 'utf8'), config, origin));
  log(`Codex home ${codexHome} (scripted model at ${origin})`);
  return { codexHome, modelUrl: `${origin}/v1` };
}

/** The template with the lab's addresses: each host's hostname with any port → that host's URL; the model origin. */
export function effectiveCodexConfig(template: string, config: Config, modelOrigin: string): string {
  return withLabHostUrls(template.replaceAll(TEMPLATE_MODEL_ORIGIN, modelOrigin), config);
}

/** A client template with each config host's hostname (with any port) replaced by that host's URL: the lab's ports. */
export function withLabHostUrls(template: string, config: Config): string {
  let text = template;
  for (const host of config.hosts) {
    const url = new URL(host.url);
    const pattern = new RegExp(`${url.protocol.replace(':', '')}://${url.hostname.replaceAll('.', '\\.')}(:\\d+)?(?=[/"])`, 'g');
    text = text.replace(pattern, url.origin);
  }
  return text;
}
