/** What `traefik.labels` records as its facts: the shape its probe writes and its renderer reads. */
import type { LabelSource } from '../../gateway/compose-labels.ts';
import type { Finding } from '../types.ts';

export interface TraefikRouterFact {
  name: string;
  rule?: string;
  entryPoints: string[];
  tls: boolean;
  certResolver?: string;
  service?: string;
  servicePort?: number;
  priority?: number;
  middlewares: string[];
  line: number;
}

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
  enabled: boolean;
  network?: string;
  hosts: TraefikHostFact[];
  services: { name: string; port?: number; line: number }[];
  findings: Finding[];
}
