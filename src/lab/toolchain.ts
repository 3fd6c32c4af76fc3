/**
 * Installs the lab's third-party programs once and reuses them afterwards:
 * LiteLLM and Open WebUI in Python venvs of their own, Traefik built from its Go module. The clients come with `npm ci`
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
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { compromisedLitellmReason, DEFAULT_LITELLM_VERSION, LITELLM_VERSION_PATTERN } from '../gateway/litellm-releases.ts';
import { UsageError } from '../model/errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { ensureLocked } from '../python/locked-install.ts';

/** The lab's own LiteLLM (`lab.litellmVersion` by default), installed into `.venv`. */
export const LITELLM_VERSION = DEFAULT_LITELLM_VERSION;
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
export const LITELLM_LOCK = litellmLock(LITELLM_VERSION);

/** The committed hash lock of a LiteLLM release (its input, the `.in` beside it, says how it was made). */
export function litellmLock(version: string): string {
  return path.join(PACKAGE_ROOT, 'lab', 'requirements', `litellm-${version}.txt`);
}

/**
 * The venv of a LiteLLM release: `.venv` for LITELLM_VERSION (detect-secrets shares it, see
 * src/secrets/scanners.ts), `.venv-litellm-<version>` beside it for any other, so a second release
 * (an upgrade being proved) never changes what the lab and the scanners run.
 */
export function litellmVenv(version: string): string {
  return version === LITELLM_VERSION ? VENV_DIR : path.join(PACKAGE_ROOT, `.venv-litellm-${version}`);
}

export const OPENWEBUI_VERSION = '0.12.4';
/**
 * Open WebUI's own pins minus the PyTorch/CUDA chain (accelerate, sentence-transformers and what
 * only they need: 3.6 GB the lab never uses), hash-locked; the .in file beside it says how it is
 * generated. It gets a venv of its own: its pins (pydantic 2.13, anyio…) clash with LiteLLM's.
 */
export const OPENWEBUI_LOCK = path.join(PACKAGE_ROOT, 'lab', 'requirements', `open-webui-${OPENWEBUI_VERSION}.txt`);
/** Requirements of open-webui the lock leaves out on purpose (pip check may report them missing). */
export const OPENWEBUI_LEFT_OUT = ['accelerate', 'sentence-transformers'];
const OPENWEBUI_VENV_DIR = path.join(PACKAGE_ROOT, '.venv-openwebui');

/**
 * `go install …@version` refuses Traefik's module (its go.mod has replace directives),
 * so the module is downloaded and built in place. v3.6+ builds without its web UI assets.
 */
export const TRAEFIK_VERSION = 'v3.6.12';

const VENV_DIR = path.join(PACKAGE_ROOT, '.venv');
const TOOLS_DIR = path.join(PACKAGE_ROOT, '.tools');

export type Log = (line: string) => void;

/**
 * Returns the path of the `litellm` executable of `version`, creating its venv on first use. A
 * refused release (src/gateway/litellm-releases.ts) or one without a committed lock stops here,
 * before pip or a venv is started.
 */
export async function ensureLitellm(log: Log, version: string = LITELLM_VERSION): Promise<string> {
  checkLitellmVersion(version);
  const venvDir = litellmVenv(version);
  return ensureLocked({
    venvDir,
    lockFile: litellmLock(version),
    stampFile: path.join(venvDir, '.proofbook-requirements'),
    executable: path.join(venvDir, 'bin', 'litellm'),
    what: `LiteLLM ${version} (first run only, one to three minutes)`,
    log,
  });
}

/** Throws, saying what to do, unless `version` is an exact release that is not refused and has a committed lock. */
export function checkLitellmVersion(version: string): void {
  if (!LITELLM_VERSION_PATTERN.test(version)) {
    throw new UsageError(`LiteLLM version "${version}" is not an exact release number: write X.Y.Z, e.g. ${LITELLM_VERSION}`);
  }
  const refused = compromisedLitellmReason(version);
  if (refused) throw new UsageError(refused);
  const lockFile = litellmLock(version);
  if (!existsSync(lockFile)) throw new UsageError(missingLockMessage(version, lockFile));
}

/** No lock for `version`: which file is missing, and the steps (the .in header's command) that make it. */
function missingLockMessage(version: string, lockFile: string): string {
  const lock = path.relative(PACKAGE_ROOT, lockFile);
  const input = lock.replace(/\.txt$/, '.in');
  return (
    `LiteLLM ${version} has no committed hash lock: ${lock} does not exist, and Proofbook installs LiteLLM only from one. ` +
    `Pick a release that has one (ls lab/requirements/litellm-*.txt), or make it: write ${input} like ` +
    `lab/requirements/litellm-${LITELLM_VERSION}.in (its header says why each pin is there), then from the repository root run\n` +
    '  python3.11 -m venv /tmp/pip-tools && /tmp/pip-tools/bin/pip install pip-tools==7.6.2\n' +
    `  /tmp/pip-tools/bin/pip-compile --allow-unsafe --generate-hashes --no-emit-index-url --no-emit-find-links --output-file=${lock} ${input}\n` +
    'review and commit both files.'
  );
}

/** Returns the path of the `open-webui` executable, creating its venv on first use. */
export function ensureOpenWebui(log: Log): Promise<string> {
  return ensureLocked({
    venvDir: OPENWEBUI_VENV_DIR,
    lockFile: OPENWEBUI_LOCK,
    stampFile: path.join(OPENWEBUI_VENV_DIR, '.proofbook-requirements'),
    executable: path.join(OPENWEBUI_VENV_DIR, 'bin', 'open-webui'),
    what: `Open WebUI ${OPENWEBUI_VERSION} without PyTorch (first run only, a 580 MB download, about two minutes)`,
    leftOut: OPENWEBUI_LEFT_OUT,
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

/**
 * The lab's VS Code: code-server pinned exactly, with the Node 24 it requires, both from the
 * committed `lab/code-server/package.json` + `package-lock.json`, installed into
 * `.tools/code-server-<version>/` (first run only: about 5 minutes on 2 busy cores, 806 MB).
 * code-server's postinstall builds VS Code's native modules (kerberos needs the GSSAPI headers:
 * Debian's `libkrb5-dev`, which `.ci/run` installs) and checks that npm runs under Node 24, so npm
 * is run with that Node. `code-server` in the folder is the executable the probes start.
 */
export const CODE_SERVER_VERSION = '4.139.1';
const CODE_SERVER_SOURCE = path.join(PACKAGE_ROOT, 'lab', 'code-server');

export async function ensureCodeServer(log: Log): Promise<string> {
  const dir = path.join(TOOLS_DIR, `code-server-${CODE_SERVER_VERSION}`);
  const executable = path.join(dir, 'code-server');
  const lock = await readFile(path.join(CODE_SERVER_SOURCE, 'package-lock.json'), 'utf8');
  const stamp = createHash('sha256').update(lock).digest('hex');
  if (existsSync(executable) && (await readFile(path.join(dir, '.proofbook-lock'), 'utf8').catch(() => '')) === stamp) return executable;

  log(`installing code-server ${CODE_SERVER_VERSION} with Node 24 from lab/code-server (first run only, about 5 minutes)`);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) await copyFile(path.join(CODE_SERVER_SOURCE, file), path.join(partial, file));
  const npmCli = process.env.npm_execpath?.endsWith('.js') ? process.env.npm_execpath : realpathSync(await which('npm'));
  const node24 = path.join(partial, 'node_modules', '.bin', 'node');
  await execa('node', [npmCli, 'ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: partial });
  await execa('node', [npmCli, 'rebuild', 'node'], { cwd: partial }); // puts Node 24's binary in place
  // code-server's postinstall reads the Node version from npm's user agent: npm itself must run under Node 24.
  // Not the outer `npm run`'s npm_config_* (its user agent names the Node npm was started with).
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  env.PATH = `${path.dirname(node24)}${path.delimiter}${process.env.PATH}`;
  await execa(node24, [npmCli, 'rebuild', 'code-server'], { cwd: partial, env, extendEnv: false });
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  await writeFile(path.join(partial, 'code-server'), `#!/bin/sh\nexec "${path.join(dir, 'node_modules', '.bin', 'node')}" "${entry}" "$@"\n`, { mode: 0o755 });
  await writeFile(path.join(partial, '.proofbook-lock'), stamp);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir); // last, so an interrupted install is never taken for a finished one
  return executable;
}

async function which(command: string): Promise<string> {
  const { stdout } = await execa('sh', ['-c', `command -v ${command}`]);
  return stdout.trim();
}
