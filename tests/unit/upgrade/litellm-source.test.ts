/** litellmPackageDir and sourceNames on stand-in packages and generated files (no LiteLLM needed). */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/model/errors.ts';
import { litellmPackageDir, litellmPackageDirs, sourceNames } from '../../../src/upgrade/litellm-source.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/config-compat');

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'litellm-source-'));
  temps.push(dir);
  return dir;
}

describe('litellmPackageDir', () => {
  it('finds the package under whichever python3.x the virtualenv has', async () => {
    expect(await litellmPackageDir(path.join(FIXTURES, 'litellm-1.0.0'))).toBe(path.join(FIXTURES, 'litellm-1.0.0/lib/python3.12/site-packages/litellm'));
    expect(await litellmPackageDir(path.join(FIXTURES, 'litellm-2.0.0'))).toBe(path.join(FIXTURES, 'litellm-2.0.0/lib/python3.11/site-packages/litellm'));
  });

  it('says how to fix a virtualenv without LiteLLM, or with two', async () => {
    const venv = await tempDir();
    await expect(litellmPackageDir(venv)).rejects.toThrow(UsageError);
    await expect(litellmPackageDir(venv)).rejects.toThrow(`no LiteLLM in ${venv} (looked for lib/python3.*/site-packages/litellm/__init__.py) — install LiteLLM into that virtualenv first`);
    // A folder named litellm without __init__.py is not the package.
    await mkdir(path.join(venv, 'lib/python3.12/site-packages/litellm'), { recursive: true });
    await expect(litellmPackageDir(venv)).rejects.toThrow('no LiteLLM in');
    for (const python of ['python3.11', 'python3.12']) {
      await mkdir(path.join(venv, 'lib', python, 'site-packages/litellm'), { recursive: true });
      await writeFile(path.join(venv, 'lib', python, 'site-packages/litellm/__init__.py'), '');
    }
    await expect(litellmPackageDir(venv)).rejects.toThrow(/has LiteLLM for more than one Python .* — keep one/);
  });
});

describe('litellmPackageDirs', () => {
  it('adds LiteLLM’s companion packages beside it (litellm_*/ with an __init__.py), sorted', async () => {
    const sitePackages = path.join(FIXTURES, 'litellm-1.0.0/lib/python3.12/site-packages');
    expect(await litellmPackageDirs(path.join(FIXTURES, 'litellm-1.0.0'))).toEqual([path.join(sitePackages, 'litellm'), path.join(sitePackages, 'litellm_enterprise')]);
    const names = await sourceNames(await litellmPackageDirs(path.join(FIXTURES, 'litellm-1.0.0')));
    expect(names.has('block_robots')).toBe(true);
    expect(names.has('not_a_package_name')).toBe(false);
  });
});

describe('sourceNames', () => {
  it('collects the names of .py files only, in strings and code alike, in every folder', async () => {
    const names = await sourceNames(path.join(FIXTURES, 'litellm-1.0.0/lib/python3.12/site-packages/litellm'));
    for (const name of ['drop_params', 'master_key', 'proxy_admin_email', 'spec_path', 'allowed_fail', 'GenericLiteLLMParams', 'setattr']) {
      expect(names.has(name), name).toBe(true);
    }
    expect(names.has('store_prompts_in_spend_logs')).toBe(false); // only in schema.prisma
    expect(names.has('block_robots')).toBe(false); // only in the companion package
  });

  it('splits at every other byte (UTF-8 included), skips numbers, and never follows a symbolic link', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await writeFile(path.join(dir, 'a.py'), 'x = general_settings.get("naïve_key")  # 0x1f 3rd _private\nπ_pi = 2\n');
    await writeFile(path.join(outside, 'elsewhere.py'), 'not_in_the_package = 1\n');
    await symlink(path.join(outside, 'elsewhere.py'), path.join(dir, 'linked.py'));
    await symlink(outside, path.join(dir, 'linked_dir'));
    const names = await sourceNames(dir);
    expect([...names].sort()).toEqual(['_pi', '_private', 'general_settings', 'get', 'na', 've_key', 'x']);
  });

  it('keeps a name cut between two read chunks whole (a file over 256 KiB)', async () => {
    const dir = await tempDir();
    // The first chunk ends 5 characters into `boundary_name`.
    const filler = '#'.repeat(256 * 1024 - 5);
    await writeFile(path.join(dir, 'big.py'), `${filler}boundary_name = 1\n${'y '.repeat(200_000)}last_name`);
    const names = await sourceNames(dir);
    expect(names.has('boundary_name')).toBe(true);
    expect(names.has('bound')).toBe(false);
    expect(names.has('ary_name')).toBe(false);
    expect(names.has('last_name')).toBe(true); // the run still open when the file ends
  });
});
