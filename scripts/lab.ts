#!/usr/bin/env node
/** `npm run lab:up` / `npm run lab:down` / `npm run lab:toolchain` [-- --config <file>] */
import { parseArgs } from 'node:util';
import { CONFIG_FILE_NAME, ConfigError, loadConfig } from '../src/probes/config.ts';
import { labDown, labUp } from '../src/lab/lab.ts';
import { ensureLitellm, ensureTraefik } from '../src/lab/toolchain.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME } },
});
const command = positionals[0];
try {
  const config = await loadConfig(values.config);
  if (command === 'up') {
    const info = await labUp(config, (line) => console.error(`lab: ${line}`));
    const ports = Object.entries(info.entryPoints).map(([name, port]) => `${name}=127.0.0.1:${port}`).join(', ');
    console.log(`lab is up in ${(info.durationMs / 1000).toFixed(1)} s (${ports}; postgres=127.0.0.1:${info.postgresPort})`);
    console.log(`secrets: ${info.secretsFiles.join(', ')}`);
    if (info.codex) console.log(`codex: CODEX_HOME=${info.codex.codexHome} (model: the scripted test double at ${info.codex.modelUrl})`);
  } else if (command === 'toolchain') {
    // Installs what the lab runs (LiteLLM, Traefik) and nothing else: CI does this as its own step.
    const log = (line: string) => console.error(`lab: ${line}`);
    const [litellm, traefik] = await Promise.all([ensureLitellm(log), ensureTraefik(log)]);
    console.log(`toolchain ready: ${litellm}, ${traefik}`);
  } else if (command === 'down') {
    const stopped = await labDown(config);
    console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
  } else {
    console.error('usage: node scripts/lab.ts up|down|toolchain [--config proofbook.config.yaml]');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`lab ${command}: ${(error as Error).message}`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
