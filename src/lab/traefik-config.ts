/**
 * Turns the compose file's Traefik labels into Traefik's own config for the lab: there is
 * no Docker here, so the routers the labels declare are loaded through the file provider.
 *
 * Deliberate differences from the Docker provider, all forced by the offline lab:
 * - entrypoints listen on loopback at the port of the host URL that routes through them;
 * - a `certresolver` (ACME) cannot be reached, so TLS routers use the lab's own certificate;
 * - the service URL is `127.0.0.1:<label port>` instead of the container's address.
 */
import { stringify } from 'yaml';
import type { Host } from '../config/schema.ts';
import type { ComposeRouting } from '../gateway/traefik-routing.ts';
import { hostsInRule } from '../gateway/traefik-rules.ts';
import type { LabCertificates } from './certs.ts';

export interface TraefikFiles {
  staticConfig: string;
  dynamicConfig: string;
  /** Entrypoint name → loopback port. */
  entryPoints: Record<string, number>;
}

/** The port a host URL is served on: the Traefik entrypoint the lab listens on for it. */
export function hostPort(url: string): number {
  const parsed = new URL(url);
  return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
}

export function traefikConfigFromCompose(options: {
  routing: ComposeRouting;
  hosts: Host[];
  apiPort: number;
  dynamicConfigFile: string;
  certificates: LabCertificates;
  /**
   * Where LiteLLM really listens when not at the labels' service port: a second lab (an upgrade
   * preview) beside the first cannot take the same port, so its Traefik routes the labels' services there.
   */
  servicePort?: number;
}): TraefikFiles {
  const { routing, hosts, apiPort, certificates } = options;
  const entryPoints: Record<string, number> = {};
  for (const router of routing.routers) {
    const names = hostsInRule(router.rule ?? '');
    const host = hosts.find((h) => names.includes(new URL(h.url).hostname));
    if (!host) continue;
    const port = hostPort(host.url);
    for (const entryPoint of router.entryPoints) entryPoints[entryPoint] ??= port;
  }

  const staticConfig = {
    entryPoints: {
      ...Object.fromEntries(Object.entries(entryPoints).map(([name, port]) => [name, { address: `127.0.0.1:${port}` }])),
      traefik: { address: `127.0.0.1:${apiPort}` },
    },
    api: { insecure: true, dashboard: false },
    ping: { entryPoint: 'traefik' },
    providers: { file: { filename: options.dynamicConfigFile, watch: false } },
    log: { level: 'INFO' },
    global: { checkNewVersion: false, sendAnonymousUsage: false },
  };

  const routers = Object.fromEntries(
    routing.routers.map((router) => [
      router.name,
      {
        rule: router.rule,
        entryPoints: router.entryPoints,
        ...(router.service ? { service: router.service } : {}),
        ...(router.tls ? { tls: {} } : {}),
      },
    ]),
  );
  const services = Object.fromEntries(
    routing.services.map((service) => [
      service.name,
      { loadBalancer: { servers: [{ url: `http://127.0.0.1:${options.servicePort ?? service.port ?? 80}` }] } },
    ]),
  );
  const dynamicConfig = {
    http: { routers, services },
    tls: {
      certificates: [{ certFile: certificates.certFile, keyFile: certificates.keyFile }],
      stores: { default: { defaultCertificate: { certFile: certificates.certFile, keyFile: certificates.keyFile } } },
    },
  };
  return { staticConfig: stringify(staticConfig), dynamicConfig: stringify(dynamicConfig), entryPoints };
}
