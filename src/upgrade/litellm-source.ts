/**
 * What an installed LiteLLM can read: every name its Python source spells.
 *
 * A config key matters to LiteLLM only if its code names it: `general_settings`,
 * `router_settings`, `litellm_params` and MCP server keys are string literals
 * (`general_settings.get("master_key")`), `litellm_settings` keys become attributes through
 * `setattr(litellm, key, value)` and are read as `litellm.drop_params`. So the identifier-like
 * tokens of every `.py` file of the package, in strings and code alike, are the keys that version
 * can act on — derived from the installed code, with no hand-kept table of LiteLLM changes.
 *
 * LiteLLM ships part of its proxy as companion packages beside it (`litellm_enterprise`,
 * `litellm_proxy_extras`, `litellm_cli`): `general_settings.block_robots` is named only in
 * `litellm_enterprise`, in 1.77.1 and 1.110.2 alike. `litellmPackageDirs` lists them too, so a key
 * read there is not taken for one LiteLLM ignores.
 *
 * Keys built at run time (`f"{prefix}_timeout"`) or read only by the native extension are not
 * seen; ./config-compat.ts words its findings for that.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../model/errors.ts';

/**
 * The `litellm` package of a virtualenv: `<venv>/lib/python3.*\/site-packages/litellm`. Throws a
 * UsageError that says how to install it when there is none (or more than one Python has one,
 * which would leave the version in doubt).
 */
export async function litellmPackageDir(venvDir: string): Promise<string> {
  const lib = path.join(venvDir, 'lib');
  const pythons = (await readdir(lib, { withFileTypes: true }).catch(() => []))
    .filter((entry) => /^python3\.\d+$/.test(entry.name))
    .map((entry) => path.join(lib, entry.name, 'site-packages', 'litellm'));
  const found: string[] = [];
  for (const dir of pythons) {
    if ((await stat(path.join(dir, '__init__.py')).catch(() => undefined))?.isFile()) found.push(dir);
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new UsageError(`${venvDir} has LiteLLM for more than one Python (${found.join(', ')}) — keep one, so the version read is the one that runs`);
  }
  throw new UsageError(`no LiteLLM in ${venvDir} (looked for lib/python3.*/site-packages/litellm/__init__.py) — install LiteLLM into that virtualenv first`);
}

/**
 * The `litellm` package of a virtualenv and LiteLLM's companion packages beside it (every
 * `litellm_*` package in the same site-packages), sorted: the code that reads a config.
 */
export async function litellmPackageDirs(venvDir: string): Promise<string[]> {
  const main = await litellmPackageDir(venvDir);
  const sitePackages = path.dirname(main);
  const companions: string[] = [];
  for (const entry of await readdir(sitePackages, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('litellm_')) continue;
    const dir = path.join(sitePackages, entry.name);
    if ((await stat(path.join(dir, '__init__.py')).catch(() => undefined))?.isFile()) companions.push(dir);
  }
  return [main, ...companions.sort()];
}

/** Files read at once: enough to keep the disk busy, few enough to bound memory (one chunk each). */
const CONCURRENCY = 8;

/**
 * Every identifier-like token (`[A-Za-z_][A-Za-z0-9_]*`) of every `.py` file under `packageDir`
 * (or each of several).
 * Files are streamed chunk by chunk (never held whole) and scanned as bytes: a name is ASCII, so a
 * UTF-8 character (cut between two chunks or not) only ends one. Symbolic links are not followed (the package is what pip unpacked).
 */
export async function sourceNames(packageDir: string | readonly string[]): Promise<Set<string>> {
  const entries = (await Promise.all([packageDir].flat().map((dir) => readdir(dir, { recursive: true, withFileTypes: true })))).flat();
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.py')).map((entry) => path.join(entry.parentPath, entry.name));
  const names = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) await addNames(files[next++]!, names);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return names;
}

/** Bytes of a word character (`A-Z`, `a-z`, `0-9`, `_`); any other byte, UTF-8 ones included, ends a name. */
const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  WORD[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f ? 1 : 0;
}

/** Streams one file's bytes; a name cut between two chunks is carried over to the next. */
async function addNames(file: string, names: Set<string>): Promise<void> {
  let carry = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    carry = addRuns(chunk, carry, names);
  }
  addName(carry, names);
}

/** Adds the names of `bytes` (the first continuing `carry`); returns the run still open at the end. */
function addRuns(bytes: Buffer, carry: string, names: Set<string>): string {
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (WORD[bytes[i]!]) continue;
    if (carry) {
      addName(carry + bytes.toString('latin1', start, i), names);
      carry = '';
    } else if (i > start) addName(bytes.toString('latin1', start, i), names);
    start = i + 1;
  }
  return carry + bytes.toString('latin1', start, bytes.length);
}

/** A run that starts with a digit is a number (`0x1f`, `3rd`), not a name. */
function addName(run: string, names: Set<string>): void {
  if (run) {
    const first = run.charCodeAt(0);
    if (first < 0x30 || first > 0x39) names.add(run);
  }
}
