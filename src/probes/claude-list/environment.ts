/**
 * What Claude Code needs from its environment to reach the gateway as the team's `.mcp.json`
 * says: the `${VAR}`s the file reads (Claude Code expands them from its environment), the CA of a
 * host with a private certificate, and — where this machine's DNS has no answer for a host's name
 * — a way to the host's `resolveTo` address. The transcript shows where each came from, never a value.
 *
 * Host names with `resolveTo`: Claude Code resolves them itself. Best is a hosts file in a private
 * mount namespace (`unshare --mount`, bind-mounted over /etc/hosts for the claude process only):
 * every host, http and https, is then reached by its own name and port, as after a DNS lookup.
 * Without it (no `unshare`, no privilege for namespaces), an http host goes through HTTP_PROXY
 * at `http://<resolveTo>:<port>` — its own entrypoint, which routes the absolute-form request by
 * its Host — and an https host is out of reach (that would need CONNECT, which Traefik does not
 * do): its cell says so instead of scoring Claude Code's DNS error.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Host } from '../../config/schema.ts';
import type { Config } from '../config.ts';
import { displayPath } from '../kit/checks.ts';
import { referencesIn } from '../kit/client-shared.ts';
import type { ProbeContext } from '../types.ts';
import type { VariableSource } from './facts.ts';

export interface FileVariables {
  /** Name → value, for the claude process. */
  values: Record<string, string>;
  /** Where each came from, for the transcript and facts (a list: a map keyed by a name like *_KEY would be redacted whole). */
  sources: VariableSource[];
  /** Names with no value (and no `:-default`). */
  unset: string[];
}

/** The `${VAR}` / `${VAR:-default}` names anywhere in the parsed file, in order of first use. */
export function referencedVariables(value: unknown): { name: string; hasDefault: boolean }[] {
  const found = new Map<string, boolean>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const ref of referencesIn(node)) if (ref.kind === 'var') found.set(ref.name, (found.get(ref.name) ?? false) || ref.fallback !== undefined);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(value);
  return [...found].map(([name, hasDefault]) => ({ name, hasDefault }));
}

/** Each variable's value: from the environment, else the secrets files (last wins); `mapping` names another variable to read. */
export function fileVariables(
  referenced: { name: string; hasDefault: boolean }[],
  mapping: Record<string, string>,
  context: Pick<ProbeContext, 'secrets'>,
  show: (file: string) => string,
): FileVariables {
  const result: FileVariables = { values: {}, sources: [], unset: [] };
  for (const { name, hasDefault } of referenced) {
    const from = mapping[name] ?? name;
    const via = from === name ? '' : `${from} in `;
    const fromEnv = process.env[from];
    const entry = fromEnv ? undefined : context.secrets.findLast((e) => e.key === from && e.value);
    if (fromEnv) {
      result.values[name] = fromEnv;
      result.sources.push({ name, source: `(set, from ${via}the environment)` });
    } else if (entry) {
      result.values[name] = entry.value;
      result.sources.push({ name, source: `(set, from ${via}${show(entry.file)}:${entry.line})` });
    } else {
      result.sources.push({ name, source: hasDefault ? '(not set: its default applies)' : `(not set${from === name ? '' : `: ${from} is not set either`})` });
      if (!hasDefault) result.unset.push(name);
    }
  }
  return result;
}

export interface Resolution {
  /** Run claude through this (the mount namespace), when set. */
  wrapper?: string[];
  /** Variables for the claude process (HTTP_PROXY, NODE_EXTRA_CA_CERTS …). */
  env: Record<string, string>;
  /** The same as the transcript shows them (a CA bundle by what it holds). */
  shownEnv: Record<string, string>;
  /** How the hosts' names were reached, in a sentence. */
  description: string;
  /** Host name → why Claude Code could not be pointed at its resolveTo. */
  unreachable: Record<string, string>;
}

/**
 * How Claude Code reaches `hosts` (those the file's servers use). `scratch`: a private folder for
 * the hosts file and a combined CA file.
 */
export async function resolutionFor(config: Config, hosts: Host[], mode: 'auto' | 'dns', scratch: string): Promise<Resolution> {
  const env: Record<string, string> = {};
  const shownEnv: Record<string, string> = {};
  const caFiles = [...new Set(hosts.filter((h) => h.caFile && h.url.startsWith('https:')).map((h) => path.resolve(config.rootDir, h.caFile!)))];
  if (caFiles.length) {
    // NODE_EXTRA_CA_CERTS names one file: the hosts' CAs, after any the environment already names.
    const inherited = process.env.NODE_EXTRA_CA_CERTS;
    const files = [...(inherited ? [inherited] : []), ...caFiles];
    const bundle = path.join(scratch, 'ca.pem');
    if (files.length > 1) await writeFile(bundle, (await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')))).join('\n'));
    env.NODE_EXTRA_CA_CERTS = files.length === 1 ? files[0]! : bundle;
    shownEnv.NODE_EXTRA_CA_CERTS = `(${inherited ? 'the environment\'s NODE_EXTRA_CA_CERTS, then ' : ''}${caFiles.map((f) => displayPath(config.rootDir, f)).join(', ')})`;
  }
  const redirected = hosts.filter((h) => h.resolveTo);
  if (mode === 'dns' || !redirected.length) return { env, shownEnv, description: 'DNS (as on a team member\'s machine)', unreachable: {} };

  const names = (list: Host[]) => list.map((h) => `${new URL(h.url).hostname} → ${h.resolveTo}`).join(', ');
  const hostsFile = path.join(scratch, 'hosts');
  const current = await readFile('/etc/hosts', 'utf8').catch(() => '127.0.0.1 localhost\n');
  await writeFile(hostsFile, `${current.trimEnd()}\n# proofbook: hosts.*.resolveTo\n${redirected.map((h) => `${h.resolveTo} ${new URL(h.url).hostname}`).join('\n')}\n`);
  const wrapper = await mountNamespaceWrapper(hostsFile);
  if (wrapper) return { wrapper, env, shownEnv, description: `a hosts file in a private mount namespace: ${names(redirected)} (hosts.*.resolveTo)`, unreachable: {} };

  const unreachable: Record<string, string> = {};
  const http = redirected.filter((h) => h.url.startsWith('http:'));
  const proxied = http[0];
  if (proxied) {
    const proxy = `http://${proxied.resolveTo}:${new URL(proxied.url).port || '80'}`;
    const noProxy = '127.0.0.1,localhost,::1';
    Object.assign(env, { HTTP_PROXY: proxy, http_proxy: proxy, NO_PROXY: noProxy, no_proxy: noProxy });
    Object.assign(shownEnv, { HTTP_PROXY: proxy, NO_PROXY: noProxy });
  }
  for (const host of redirected) {
    if (host === proxied) continue;
    unreachable[host.name] = host.url.startsWith('https:')
      ? `Claude Code cannot be pointed at hosts.${host.name}.resolveTo here: no private mount namespace for a hosts file, and an https proxy needs CONNECT, which Traefik does not do`
      : `Claude Code cannot be pointed at hosts.${host.name}.resolveTo here: no private mount namespace, and HTTP_PROXY already serves hosts.${proxied!.name}`;
  }
  const description = proxied
    ? `HTTP_PROXY=${env.HTTP_PROXY} for ${new URL(proxied.url).hostname} (hosts.${proxied.name}.resolveTo; no private mount namespace here)`
    : 'DNS (no private mount namespace here for hosts.*.resolveTo)';
  return { env, shownEnv, description, unreachable };
}

/** `unshare` with a hosts file bind-mounted over /etc/hosts, when this machine allows it (checked once). */
let namespaceCheck: Promise<boolean> | undefined;

async function mountNamespaceWrapper(hostsFile: string): Promise<string[] | undefined> {
  const wrapper = [
    'unshare', '--mount', ...(process.getuid?.() === 0 ? [] : ['--map-root-user']), '--propagation', 'private', '--',
    'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile,
  ];
  namespaceCheck ??= new Promise((resolve) => {
    execFile(wrapper[0]!, [...wrapper.slice(1), 'true'], { timeout: 10_000 }, (error) => resolve(!error));
  });
  return (await namespaceCheck) ? wrapper : undefined;
}
