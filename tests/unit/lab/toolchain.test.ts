/**
 * Which LiteLLM releases the lab's toolchain installs, and what it says when it will not: the
 * compromised releases and a release without a committed hash lock are refused before a venv is
 * made or pip runs (nothing is logged as installing, no venv folder appears).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as labCli } from '../../../src/lab/lab-cli.ts';
import { ensureLitellm, litellmLock, litellmVenv } from '../../../src/lab/toolchain.ts';
import { PACKAGE_ROOT } from '../../../src/package-root.ts';

/** Runs ensureLitellm for `version` and returns its error and what it logged. */
async function refusal(version: string): Promise<{ message: string; logged: string[] }> {
  const logged: string[] = [];
  const error = await ensureLitellm((line) => logged.push(line), version).then(
    (bin) => new Error(`installed ${bin}`),
    (e: unknown) => e as Error,
  );
  return { message: error.message, logged };
}

describe('LiteLLM releases the toolchain installs', () => {
  for (const version of ['1.82.7', '1.82.8']) {
    it(`refuses ${version}, the release published with a credential-stealing payload, before anything is installed`, async () => {
      const { message, logged } = await refusal(version);
      expect(message).toContain(`LiteLLM ${version} is refused`);
      expect(message).toContain('2026-03-24');
      expect(message).toMatch(/credential-stealing payload \(a \.pth file that runs at every Python interpreter start/);
      expect(message).toContain('stolen publishing credentials');
      expect(message).toMatch(/Pick another release/);
      expect(logged).toEqual([]);
      expect(existsSync(path.join(PACKAGE_ROOT, `.venv-litellm-${version}`))).toBe(false);
    });
  }

  it('names the missing lock of a release without one, and the command that makes it', async () => {
    const { message, logged } = await refusal('0.0.1');
    expect(message).toContain('LiteLLM 0.0.1 has no committed hash lock: lab/requirements/litellm-0.0.1.txt does not exist');
    expect(message).toContain('write lab/requirements/litellm-0.0.1.in like lab/requirements/litellm-1.77.1.in');
    expect(message).toContain('pip-compile --allow-unsafe --generate-hashes --no-emit-index-url --no-emit-find-links --output-file=lab/requirements/litellm-0.0.1.txt lab/requirements/litellm-0.0.1.in');
    expect(logged).toEqual([]);
    expect(existsSync(path.join(PACKAGE_ROOT, '.venv-litellm-0.0.1'))).toBe(false);
  });

  it('takes only an exact release number (a lock file and a folder are named after it)', async () => {
    for (const version of ['latest', '1.77', '../1.77.1', '1.77.1rc1']) {
      expect((await refusal(version)).message).toContain(`LiteLLM version "${version}" is not an exact release number: write X.Y.Z`);
    }
  });

  it('keeps 1.77.1 in .venv (detect-secrets shares it) and puts any other release beside it', () => {
    expect(litellmVenv('1.77.1')).toBe(path.join(PACKAGE_ROOT, '.venv'));
    expect(litellmVenv('1.110.2')).toBe(path.join(PACKAGE_ROOT, '.venv-litellm-1.110.2'));
    expect(existsSync(litellmLock('1.77.1'))).toBe(true);
    expect(existsSync(litellmLock('1.110.2'))).toBe(true);
  });

  it('`lab:toolchain --litellm 1.82.7` stops with the reason before installing anything', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await labCli({ argv: ['toolchain', '--config', path.join(PACKAGE_ROOT, 'proofbook.config.yaml'), '--litellm', '1.82.7'], stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/^lab toolchain: LiteLLM 1\.82\.7 is refused: .*credential-stealing payload/);
    expect(out).toEqual([]);
  });
});
