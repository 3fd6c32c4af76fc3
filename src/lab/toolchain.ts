/**
 * Installs the lab's third-party programs once and reuses them afterwards:
 * LiteLLM in a Python venv, Traefik built from its Go module. The clients come with `npm ci`
 * (Codex, Claude Code); Claude Code's native binary is checked here, so a broken install shows
 * before any test.
 *
 * Both live beside Proofbook itself (not in a workspace), so every workspace and every
 * test lab shares one install. A stamp file records what was installed; a changed
 * requirement triggers a reinstall.
 *
 * Python packages come only from hash-locked files under `lab/requirements/` (each file's header
 * says how it is generated), installed with `pip install --require-hashes`.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../package-root.ts';
import { ensureLocked } from '../python/locked-install.ts';

export const LITELLM_VERSION = '1.77.1';
/**
 * LiteLLM pins few of its dependencies, so pip picks today's releases; two of them break a
 * September 2025 LiteLLM and are pinned to the versions of that time:
 * - pydantic 2.12+ removed a private helper the `mcp` package imports: the proxy fails at startup;
 * - anyio 4.11+ breaks the `mcp` streamable HTTP session manager: after the first request every
 *   `/mcp/` call answers 500 ("Attempted to exit a cancel scope that isn't the current task's").
 *
 * These are the direct requirements, the input of the lock (`lab/requirements/litellm-<version>.in`
 * lists the same); what is installed is LITELLM_LOCK.
 */
export const LITELLM_REQUIREMENTS = [`litellm[proxy]==${LITELLM_VERSION}`, 'pydantic==2.11.9', 'anyio==4.10.0'];
/**
 * The full closure of LITELLM_REQUIREMENTS, every package pinned `==` with the sha256 of each file
 * PyPI serves for it (pip-compile --generate-hashes; the command is in the file's header).
 */
export const LITELLM_LOCK = path.join(PACKAGE_ROOT, 'lab', 'requirements', `litellm-${LITELLM_VERSION}.txt`);

/**
 * `go install …@version` refuses Traefik's module (its go.mod has replace directives),
 * so the module is downloaded and built in place. v3.6+ builds without its web UI assets.
 */
export const TRAEFIK_VERSION = 'v3.6.12';

const VENV_DIR = path.join(PACKAGE_ROOT, '.venv');
const TOOLS_DIR = path.join(PACKAGE_ROOT, '.tools');

export type Log = (line: string) => void;

/** Returns the path of the `litellm` executable, creating the venv on first use. */
export function ensureLitellm(log: Log): Promise<string> {
  return ensureLocked({
    venvDir: VENV_DIR,
    lockFile: LITELLM_LOCK,
    stampFile: path.join(VENV_DIR, '.proofbook-requirements'),
    executable: path.join(VENV_DIR, 'bin', 'litellm'),
    what: `LiteLLM ${LITELLM_VERSION} (first run only, about a minute)`,
    log,
  });
}

/** Returns the path of the `traefik` executable, building it with Go on first use. */
export async function ensureTraefik(log: Log): Promise<string> {
  const executable = path.join(TOOLS_DIR, `traefik-${TRAEFIK_VERSION}`, 'traefik');
  if (existsSync(executable)) return executable;

  log(`building Traefik ${TRAEFIK_VERSION} with Go (first run only, several minutes)`);
  const module = `github.com/traefik/traefik/v3@${TRAEFIK_VERSION}`;
  const download = await execa('go', ['mod', 'download', '-json', module], { cwd: PACKAGE_ROOT });
  const { Dir: moduleDir } = JSON.parse(download.stdout) as { Dir: string };
  const partial = `${executable}.partial`;
  await mkdir(path.dirname(executable), { recursive: true });
  await execa(
    'go',
    [
      'build',
      '-trimpath',
      '-ldflags',
      `-X github.com/traefik/traefik/v3/pkg/version.Version=${TRAEFIK_VERSION}`,
      '-o',
      partial,
      './cmd/traefik',
    ],
    { cwd: moduleDir },
  );
  // Rename last, so an interrupted build is never taken for a finished one.
  await rename(partial, executable);
  return executable;
}

/** Claude Code's package (a devDependency) and the native binary its postinstall puts in place of bin/claude.exe. */
export const CLAUDE_CODE_BIN = path.join(PACKAGE_ROOT, 'node_modules', '@anthropic-ai', 'claude-code', 'bin', 'claude.exe');

/** Returns the path of the `claude` executable after checking it runs (offline: `--version` makes no request). */
export async function ensureClaudeCode(): Promise<string> {
  const result = await execa(CLAUDE_CODE_BIN, ['--version'], { reject: false, timeout: 60_000, stdin: 'ignore' });
  if (result.exitCode !== 0 || !/\(Claude Code\)/.test(String(result.stdout))) {
    const why = result.exitCode === undefined ? (result.shortMessage ?? 'did not start') : `exit code ${result.exitCode}: ${String(result.stderr || result.stdout).trim().split('\n')[0]}`;
    throw new Error(`Claude Code (${CLAUDE_CODE_BIN}) does not run (${why}); run \`npm ci\`: the package's postinstall puts the native binary in place`);
  }
  return CLAUDE_CODE_BIN;
}
