/** What `traefik.labels` records: the routing it found per host, LiteLLM's services and the findings. */
import type { Label, LabelSource } from '../../gateway/label-source.ts';
import type { TraefikRouter } from '../../gateway/traefik-routing.ts';
import type { Finding } from '../../model/findings.ts';

/** A router as the labels declare it, with the port of the service it sends to. */
export type TraefikRouterFact = Pick<
  TraefikRouter,
  'name' | 'rule' | 'entryPoints' | 'tls' | 'certResolver' | 'service' | 'priority' | 'middlewares' | 'line'
> & { servicePort?: number };

export interface TraefikHostFact {
  host: string;
  url: string;
  /** Entrypoint the URL's scheme calls for. */
  entryPoint: string;
  routers: TraefikRouterFact[];
  ok: boolean;
}

export interface TraefikLabelsFacts {
  /** The compose file or script, relative to the config folder when inside it. */
  file: string;
  format: LabelSource['format'];
  composeService?: string;
  litellmPort: number;
  /** The variable the reproduce commands send the key from (`gateway.keyEnvVar`). */
  keyEnvVar?: string;
  enabled: boolean;
  network?: string;
  hosts: TraefikHostFact[];
  services: { name: string; port?: number; line: number }[];
  findings: Finding[];
}

export interface HostLike {
  name: string;
  url: string;
}

export interface TraefikLabelsAnalysis {
  findings: Finding[];
  facts: TraefikLabelsFacts;
  /** Every label of the file, secret values redacted. */
  labels: Label[];
}
