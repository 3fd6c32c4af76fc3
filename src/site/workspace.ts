/**
 * Which workspace the site publishes, and where the built site goes.
 *
 * Both come from the environment because Astro loads `astro.config.mjs` and
 * `src/content.config.ts` on its own: env vars are the one channel both can read,
 * and they let `buildSite()` (and tests) build any copy of a workspace.
 */
import path from 'node:path';
import { CONFIG_FILE_NAME, loadConfig, type Config } from '../probes/config.ts';

/** Path of the `proofbook.config.yaml` to publish; default: the one in the cwd. */
export const CONFIG_ENV = 'PROOFBOOK_CONFIG';
/** Folder the static site is written to; default: `dist`. */
export const OUT_ENV = 'PROOFBOOK_SITE_OUT';

export function siteConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[CONFIG_ENV] || CONFIG_FILE_NAME);
}

export function siteOutDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[OUT_ENV] || 'dist');
}

export function loadSiteConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  return loadConfig(siteConfigPath(env));
}
