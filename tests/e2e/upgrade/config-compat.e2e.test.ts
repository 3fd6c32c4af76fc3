/**
 * The config-compatibility check on the real installed releases: LiteLLM 1.77.1 (the lab's, in
 * `.venv`) and 1.110.2 (the upgrade preview's, in `.venv-litellm-1.110.2`). No lab is started.
 *
 * CI installs both (`npm run lab:toolchain`, then `-- --litellm 1.110.2`); a missing one fails
 * here with the command that installs it, never a skip that passes.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configCompatibility, parseLitellmConfig, type VersionNames } from '../../../src/upgrade/config-compat.ts';
import { litellmPackageDirs, sourceNames } from '../../../src/upgrade/litellm-source.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/config-compat');

/** Reading one release's source: a few hundred ms to a few seconds on the 2-core CI machine. */
const READ_LIMIT_MS = 15_000;

async function installed(version: string, venv: string): Promise<VersionNames & { ms: number }> {
  const venvDir = path.join(ROOT, venv);
  const install = `npm run lab:toolchain${venv === '.venv' ? '' : ` -- --litellm ${version}`}`;
  const dirs = await litellmPackageDirs(venvDir).catch((error: Error) => {
    throw new Error(`LiteLLM ${version} is not installed in ${venv} — run \`${install}\` (CI does): ${error.message}`);
  });
  // The folder holds the release it is named for: pip's record of it is beside the package.
  expect(existsSync(path.join(path.dirname(dirs[0]!), `litellm-${version}.dist-info`)), `${venv} holds LiteLLM ${version} (else run \`${install}\`)`).toBe(true);
  const started = performance.now();
  const names = await sourceNames(dirs);
  return { version, names, ms: Math.round(performance.now() - started) };
}

let from: VersionNames & { ms: number };
let to: VersionNames & { ms: number };
beforeAll(async () => {
  from = await installed('1.77.1', '.venv');
  to = await installed('1.110.2', '.venv-litellm-1.110.2');
  console.log(`sourceNames: LiteLLM ${from.version} ${from.names.size} names in ${from.ms} ms, ${to.version} ${to.names.size} names in ${to.ms} ms`);
});

describe('config compatibility, LiteLLM 1.77.1 → 1.110.2 (real packages)', () => {
  it('reads each release’s source in a few seconds, names that config keys are', () => {
    for (const release of [from, to]) {
      expect(release.ms).toBeLessThan(READ_LIMIT_MS);
      for (const key of ['model_list', 'litellm_params', 'master_key', 'mcp_servers', 'transport', 'drop_params', 'block_robots']) {
        expect(release.names.has(key), `${release.version} names ${key}`).toBe(true);
      }
    }
  });

  it('finds nothing to change in the lab’s config.yaml', async () => {
    const configFile = path.join(ROOT, 'lab/config.yaml');
    expect(configCompatibility({ configFile: 'lab/config.yaml', yaml: parseLitellmConfig(await readFile(configFile, 'utf8')), from, to })).toEqual([]);
  });

  it('finds the documented keys 1.110.2 no longer names, at their lines, and nothing else', async () => {
    const text = await readFile(path.join(FIXTURES, 'litellm-docs-keys.yaml'), 'utf8');
    const dropped = (line: number, key: string) => ({
      severity: 'warn',
      code: 'config.key.dropped',
      file: 'litellm-docs-keys.yaml',
      line,
      column: 3,
      message: `LiteLLM 1.110.2 never names \`${key}\` (1.77.1 does): renamed, moved or dropped — check its release notes`,
    });
    expect(configCompatibility({ configFile: 'litellm-docs-keys.yaml', yaml: parseLitellmConfig(text), from, to })).toEqual([
      dropped(20, 'litellm_settings.openai_image_generation_models'),
      dropped(29, 'general_settings.disable_adding_master_key_hash_to_db'),
      dropped(30, 'general_settings.proxy_admin_email'),
    ]);
  });
});
