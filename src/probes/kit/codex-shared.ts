/**
 * What the three Codex CLI probes (`codex.config`, `codex.list`, `codex.invoke`) share: where
 * Codex's config lives, reading it with line numbers, the gateway entry, environment lookups,
 * the proxy that stands in for DNS, and running the real `codex` binary.
 *
 * Codex reads `$CODEX_HOME/config.toml` (default `~/.codex/config.toml`). The gateway entry is
 * the table `[mcp_servers.<server>]`: streamable HTTP to LiteLLM's `/mcp/` with `url`,
 * `http_headers` / `env_http_headers` and `bearer_token_env_var`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { lineOfKeys, tomlKeyLines } from '../../formats/toml-keys.ts';
import type { Config } from '../config.ts';
import type { Host } from '../../config/schema.ts';
import type { ProbeContext, ProbeInput } from '../types.ts';
import { looksSecret } from './checks.ts';
import { runClientCommand, type ClientRun } from './client-run.ts';
import { readInputText } from './read-input.ts';
import { siblingOptions } from './sibling-options.ts';
import { CodexConfigOptionsSchema } from '../codex-config/options.ts';

/** Keys of an `[mcp_servers.<name>]` table that Codex 0.169 knows (checked with `codex exec --strict-config`). */
export const KNOWN_SERVER_KEYS = [
  // stdio
  'command', 'args', 'env', 'env_vars', 'cwd',
  // streamable HTTP
  'url', 'bearer_token_env_var', 'bearer_token', 'http_headers', 'env_http_headers', 'http_headers_helper',
  'scopes', 'oauth_resource', 'oauth', 'auth',
  // both
  'name', 'enabled', 'required', 'startup_timeout_sec', 'startup_timeout_ms', 'tool_timeout_sec', 'enabled_tools',
  'disabled_tools', 'default_tools_approval_mode', 'tools', 'environment_id', 'startup_readiness',
  'supports_parallel_tool_calls', 'tool_input_schema_max_bytes',
] as const;

/** Header names that carry the gateway key (LiteLLM reads `Authorization` and `x-litellm-api-key`). */
export const TOKEN_HEADERS = ['authorization', 'x-litellm-api-key', 'api-key', 'x-api-key'];

/** The settings shared by the Codex probes, after defaults. */
export interface CodexSettings {
  codexHome: string;
  configFile: string;
  server: string;
  host: Host;
  /** The MCP endpoint the entry must point at: the host's URL + `path`. */
  endpoint: string;
  codexBin?: string;
}

interface SharedOptions {
  codexHome?: string;
  server?: string;
  host?: string;
  path?: string;
  codexBin?: string;
}

/** The options of `codex.config`, parsed with its schema: the other two probes' defaults. */
function configProbeOptions(config: Config): SharedOptions {
  return siblingOptions(config, 'codex.config', CodexConfigOptionsSchema);
}

export function codexSettings(config: Config, own: SharedOptions): CodexSettings {
  const base = configProbeOptions(config);
  const home = own.codexHome ?? base.codexHome;
  const codexHome = home
    ? path.resolve(config.rootDir, home)
    : process.env.CODEX_HOME
      ? path.resolve(process.env.CODEX_HOME)
      : path.join(os.homedir(), '.codex');
  const host = config.hostByName(own.host ?? base.host ?? 'lan');
  const bin = own.codexBin ?? base.codexBin;
  return {
    codexHome,
    configFile: path.join(codexHome, 'config.toml'),
    server: own.server ?? base.server ?? 'litellm',
    host,
    endpoint: new URL(own.path ?? base.path ?? '/mcp/', host.url).toString(),
    ...(bin ? { codexBin: bin.includes('/') ? path.resolve(config.rootDir, bin) : bin } : {}),
  };
}

/** The file the Codex probes read, for the preflight (a missing one is their own finding). */
export function codexConfigInputs(settings: CodexSettings): ProbeInput[] {
  return [{ file: settings.configFile, format: 'toml', optional: true }];
}

// ---------------------------------------------------------------------------------------------
// config.toml with line numbers

export type TomlTable = Record<string, unknown>;

export type ReadToml =
  | { kind: 'missing'; error: string }
  | { kind: 'syntax'; text: string; line: number; column: number; message: string }
  | { kind: 'ok'; text: string; data: TomlTable; sha256: string; lineOf: (keys: string[]) => number };

export async function readCodexToml(file: string, signal?: AbortSignal): Promise<ReadToml> {
  const { text, error } = await readInputText(file, signal);
  if (text === undefined) return { kind: 'missing', error };
  try {
    const data = parseToml(text) as TomlTable;
    const lines = tomlKeyLines(text);
    const lineOf = (keys: string[]) => lineOfKeys(lines, keys);
    return { kind: 'ok', text, data, sha256: createHash('sha256').update(text).digest('hex').slice(0, 16), lineOf };
  } catch (error) {
    if (error instanceof TomlError) {
      // Only the first line of the message: the rest is a code block quoting the file, which may hold a secret.
      let message = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0]!;
      const lineText = text.split('\n')[error.line - 1] ?? '';
      if (/control characters are not allowed in strings/.test(message) && error.column > lineText.replace(/\r$/, '').length) {
        message = 'the string is not closed before the end of the line (a closing quote is missing)';
      }
      return { kind: 'syntax', text, line: error.line, column: error.column, message };
    }
    throw error;
  }
}

export const isTable = (value: unknown): value is TomlTable =>
  !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);

/** A header map (`http_headers`, `env_http_headers`) with string values, or undefined. */
export function headerMap(value: unknown): Record<string, string> | undefined {
  if (!isTable(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

/** The header of `map` named `name`, case-insensitively: [name as written, value]. */
export function findHeader(map: Record<string, string> | undefined, name: string): [string, string] | undefined {
  return Object.entries(map ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
}

/** The table `[mcp_servers.<server>]` of a parsed config.toml, when there is one. */
export function serverEntry(data: TomlTable, server: string): TomlTable | undefined {
  const servers = isTable(data.mcp_servers) ? data.mcp_servers : undefined;
  return isTable(servers?.[server]) ? (servers[server] as TomlTable) : undefined;
}

/**
 * Environment variables a server entry reads (`bearer_token_env_var`, the values of
 * `env_http_headers`): Codex takes them from its environment.
 */
export function entryEnvVarNames(entry: TomlTable | undefined): string[] {
  const headers = isTable(entry?.env_http_headers) ? entry.env_http_headers : {};
  return [entry?.bearer_token_env_var, ...Object.values(headers)].filter((name): name is string => typeof name === 'string');
}

/**
 * Static header values that are secrets (a key header, or a value that looks like a secret), with
 * and without their `Bearer ` prefix: for the redactor.
 */
export function headerSecrets(headers: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(headers ?? {}).flatMap(([header, raw]) => {
    const value = String(raw);
    return TOKEN_HEADERS.includes(header.toLowerCase()) || looksSecret(header, value) ? [value, value.replace(/^Bearer\s+/i, '')] : [];
  });
}

export const splitServers = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

/** Origin + path of a URL, for comparisons that ignore case of the host and default ports. */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname && x.search === y.search;
  } catch {
    return false;
  }
}

/** The config host whose origin the URL has. */
export function hostOfUrl(config: Config, url: string | undefined): Host | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return config.hosts.find((h) => new URL(h.url).origin === origin);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// environment

export interface EnvLookup {
  name: string;
  set: boolean;
  /** `environment`, or `file:line` of the secrets file that defines it. */
  source?: string;
  value?: string;
}

/** A variable Codex reads from its environment: the process environment first, then the secrets files (last wins). */
export function lookupEnv(context: Pick<ProbeContext, 'secrets'>, name: string, show: (file: string) => string): EnvLookup {
  const fromEnv = process.env[name];
  if (fromEnv) return { name, set: true, source: 'environment', value: fromEnv };
  const entry = context.secrets.findLast((e) => e.key === name && e.value);
  return entry ? { name, set: true, source: `${show(entry.file)}:${entry.line}`, value: entry.value } : { name, set: false };
}

/** The variables a server entry reads, each looked up as Codex would find it (see lookupEnv). */
export function lookupEntryEnv(context: Pick<ProbeContext, 'secrets'>, entry: TomlTable | undefined, show: (file: string) => string): EnvLookup[] {
  return entryEnvVarNames(entry).map((name) => lookupEnv(context, name, show));
}

// ---------------------------------------------------------------------------------------------
// DNS: a proxy at the host's resolveTo address

/**
 * Codex resolves the MCP URL's hostname through DNS; it has no `--resolve`. For an http URL whose
 * host has a `resolveTo` address in proofbook.config.yaml, Proofbook sets `HTTP_PROXY` for the codex
 * process to `http://<resolveTo>:<port>`: Codex then sends the request in absolute form
 * (`POST http://litellm.linuxserver.lan:18080/mcp/`) to that address — the host's own entrypoint —
 * and Traefik routes it by its Host, exactly as after a DNS lookup. `NO_PROXY` keeps loopback (the
 * model) direct. https URLs would need CONNECT, which Traefik does not do: no proxy is set for them.
 */
export function proxyFor(
  config: Config,
  url: string | undefined,
  option: string,
): { proxy?: string; reason: string } {
  if (option === 'none') return { reason: 'proxy: none (Codex resolves the hostname through DNS)' };
  if (option !== 'auto') return { proxy: option, reason: `proxy ${option} (probes option proxy)` };
  const host = hostOfUrl(config, url);
  if (!url || !host?.resolveTo) return { reason: 'no resolveTo for the URL\'s host: Codex resolves it through DNS' };
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') return { reason: `${host.name} is https: Codex resolves it through DNS (no proxy for CONNECT)` };
  const port = parsed.port || '80';
  return {
    proxy: `http://${host.resolveTo}:${port}`,
    reason: `hosts.${host.name}.resolveTo: HTTP_PROXY=http://${host.resolveTo}:${port}, so Codex reaches ${parsed.host} at ${host.resolveTo}:${port} without DNS`,
  };
}

// ---------------------------------------------------------------------------------------------
// the codex binary

/** How to start codex: the file to execute and the arguments before Codex's own. */
export function codexCommand(codexBin?: string): { file: string; prefix: string[] } {
  if (codexBin) return { file: codexBin, prefix: [] };
  const entry = createRequire(import.meta.url).resolve('@openai/codex/bin/codex.js');
  // The package's entry is a node script that execs the platform binary.
  return { file: process.execPath, prefix: [entry] };
}

/** A codex run as the evidence keeps it. */
export type CodexRun = ClientRun;

export async function runCodex(options: {
  codexBin?: string;
  /** Run through this (e.g. `unshare … sh -c …`), the executable and args appended. */
  wrapper?: string[];
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  signal: AbortSignal;
  timeoutMs: number;
}): Promise<CodexRun> {
  const command = codexCommand(options.codexBin);
  const [file, ...prefix] = [...(options.wrapper ?? []), command.file, ...command.prefix];
  const cwd = options.cwd && existsSync(options.cwd) ? options.cwd : undefined;
  return runClientCommand({ ...options, shown: 'codex', file: file!, args: [...prefix, ...options.args], shownArgs: options.args, cwd });
}

/** The environment for codex: ours, with CODEX_HOME set. */
export function codexEnv(codexHome: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...process.env, CODEX_HOME: codexHome, ...extra };
}

/** stderr without Codex's noise: the /tmp helper-binary warning, "Reading additional input", stack frames. */
export function stderrLines(stderr: string): string[] {
  const lines: string[] = [];
  let inBacktrace = false;
  for (const raw of stderr.split('\n')) {
    const line = raw.trimEnd();
    if (!line) continue;
    if (line === 'Stack backtrace:') {
      inBacktrace = true;
      continue;
    }
    if (inBacktrace && /^\s+(\d+:|at )/.test(line)) continue;
    inBacktrace = false;
    if (line.startsWith('WARNING: proceeding, even though we could not create PATH aliases')) continue;
    if (line === 'Reading additional input from stdin...') continue;
    lines.push(line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line);
  }
  return lines;
}

/** The first `Error: …` line Codex printed, or its last stderr line. */
export function codexError(stderr: string): string | undefined {
  const lines = stderrLines(stderr);
  const error = lines.find((l) => l.startsWith('Error')) ?? lines.findLast((l) => / ERROR /.test(l)) ?? lines.at(-1);
  return error?.replace(/^\S+Z\s+ERROR\s+/, '');
}

/** `codex --version` → `0.169.0`. */
export async function codexVersion(codexBin: string | undefined, signal: AbortSignal): Promise<{ version?: string; raw: string; error?: string }> {
  const run = await runCodex({ codexBin, args: ['--version'], env: { ...process.env }, signal, timeoutMs: 10_000 });
  const raw = run.stdout.trim();
  const match = /(\d+\.\d+\.\d+)/.exec(raw);
  if (run.exitCode === 0 && match) return { version: match[1], raw };
  return { raw, error: run.startError ?? codexError(run.stderr) ?? `exit code ${run.exitCode ?? '?'}` };
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const d = (pa[k] ?? 0) - (pb[k] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let x = 1; x <= a.length; x++) {
    let previous = row[0]!;
    row[0] = x;
    for (let y = 1; y <= b.length; y++) {
      const current = row[y]!;
      row[y] = Math.min(row[y]! + 1, row[y - 1]! + 1, previous + (a[x - 1] === b[y - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
