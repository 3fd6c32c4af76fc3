/**
 * Reads Traefik labels from a docker-compose file, keeping the line of each label so
 * that every finding about routing can point at `file:line`.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface Label {
  service: string;
  key: string;
  value: string;
  file: string;
  line: number;
}

export interface TraefikRouter {
  name: string;
  rule?: string;
  entryPoints: string[];
  tls: boolean;
  certResolver?: string;
  service?: string;
  /** Line of the router's first label. */
  line: number;
}

export interface TraefikService {
  name: string;
  port?: number;
  line: number;
}

export interface ComposeRouting {
  file: string;
  /** Compose service that carries the labels (e.g. `litellm`). */
  composeService: string;
  enabled: boolean;
  network?: string;
  routers: TraefikRouter[];
  services: TraefikService[];
  labels: Label[];
}

export class ComposeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeError';
  }
}

export async function readComposeLabels(file: string): Promise<Label[]> {
  const text = await readFile(file, 'utf8');
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    const problem = document.errors[0]!;
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    throw new ComposeError(`${file}:${line}:${col}: invalid YAML: ${problem.message.split('\n')[0]}`);
  }
  const services = document.get('services', true);
  if (!isMap(services)) throw new ComposeError(`${file}:1: no \`services:\` map; is this a docker-compose file?`);

  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const labels: Label[] = [];
  for (const pair of services.items) {
    const service = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const labelsNode = isMap(pair.value) ? pair.value.get('labels', true) : undefined;
    if (isSeq(labelsNode)) {
      // List form: "- traefik.http.routers.x.rule=Host(`h`)"
      for (const item of labelsNode.items) {
        if (!isScalar(item)) continue;
        const text = String(item.value);
        const eq = text.indexOf('=');
        if (eq < 0) continue;
        labels.push({ service, key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim(), file, line: lineOf(item) });
      }
    } else if (isMap(labelsNode)) {
      // Map form: "traefik.http.routers.x.rule: Host(`h`)"
      for (const item of labelsNode.items) {
        if (!isScalar(item.key)) continue;
        labels.push({
          service,
          key: String(item.key.value),
          value: String(isScalar(item.value) ? item.value.value : ''),
          file,
          line: lineOf(item.key as Node),
        });
      }
    }
  }
  return labels;
}

/** Groups the Traefik labels of one compose service into routers and services. */
export function toRouting(labels: Label[], composeService: string, file: string): ComposeRouting {
  const own = labels.filter((l) => l.service === composeService && l.key.startsWith('traefik.'));
  const routers = new Map<string, TraefikRouter>();
  const services = new Map<string, TraefikService>();
  let enabled = false;
  let network: string | undefined;

  for (const label of own) {
    const parts = label.key.split('.');
    if (label.key === 'traefik.enable') enabled = label.value === 'true';
    else if (label.key === 'traefik.docker.network') network = label.value;
    else if (parts[1] === 'http' && parts[2] === 'routers' && parts[3]) {
      const router = routers.get(parts[3]) ?? { name: parts[3], entryPoints: [], tls: false, line: label.line };
      routers.set(parts[3], router);
      const field = parts.slice(4).join('.');
      if (field === 'rule') router.rule = label.value;
      else if (field === 'entrypoints') router.entryPoints = label.value.split(',').map((s) => s.trim());
      else if (field === 'tls') router.tls = label.value === 'true';
      else if (field === 'tls.certresolver') {
        router.tls = true;
        router.certResolver = label.value;
      } else if (field === 'service') router.service = label.value;
    } else if (parts[1] === 'http' && parts[2] === 'services' && parts[3]) {
      const service = services.get(parts[3]) ?? { name: parts[3], line: label.line };
      services.set(parts[3], service);
      if (parts.slice(4).join('.') === 'loadbalancer.server.port') service.port = Number(label.value);
    }
  }
  // Like Traefik's Docker provider: a router without `service=` uses the only service there is.
  if (services.size === 1) {
    const [only] = services.keys();
    for (const router of routers.values()) router.service ??= only;
  }
  return { file, composeService, enabled, network, routers: [...routers.values()], services: [...services.values()], labels: own };
}

/** Hostnames named by `Host(...)` matchers in a rule, e.g. Host(`a`) || Host(`b`, `c`). */
export function hostsInRule(rule: string): string[] {
  const hosts: string[] = [];
  for (const match of rule.matchAll(/Host\(([^)]*)\)/g)) {
    for (const quoted of match[1]!.matchAll(/[`"']([^`"']+)[`"']/g)) hosts.push(quoted[1]!);
  }
  return hosts;
}
