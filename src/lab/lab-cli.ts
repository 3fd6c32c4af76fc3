/**
 * `npm run lab:up` / `lab:down` / `lab:toolchain` [-- --config <file>] [-- --litellm <version>]: start,
 * stop or install the built-in lab. `toolchain --litellm X.Y.Z` also installs that LiteLLM release
 * (from its hash lock, into its own venv), e.g. the one an upgrade preview runs. `main` returns the
 * exit code (src/model/errors.ts); scripts/lab.ts is the bin.
 */
import { parseArgs } from 'node:util';
import { EXIT_CODE, exitCodeOf } from '../model/errors.ts';
import { CONFIG_FILE_NAME, loadConfig } from '../probes/config.ts';
import { labDown, labUp } from './lab.ts';
import { checkLitellmVersion, ensureClaudeCode, ensureCodeServer, ensureLitellm, ensureOpenWebui, ensureTraefik, LITELLM_VERSION } from './toolchain.ts';

const USAGE = 'usage: node scripts/lab.ts up|down|toolchain [--config proofbook.config.yaml] [--litellm X.Y.Z (toolchain only)]';

export async function main(options: { argv: string[]; stdout?: (line: string) => void; stderr?: (line: string) => void }): Promise<number> {
  const out = options.stdout ?? ((line) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line) => process.stderr.write(`${line}\n`));
  let parsed;
  try {
    parsed = parseArgs({
      args: options.argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME },
        litellm: { type: 'string', multiple: true, default: [] },
      },
    });
  } catch (error) {
    err(`lab: ${(error as Error).message}\n${USAGE}`);
    return EXIT_CODE.usage;
  }
  const command = parsed.positionals[0];
  const extraLitellm = parsed.values.litellm;
  if (extraLitellm.length && command !== 'toolchain') {
    err(`lab: --litellm is for \`toolchain\` (the release \`up\` starts is lab.litellmVersion in the config)\n${USAGE}`);
    return EXIT_CODE.usage;
  }
  try {
    const config = await loadConfig(parsed.values.config);
    if (command === 'up') {
      const info = await labUp(config, (line) => err(`lab: ${line}`));
      const ports = Object.entries(info.entryPoints).map(([name, port]) => `${name}=127.0.0.1:${port}`).join(', ');
      out(`lab is up in ${(info.durationMs / 1000).toFixed(1)} s: LiteLLM ${config.lab.litellmVersion} (${ports}; postgres=127.0.0.1:${info.postgresPort})`);
      out(`secrets: ${info.secretsFiles.join(', ')}`);
      if (info.codex) out(`codex: CODEX_HOME=${info.codex.codexHome} (model: the scripted test double at ${info.codex.modelUrl})`);
      if (info.claude) out(`claude: project ${info.claude.projectDir} (.mcp.json; settings.json points claude -p at the scripted test double)`);
      if (info.openwebui) out(`open-webui: ${info.openwebui.url} (admin token in ${info.openwebui.secretsFile}; its model is LiteLLM's scripted test double)`);
      if (info.vscode) out(`vscode: workspace ${info.vscode} (.vscode/mcp.json with the lab's host URLs)`);
    } else if (command === 'toolchain') {
      // Installs what the lab runs (LiteLLM, Open WebUI, Traefik; checks Claude Code from npm ci) and nothing else: CI does this as its own step.
      const log = (line: string) => err(`lab: ${line}`);
      // The config's release and `--litellm X.Y.Z` as well (the default one is always installed:
      // detect-secrets shares its venv), every one checked before anything starts installing.
      const others = [...new Set([config.lab.litellmVersion, ...extraLitellm])].filter((version) => version !== LITELLM_VERSION);
      for (const version of others) checkLitellmVersion(version);
      const [litellm, openwebui, traefik, claude, codeServer, ...extra] = await Promise.all([
        ensureLitellm(log),
        ensureOpenWebui(log),
        ensureTraefik(log),
        ensureClaudeCode(),
        ensureCodeServer(log),
        ...others.map((version) => ensureLitellm(log, version)),
      ]);
      out(`toolchain ready: ${[litellm, openwebui, traefik, claude, codeServer, ...extra].join(', ')}`);
    } else if (command === 'down') {
      const stopped = await labDown(config);
      out(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
    } else {
      err(USAGE);
      return EXIT_CODE.usage;
    }
    return EXIT_CODE.ok;
  } catch (error) {
    err(`lab ${command}: ${(error as Error).message}`);
    return exitCodeOf(error);
  }
}
