/**
 * How a client process (Claude Code, Codex) reaches the config's hosts by name when this machine's
 * DNS has no answer for them: the hosts' `resolveTo` addresses and `caFile`s, applied to the client
 * process only.
 *
 * Best is a hosts file in a private mount namespace (`unshare --mount`, bind-mounted over
 * /etc/hosts for that process only): every host, http and https, is then reached by its own name
 * and port, as after a DNS lookup. Without it (no `unshare`, no privilege for namespaces), an http
 * host goes through HTTP_PROXY at `http://<resolveTo>:<port>` — its own entrypoint, which routes
 * the absolute-form request by its Host — and an https host is out of reach (that would need
 * CONNECT, which Traefik does not do): its cell says so instead of scoring the client's DNS error.
 *
 * A host's private CA is trusted the way the client reads trust: Node-based clients
 * (`NODE_EXTRA_CA_CERTS`, added to the built-in roots) or OpenSSL/rustls-style ones
 * (`SSL_CERT_FILE`, which replaces the system bundle: it gets the system bundle plus the CAs).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Host } from '../../config/schema.ts';
import type { Config } from '../config.ts';
import { displayPath } from './checks.ts';

/** Where a client reads extra CAs from. */
export type TrustStyle = 'node' | 'system';

/** The system CA bundle that `SSL_CERT_FILE` replaces (Debian's path unless the environment names one). */
const SYSTEM_BUNDLE = process.env.SSL_CERT_FILE ?? '/etc/ssl/certs/ca-certificates.crt';

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
 * How a client (`client`: its name in sentences) reaches `hosts`. `scratch`: a private folder for
 * the hosts file and a combined CA file.
 */
export async function resolutionFor(
  config: Config,
  hosts: Host[],
  mode: 'auto' | 'dns',
  scratch: string,
  { client = 'Claude Code', trust = 'node' }: { client?: string; trust?: TrustStyle } = {},
): Promise<Resolution> {
  const env: Record<string, string> = {};
  const shownEnv: Record<string, string> = {};
  const caFiles = [...new Set(hosts.filter((h) => h.caFile && h.url.startsWith('https:')).map((h) => path.resolve(config.rootDir, h.caFile!)))];
  if (caFiles.length) await trustCaFiles({ env, shownEnv }, caFiles, trust, scratch, (f) => displayPath(config.rootDir, f));
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
      ? `${client} cannot be pointed at hosts.${host.name}.resolveTo here: no private mount namespace for a hosts file, and an https proxy needs CONNECT, which Traefik does not do`
      : `${client} cannot be pointed at hosts.${host.name}.resolveTo here: no private mount namespace, and HTTP_PROXY already serves hosts.${proxied!.name}`;
  }
  const description = proxied
    ? `HTTP_PROXY=${env.HTTP_PROXY} for ${new URL(proxied.url).hostname} (hosts.${proxied.name}.resolveTo; no private mount namespace here)`
    : 'DNS (no private mount namespace here for hosts.*.resolveTo)';
  return { env, shownEnv, description, unreachable };
}

/** Makes the client trust `caFiles` besides what it trusts already; the transcript shows the files by name. */
async function trustCaFiles(
  into: { env: Record<string, string>; shownEnv: Record<string, string> },
  caFiles: string[],
  trust: TrustStyle,
  scratch: string,
  show: (file: string) => string,
): Promise<void> {
  // Both variables name one file: the hosts' CAs after what the environment (or the system) already trusts.
  const variable = trust === 'node' ? 'NODE_EXTRA_CA_CERTS' : 'SSL_CERT_FILE';
  const inherited = trust === 'node' ? process.env.NODE_EXTRA_CA_CERTS : SYSTEM_BUNDLE;
  const files = [...(inherited ? [inherited] : []), ...caFiles];
  const bundle = path.join(scratch, 'ca.pem');
  if (files.length > 1) await writeFile(bundle, (await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')))).join('\n'));
  into.env[variable] = files.length === 1 ? files[0]! : bundle;
  const before = !inherited ? '' : trust === 'node' ? 'the environment\'s NODE_EXTRA_CA_CERTS, then ' : `${inherited}, then `;
  into.shownEnv[variable] = `(${before}${caFiles.map(show).join(', ')})`;
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
