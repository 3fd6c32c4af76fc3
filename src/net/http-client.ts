/**
 * Proofbook's one HTTP client. Every probe and the lab's readiness checks use it, so that
 * the config's `resolveTo` (a per-hostname address, like curl's --resolve) and `caFile`
 * apply everywhere and nothing has to edit /etc/hosts.
 */
import { readFileSync } from 'node:fs';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

/** What the client needs of a configured host (the config's `hosts` entries have this shape). */
export interface Host {
  url: string;
  /** Address to connect to instead of asking DNS, like curl's `--resolve`. */
  resolveTo?: string;
  /** PEM file of an extra CA to trust for this host (absolute). */
  caFile?: string;
}

export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpClient {
  fetch: Fetch;
  close(): Promise<void>;
}

/** Builds a fetch that connects to `resolveTo` for each configured hostname and trusts its `caFile`. */
export function createHttpClient(hosts: Host[]): HttpClient {
  const overrides = new Map<string, Host>();
  for (const host of hosts) overrides.set(new URL(host.url).hostname, host);

  const lookup: LookupFunction = (hostname, options, callback) => {
    const address = overrides.get(hostname)?.resolveTo ?? (hostname === 'localhost' ? '127.0.0.1' : undefined);
    if (!address) {
      dnsLookup(hostname, options, callback as never); // unknown names resolve normally
      return;
    }
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  };

  const agents = new Map<string, Agent>();
  const agentFor = (url: URL): Agent => {
    const host = overrides.get(url.hostname);
    const key = host?.caFile ?? '';
    let agent = agents.get(key);
    if (!agent) {
      const ca = host?.caFile ? readFileSync(host.caFile, 'utf8') : undefined;
      agent = new Agent({ connect: { lookup, ...(ca ? { ca } : {}) } });
      agents.set(key, agent);
    }
    return agent;
  };

  const fetch: Fetch = (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    return undiciFetch(url, { ...(init as object), dispatcher: agentFor(url) }) as unknown as Promise<Response>;
  };

  return {
    fetch,
    async close() {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
    },
  };
}
