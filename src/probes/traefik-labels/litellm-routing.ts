/**
 * LiteLLM's compose service as Traefik would route it: its labels grouped into routers and
 * services, the other services' routing (a router elsewhere may take LiteLLM's hosts), which hosts
 * each router serves and where each sends its requests. Every check reads from this.
 */
import type { ComposeServiceInfo, LabelSource } from '../../gateway/label-source.ts';
import { toRouting, type ComposeRouting, type TraefikRouter, type TraefikService } from '../../gateway/traefik-routing.ts';
import { ruleMatchesHost, ruleNamesHost, tryParseRule, type RuleNode } from '../../gateway/traefik-rules.ts';
import { servicesWithTraefikLabels, unitOf } from './compose-service.ts';
import type { HostLike, TraefikRouterFact } from './facts.ts';
import type { TraefikLabelsCheckOptions } from './options.ts';

/** Where a router sends its requests. */
export type Target =
  | { kind: 'litellm'; service: TraefikService }
  | { kind: 'implicit' }
  | { kind: 'ambiguous' }
  | { kind: 'other-provider'; ref: string }
  | { kind: 'other-container'; service: TraefikService }
  | { kind: 'unknown'; name: string };

/** One configured host and LiteLLM's routers that serve it. */
export interface HostRoute {
  host: HostLike;
  url: string;
  hostname: string;
  https: boolean;
  /** The entrypoint the URL's scheme calls for. */
  entryPoint: string;
  /** LiteLLM's routers whose rule serves the hostname. */
  routers: TraefikRouter[];
}

export class LiteLLMRouting {
  readonly source: LabelSource;
  /** LiteLLM's compose service. */
  readonly name: string;
  readonly hosts: HostLike[];
  readonly options: TraefikLabelsCheckOptions;
  readonly file: string;
  /** `container` or `compose service`, as findings name it. */
  readonly unit: string;
  readonly info: ComposeServiceInfo | undefined;
  /** Where findings about the service as a whole point: its `labels:` (or its name). */
  readonly serviceLine: number;
  /** LiteLLM's own Traefik labels, grouped. */
  readonly routing: ComposeRouting;
  /** The other services with Traefik labels. */
  readonly others: ComposeRouting[];
  private readonly trees = new Map<TraefikRouter, RuleNode | undefined>();

  constructor(source: LabelSource, name: string, hosts: HostLike[], options: TraefikLabelsCheckOptions) {
    this.source = source;
    this.name = name;
    this.hosts = hosts;
    this.options = options;
    this.file = source.file;
    this.unit = unitOf(source);
    this.info = source.services.find((s) => s.name === name);
    this.serviceLine = this.info?.labelsLine ?? this.info?.line ?? 1;
    this.routing = toRouting(source.labels, name, this.file);
    this.others = servicesWithTraefikLabels(source).filter((s) => s !== name).map((s) => toRouting(source.labels, s, this.file));
  }

  /** The router's own `rulesyntax`, else the configured one. */
  syntaxOf(router: TraefikRouter): 'v2' | 'v3' {
    return router.ruleSyntax === 'v2' || router.ruleSyntax === 'v3' ? router.ruleSyntax : this.options.ruleSyntax;
  }

  /** Whether the router's rule names `hostname` and can match it. */
  serves(router: TraefikRouter, hostname: string): boolean {
    if (router.rule === undefined) return false;
    if (!this.trees.has(router)) this.trees.set(router, tryParseRule(router.rule));
    const tree = this.trees.get(router);
    // A broken rule is still checked for the host it was meant for, so its other problems show too.
    if (!tree) return router.rule.toLowerCase().includes(hostname.toLowerCase());
    return ruleMatchesHost(tree, hostname, this.syntaxOf(router)) !== false && ruleNamesHost(tree, hostname, this.syntaxOf(router));
  }

  /** The names of the configured hosts the router serves. */
  hostsOf(router: TraefikRouter): string[] {
    return this.hosts.filter((h) => this.serves(router, hostnameOf(h))).map((h) => h.name);
  }

  /** The host, the entrypoint its scheme calls for, and LiteLLM's routers that serve it. */
  routeTo(host: HostLike, entryPoint: string): HostRoute {
    const hostname = hostnameOf(host);
    const routers = this.routing.routers.filter((r) => this.serves(r, hostname));
    return { host, url: host.url, hostname, https: new URL(host.url).protocol === 'https:', entryPoint, routers };
  }

  /** Routers of other services that serve the hostname too. */
  elsewhere(hostname: string): TraefikRouter[] {
    return this.others.flatMap((o) => o.routers.filter((r) => this.serves(r, hostname)));
  }

  targetOf(router: TraefikRouter): Target {
    const ref = router.service;
    if (!ref) return this.routing.services.length === 0 ? { kind: 'implicit' } : { kind: 'ambiguous' };
    const at = ref.indexOf('@');
    const name = at < 0 ? ref : ref.slice(0, at);
    if (at >= 0 && ref.slice(at + 1) !== 'docker') return { kind: 'other-provider', ref };
    const own = this.routing.services.find((s) => s.name === name);
    if (own) return { kind: 'litellm', service: own };
    const elsewhere = this.others.flatMap((o) => o.services).find((s) => s.name === name);
    if (elsewhere) return { kind: 'other-container', service: elsewhere };
    return { kind: 'unknown', name };
  }

  routerFact(router: TraefikRouter): TraefikRouterFact {
    const target = this.targetOf(router);
    const service = target.kind === 'litellm' || target.kind === 'other-container' ? target.service : undefined;
    return {
      name: router.name,
      rule: router.rule,
      entryPoints: router.entryPoints,
      tls: router.tls,
      certResolver: router.certResolver,
      service: router.service,
      servicePort: service?.port,
      priority: router.priority,
      middlewares: router.middlewares,
      line: router.line,
    };
  }
}

export function hostnameOf(host: HostLike): string {
  return new URL(host.url).hostname.toLowerCase();
}
