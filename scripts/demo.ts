#!/usr/bin/env node
/**
 * `npm run demo`: the whole job on the built-in lab — start the lab, refresh the docs,
 * build the site, say where to look, stop the lab (also on failure or Ctrl-C).
 */
import path from 'node:path';
import { main as refreshDocs } from '../src/cli/refresh-docs.ts';
import { CONFIG_FILE_NAME, loadConfig } from '../src/probes/config.ts';
import { labDown, labUp } from '../src/lab/lab.ts';
import { buildSite } from '../src/site/build.ts';

const configPath = path.resolve(process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const step = (line: string) => console.log(`\n▶ ${line}`);

const config = await loadConfig(configPath).catch((error: Error) => {
  console.error(error.message);
  process.exit(2);
});
const stop = async () => {
  const stopped = await labDown(config);
  if (stopped.length) console.log(`\n▶ lab stopped (${stopped.join(', ')})`);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stop().finally(() => process.exit(130)));
}

const started = performance.now();
try {
  step('starting the lab: PostgreSQL, Traefik, LiteLLM 1.77.1 with mcp_postgres and mcp_filesystem');
  const lab = await labUp(config, (line) => console.log(`  ${line}`));
  console.log(`  lab is up in ${seconds(lab.durationMs)}`);

  step('npm run refresh-docs');
  const refreshCode = await refreshDocs({ argv: ['--config', configPath] });

  step('building the site');
  const outDir = path.join(config.rootDir, 'dist');
  const site = await buildSite({ configPath, outDir });
  console.log(`  built ${path.relative(process.cwd(), site.outDir) || '.'} in ${seconds(site.durationMs)}`);

  const rel = (p: string) => path.relative(process.cwd(), p);
  console.log(`
Where to look:
  runbooks   ${config.runbooks.map(rel).join(', ')}   (git diff shows the status change)
  evidence   ${rel(config.evaluationDir)}/<probe>/<timestamp>.json
  site       npm run site:preview  → http://localhost:4321/status/ and /litellm/mcp-integration-status/
  demo took  ${seconds(performance.now() - started)}`);
  process.exitCode = refreshCode;
} catch (error) {
  console.error(`\ndemo failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await stop();
}
