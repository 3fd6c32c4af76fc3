/**
 * What the running Traefik says it routes: its routers and services from the API
 * (`/api/http/routers`, `/api/http/services`), and which of them name a host.
 */
import { hostsInRule, parseRule, ruleNamesHost } from '../../gateway/traefik-rules.ts';
import { bodyReason, listText, requestSignal } from '../kit/live-http.ts';
import type { RecordingFetch } from '../kit/recording-fetch.ts';
import type { ProbeContext } from '../types.ts';
import type { RouteRouterFact } from './facts.ts';

export interface ApiRouter {
  name: string;
  rule?: string;
  status?: string;
  entryPoints?: string[];
  service?: string;
  provider?: string;
  tls?: unknown;
  error?: string | string[];
  ruleSyntax?: string;
}

export interface ApiService {
  name: string;
  loadBalancer?: { servers?: { url?: string; address?: string }[] };
}

export interface TraefikApi {
  routers: ApiRouter[];
  /** By name (`litellm@docker`). */
  services: Map<string, ApiService>;
}

/** Traefik's routers and services; throws when the routers cannot be read (the services are optional). */
export async function readTraefikApi(apiBase: string, fetch: RecordingFetch['fetch'], context: ProbeContext, timeoutMs: number): Promise<TraefikApi> {
  const response = await fetch(`${apiBase}/api/http/routers`, { signal: requestSignal(context, timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}${bodyReason(text) ? ` ${bodyReason(text)}` : ''}`);
  const routers = JSON.parse(text) as ApiRouter[];
  if (!Array.isArray(routers)) throw new Error('the answer is not a list of routers');
  return { routers, services: await readServices(`${apiBase}/api/http/services`, fetch, context, timeoutMs) };
}

async function readServices(url: string, fetch: RecordingFetch['fetch'], context: ProbeContext, timeoutMs: number): Promise<Map<string, ApiService>> {
  try {
    const response = await fetch(url, { signal: requestSignal(context, timeoutMs) });
    if (!response.ok) return new Map();
    const list = (await response.json()) as ApiService[];
    return new Map(Array.isArray(list) ? list.map((s) => [s.name, s]) : []);
  } catch {
    return new Map(); // only used to name the backend in a 502 message
  }
}

/** Whether a router's rule names `hostname` (its own rule syntax; a rule that does not parse by its Host(…) texts). */
export function namesHost(router: ApiRouter, hostname: string): boolean {
  if (!router.rule) return false;
  const syntax = router.ruleSyntax === 'v2' ? 'v2' : 'v3';
  try {
    return ruleNamesHost(parseRule(router.rule), hostname, syntax);
  } catch {
    return hostsInRule(router.rule).some((h) => h.toLowerCase() === hostname.toLowerCase());
  }
}

export function routerFact(router: ApiRouter, services: Map<string, ApiService>): RouteRouterFact {
  const provider = router.provider ?? router.name.split('@')[1];
  const serviceName = router.service && !router.service.includes('@') && provider ? `${router.service}@${provider}` : router.service;
  const service = serviceName ? services.get(serviceName) : undefined;
  const errors = router.error === undefined ? [] : Array.isArray(router.error) ? router.error : [router.error];
  return {
    name: router.name,
    rule: router.rule ?? '',
    status: router.status ?? 'unknown',
    entryPoints: [...(router.entryPoints ?? [])].sort(),
    tls: router.tls !== undefined && router.tls !== null,
    ...(serviceName ? { service: serviceName } : {}),
    servers: (service?.loadBalancer?.servers ?? []).map((s) => s.url ?? s.address ?? '').filter(Boolean).sort(),
    errors: errors.map(String),
  };
}

/** The routers Traefik has besides its internal ones, for a message. */
export function routerNames(routers: ApiRouter[]): string {
  const names = routers.filter((r) => r.provider !== 'internal').map((r) => r.name);
  return names.length ? `only ${listText(names)}` : 'no routers besides its internal ones';
}
