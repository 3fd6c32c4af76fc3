/**
 * `npm run demo`: the whole job on the built-in lab — start the lab, refresh the docs, check them
 * as a PR gate would (`--check`), build the site, say where to look, stop the lab (also on failure
 * or Ctrl-C). `main` returns the exit code: refresh-docs' own, else the check's; scripts/demo.ts is the bin.
 */
import path from 'node:path';
import { main as refreshDocs } from '../cli/refresh-docs.ts';
import { EXIT_CODE } from '../model/errors.ts';
import { CONFIG_FILE_NAME, loadConfig, type Config } from '../probes/config.ts';
import { buildSite } from '../site/build.ts';
import { labDown, labUp } from './lab.ts';
import { OPENWEBUI_VERSION } from './toolchain.ts';

export async function main(options: { argv: string[]; stdout?: (line: string) => void; stderr?: (line: string) => void }): Promise<number> {
  const out = options.stdout ?? ((line) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line) => process.stderr.write(`${line}\n`));
  const configPath = path.resolve(process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const step = (line: string) => out(`\n▶ ${line}`);

  let config: Config;
  try {
    config = await loadConfig(configPath);
  } catch (error) {
    err((error as Error).message);
    return EXIT_CODE.usage;
  }
  const stop = async () => {
    const stopped = await labDown(config);
    if (stopped.length) out(`\n▶ lab stopped (${stopped.join(', ')})`);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(130)));
  }

  const started = performance.now();
  try {
    step(`starting the lab: PostgreSQL, Traefik, LiteLLM ${config.lab.litellmVersion} with mcp_postgres and mcp_filesystem${config.lab.openwebuiPort ? `, Open WebUI ${OPENWEBUI_VERSION}` : ''}`);
    const lab = await labUp(config, (line) => out(`  ${line}`));
    out(`  lab is up in ${seconds(lab.durationMs)}`);

    step('npm run refresh-docs');
    const refreshCode = await refreshDocs({ argv: ['--config', configPath], stdout: options.stdout, stderr: options.stderr });

    // The PR gate on what was just written: every bound claim backed, every cited file there.
    step('npm run refresh-docs -- --check');
    const checkCode = await refreshDocs({ argv: ['--config', configPath, '--check'], stdout: options.stdout, stderr: options.stderr });

    step('building the site');
    const outDir = path.join(config.rootDir, 'dist');
    const site = await buildSite({ configPath, outDir });
    out(`  built ${path.relative(process.cwd(), site.outDir) || '.'} in ${seconds(site.durationMs)}`);

    const rel = (p: string) => path.relative(process.cwd(), p);
    out(`
Where to look:
  runbooks   ${config.runbooks.map(rel).join(', ')}   (git diff shows the status change)
  evidence   ${rel(config.evaluationDir)}/<probe>/<timestamp>.json
  site       npm run site:preview  → http://localhost:4321/status/ and /litellm/mcp-integration-status/
  demo took  ${seconds(performance.now() - started)}`);
    return refreshCode || checkCode;
  } catch (error) {
    err(`\ndemo failed: ${(error as Error).message}`);
    return EXIT_CODE.failed;
  } finally {
    await stop();
  }
}
