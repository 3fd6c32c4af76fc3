/**
 * Builds the static site of one workspace with the Astro CLI.
 *
 * A child process rather than Astro's JS `build()`: the workspace is chosen through
 * env vars that astro.config.mjs and src/content.config.ts read at load time, and a
 * separate process keeps them (and Astro's module cache) apart from the caller's.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { CONFIG_ENV, OUT_ENV } from './workspace.ts';

/** The folder holding astro.config.mjs; Astro runs there whatever the caller's cwd. */
export const SITE_PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BuildSiteOptions {
  /** The workspace's proofbook.config.yaml. */
  configPath: string;
  /** Where the static site is written (replaced on each build). */
  outDir: string;
  /** More environment for the build, e.g. PROOFBOOK_SITE_NOW to pin what "stale" means. */
  env?: Record<string, string>;
}

export class SiteBuildError extends Error {
  readonly command: string;
  readonly exitCode: number | undefined;
  readonly output: string;
  constructor(command: string, exitCode: number | undefined, output: string) {
    const tail = output.trim().split('\n').slice(-40).join('\n');
    super(`Site build failed: \`${command}\` exited with ${exitCode ?? 'no exit code'}.\n${tail}`);
    this.name = 'SiteBuildError';
    this.command = command;
    this.exitCode = exitCode;
    this.output = output;
  }
}

/**
 * Variables that a test runner or a Vite process sets in its environment (vitest: NODE_ENV=test,
 * DEV=1, MODE, SSR, BASE_URL…) and that Astro would read as "build a dev-mode site" — one
 * without search. The build gets the caller's environment without them.
 */
const BUILD_MODE_VARS = new Set(['NODE_ENV', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'TEST']);

function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !BUILD_MODE_VARS.has(entry[0]) && !entry[0].startsWith('VITEST'),
    ),
  );
}

export async function buildSite({ configPath, outDir, env = {} }: BuildSiteOptions): Promise<{ outDir: string; durationMs: number }> {
  const config = path.resolve(configPath);
  const out = path.resolve(outDir);
  const started = performance.now();
  // preferLocal puts node_modules/.bin first on PATH, so `astro` runs on the project's Node 22.
  const result = await execa('astro', ['build'], {
    cwd: SITE_PROJECT_ROOT,
    preferLocal: true,
    localDir: SITE_PROJECT_ROOT,
    extendEnv: false,
    env: { ...inheritedEnv(), NODE_ENV: 'production', ...env, [CONFIG_ENV]: config, [OUT_ENV]: out, ASTRO_TELEMETRY_DISABLED: '1' },
    stdin: 'ignore',
    all: true,
    reject: false,
  });
  if (result.failed) {
    const extra = Object.entries(env).map(([key, value]) => `${key}=${value} `).join('');
    const command = `${extra}${CONFIG_ENV}=${config} ${OUT_ENV}=${out} ${result.command}`;
    throw new SiteBuildError(command, result.exitCode, result.all ?? result.message);
  }
  return { outDir: out, durationMs: Math.round(performance.now() - started) };
}
