/**
 * Proofbook's one HTTP client. Every probe and the lab's readiness checks use it, so that
 * the config's `resolveTo` (a per-hostname address, like curl's --resolve) and `caFile`
 * apply everywhere and nothing has to edit /etc/hosts.
 *
 * A fetch on node:http/https (./node-fetch.ts), not on the undici package: Node's own fetch
 * cannot be given a lookup or a CA without undici's Agent, and that package alone is ~15 MB of
 * every probe run's RSS (bench/probes, memory rows), for what node:http does with two options.
 */
import { readFileSync } from 'node:fs';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { nodeFetch } from './node-fetch.ts';

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

  // One keep-alive agent per scheme and CA file, made on first use (as undici's Agent pooled
  // connections); node:https is loaded only for an https URL (TLS is ~6 MB of RSS).
  const agents = new Map<string, http.Agent>();
  const agentFor = (url: URL): http.Agent => {
    const tls = url.protocol === 'https:';
    const caFile = tls ? overrides.get(url.hostname)?.caFile : undefined;
    const key = `${url.protocol}${caFile ?? ''}`;
    let agent = agents.get(key);
    if (!agent) {
      const ca = caFile ? readFileSync(caFile, 'utf8') : undefined;
      agent = tls ? new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true, lookup, ...(ca ? { ca } : {}) }) : new http.Agent({ keepAlive: true, lookup });
      agents.set(key, agent);
    }
    return agent;
  };

  return {
    fetch: (input, init) => nodeFetch(input, init, agentFor),
    async close() {
      for (const agent of agents.values()) agent.destroy();
    },
  };
}
