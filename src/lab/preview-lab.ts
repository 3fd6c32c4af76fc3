/**
 * A second lab beside the first, for an upgrade preview: the same `config.yaml`, compose labels,
 * client files and probe options, another LiteLLM version, other loopback ports and its own
 * runtime folder (`<runtimeDir>-preview-<version>`), so the team's lab keeps running untouched.
 *
 * The workspace config is re-pointed, not re-written: every value that names the first lab — a
 * path in its runtime folder (secrets, certificates, client homes), a loopback port of it (host
 * URLs' entrypoints, the Traefik API, Open WebUI) — names the second lab's instead, and the
 * evidence goes under `<evaluation>/upgrade-preview/<version>/`. What the team deploys stays as it
 * is: `lab.litellmPort` (the labels' service port, which `traefik.labels` checks) is kept, and
 * LiteLLM listens elsewhere (`labUp`'s `litellmPort`).
 */
import path from 'node:path';
import type { Config } from '../probes/config.ts';
import { previewDir } from '../upgrade/preview.ts';
import { labDown, labUp, type LabInfo } from './lab.ts';
import { freePort } from './postgres.ts';
import type { Log } from './toolchain.ts';
import { hostPort } from './traefik-config.ts';

export interface PreviewLab {
  version: string;
  /** The config the probes run with against the second lab. */
  config: Config;
  /** Where the second lab's LiteLLM listens. */
  litellmPort: number;
  /** First lab's port → second lab's, for every port moved. */
  ports: Map<number, number>;
  /** Maps the second lab's text (ports, runtime folder) back onto the first's, to compare findings. */
  normalise(text: string): string;
}

/** The second lab's runtime folder for `version`, beside the first's. */
export function previewRuntimeDir(config: Config, version: string): string {
  return `${config.lab.runtimeDir}-preview-${version}`;
}

/** The config of a second lab running LiteLLM `version`, on free loopback ports. */
export async function previewLab(config: Config, version: string): Promise<PreviewLab> {
  const ports = new Map<number, number>();
  const move = async (port: number | undefined) => {
    if (port === undefined) return undefined;
    if (!ports.has(port)) ports.set(port, await freePort());
    return ports.get(port)!;
  };
  for (const host of config.hosts) await move(hostPort(host.url));
  await move(config.lab.traefikApiPort);
  await move(config.lab.openwebuiPort);
  const litellmPort = await freePort();

  const from = config.lab.runtimeDir;
  const to = previewRuntimeDir(config, version);
  const relativeFrom = path.relative(config.rootDir, from);
  const relativeTo = path.relative(config.rootDir, to);
  const local = new Set(['127.0.0.1', 'localhost', ...config.hosts.map((h) => new URL(h.url).hostname)]);
  const repoint = (value: string): string => {
    if (value === from || value.startsWith(`${from}${path.sep}`)) return to + value.slice(from.length);
    if (value === relativeFrom || value.startsWith(`${relativeFrom}/`)) return relativeTo + value.slice(relativeFrom.length);
    return movePort(value, ports, local);
  };
  const hosts = config.hosts.map((host) => ({ ...host, url: movePort(host.url, ports, local), ...(host.caFile ? { caFile: repoint(host.caFile) } : {}) }));
  const previewConfig: Config = {
    ...(mapStrings(config, repoint) as Config),
    hosts,
    evaluationDir: previewDir(config.evaluationDir, version),
    runbooks: config.runbooks,
    lab: {
      ...config.lab,
      litellmVersion: version,
      runtimeDir: to,
      filesystemRoot: repoint(config.lab.filesystemRoot),
      traefikApiPort: ports.get(config.lab.traefikApiPort)!,
      ...(config.lab.openwebuiPort ? { openwebuiPort: ports.get(config.lab.openwebuiPort)! } : {}),
    } as Config['lab'],
    hostByName(name: string) {
      config.hostByName(name); // the same error for an unknown name
      return hosts.find((h) => h.name === name)!;
    },
  };
  const back = [...ports].map(([first, second]) => [`:${second}`, `:${first}`] as const);
  const normalise = (text: string) => {
    let out = text.split(to).join(from).split(relativeTo).join(relativeFrom);
    for (const [second, first] of back) out = out.replace(new RegExp(`${second}(?!\\d)`, 'g'), first);
    return out;
  };
  return { version, config: previewConfig, litellmPort, ports, normalise };
}

export function previewLabUp(preview: PreviewLab, log: Log): Promise<LabInfo> {
  return labUp(preview.config, log, { litellmPort: preview.litellmPort });
}

export function previewLabDown(preview: PreviewLab): Promise<string[]> {
  return labDown(preview.config);
}

/** An http(s) URL of a lab host or loopback on one of the moved ports gets the second lab's port (a host's, Open WebUI's, the Traefik API's). */
function movePort(value: string, ports: Map<number, number>, hostnames: Set<string>): string {
  if (!/^https?:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  const moved = ports.get(hostPort(value));
  if (moved === undefined || !hostnames.has(url.hostname)) return value;
  url.port = String(moved);
  // URL adds a trailing slash to a bare origin: keep the value's own form.
  const text = url.toString();
  return !value.endsWith('/') && text.endsWith('/') && url.pathname === '/' ? text.slice(0, -1) : text;
}

/** A deep copy with every string passed through `map` (functions and other values kept). */
function mapStrings(value: unknown, map: (value: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}
