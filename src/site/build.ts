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

export async function buildSite({ configPath, outDir }: BuildSiteOptions): Promise<{ outDir: string; durationMs: number }> {
  const config = path.resolve(configPath);
  const out = path.resolve(outDir);
  const started = performance.now();
  // preferLocal puts node_modules/.bin first on PATH, so `astro` runs on the project's Node 22.
  const result = await execa('astro', ['build'], {
    cwd: SITE_PROJECT_ROOT,
    preferLocal: true,
    localDir: SITE_PROJECT_ROOT,
    env: { [CONFIG_ENV]: config, [OUT_ENV]: out, ASTRO_TELEMETRY_DISABLED: '1' },
    stdin: 'ignore',
    all: true,
    reject: false,
  });
  if (result.failed) {
    const command = `${CONFIG_ENV}=${config} ${OUT_ENV}=${out} ${result.command}`;
    throw new SiteBuildError(command, result.exitCode, result.all ?? result.message);
  }
  return { outDir: out, durationMs: Math.round(performance.now() - started) };
}
