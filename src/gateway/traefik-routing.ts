/**
 * Groups the Traefik labels of one compose service into routers, services and middlewares, the
 * way Traefik's Docker provider reads them, keeping the line of every label.
 */
import type { Label } from './label-source.ts';

export interface TraefikRouter {
  name: string;
  rule?: string;
  entryPoints: string[];
  tls: boolean;
  certResolver?: string;
  service?: string;
  /** Line of the router's first label. */
  line: number;
  /** Compose service whose labels declare the router. */
  composeService: string;
  /** True when `service` comes from a `service=` label, false when it is implied. */
  serviceFromLabel: boolean;
  priority?: number;
  /** The `priority=` label as written (set even when it is not a number). */
  priorityRaw?: string;
  middlewares: string[];
  /** The router's `rulesyntax=` label (`v2` or `v3`), if any. */
  ruleSyntax?: string;
  /** Line of each of the router's labels by field, e.g. `{rule: 16, entrypoints: 17}`. */
  lines: Record<string, number>;
}

export interface TraefikService {
  name: string;
  port?: number;
  line: number;
  composeService: string;
  /** The `loadbalancer.server.port` label as written (set even when it is not a number). */
  portRaw?: string;
  portLine?: number;
}

export interface TraefikMiddleware {
  name: string;
  line: number;
  composeService: string;
}

export interface ComposeRouting {
  file: string;
  /** Compose service that carries the labels (e.g. `litellm`). */
  composeService: string;
  enabled: boolean;
  /** The `traefik.enable` label as written, and its line. */
  enableRaw?: string;
  enableLine?: number;
  network?: string;
  networkLine?: number;
  routers: TraefikRouter[];
  services: TraefikService[];
  middlewares: TraefikMiddleware[];
  labels: Label[];
}

/** Groups the Traefik labels of one compose service into routers, services and middlewares. */
export function toRouting(labels: Label[], composeService: string, file: string): ComposeRouting {
  const own = labels.filter((l) => l.service === composeService && l.key.toLowerCase().startsWith('traefik.'));
  const routers = new Map<string, TraefikRouter>();
  const services = new Map<string, TraefikService>();
  const middlewares = new Map<string, TraefikMiddleware>();
  const routing: ComposeRouting = { file, composeService, enabled: false, routers: [], services: [], middlewares: [], labels: own };
  const tlsLabel = new Map<string, boolean>();

  for (const label of own) {
    // Traefik matches label field names case-insensitively; router/service names keep their case.
    const parts = label.key.split('.');
    const lower = parts.map((p) => p.toLowerCase());
    const name = parts[3];
    const field = lower.slice(4).join('.');
    if (lower.join('.') === 'traefik.enable') {
      routing.enableRaw = label.value;
      routing.enableLine = label.line;
      routing.enabled = label.value.trim().toLowerCase() === 'true';
    } else if (lower.join('.') === 'traefik.docker.network') {
      routing.network = label.value;
      routing.networkLine = label.line;
    } else if (lower[1] === 'http' && lower[2] === 'routers' && name) {
      let router = routers.get(name);
      if (!router) {
        router = { name, entryPoints: [], tls: false, line: label.line, composeService, serviceFromLabel: false, middlewares: [], lines: {} };
        routers.set(name, router);
      }
      router.lines[field] = label.line;
      const list = () => label.value.split(',').map((s) => s.trim()).filter(Boolean);
      if (field === 'rule') router.rule = label.value;
      else if (field === 'entrypoints') router.entryPoints = list();
      else if (field === 'tls') tlsLabel.set(name, label.value.trim().toLowerCase() === 'true');
      else if (field.startsWith('tls.')) {
        router.tls = true;
        if (field === 'tls.certresolver') router.certResolver = label.value;
      } else if (field === 'service') {
        router.service = label.value;
        router.serviceFromLabel = true;
      } else if (field === 'priority') {
        router.priorityRaw = label.value;
        router.priority = /^-?\d+$/.test(label.value.trim()) ? Number(label.value) : undefined;
      } else if (field === 'middlewares') router.middlewares = list();
      else if (field === 'rulesyntax') router.ruleSyntax = label.value.trim();
    } else if (lower[1] === 'http' && lower[2] === 'services' && name) {
      const service = services.get(name) ?? { name, line: label.line, composeService };
      services.set(name, service);
      if (field === 'loadbalancer.server.port') {
        service.portRaw = label.value;
        service.portLine = label.line;
        service.port = /^\d+$/.test(label.value.trim()) ? Number(label.value) : undefined;
      }
    } else if (lower[1] === 'http' && lower[2] === 'middlewares' && name) {
      if (!middlewares.has(name)) middlewares.set(name, { name, line: label.line, composeService });
    }
  }
  for (const [name, on] of tlsLabel) if (on) routers.get(name)!.tls = true;
  // Like Traefik's Docker provider: a router without `service=` uses the only service there is.
  if (services.size === 1) {
    const [only] = services.keys();
    for (const router of routers.values()) router.service ??= only;
  }
  routing.routers = [...routers.values()];
  routing.services = [...services.values()];
  routing.middlewares = [...middlewares.values()];
  return routing;
}
