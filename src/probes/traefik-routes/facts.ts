/** What `traefik.routes` records as its facts: the shape its probe writes and its renderer reads. */
import type { Finding } from '../types.ts';

export interface RouteRouterFact {
  /** As Traefik names it, e.g. `litellm-lan@file` (`@docker` with the Docker provider). */
  name: string;
  rule: string;
  status: string;
  entryPoints: string[];
  tls: boolean;
  service?: string;
  /** The service's server URLs, as Traefik's API lists them. */
  servers: string[];
  errors: string[];
}

export interface RouteCertificateFact {
  subject: string;
  issuer: string;
  san: string[];
  validFrom: string;
  validTo: string;
  /** The SANs cover the hostname. */
  matchesHost: boolean;
  /** The chain verifies against the host's `caFile` (or the system CAs). */
  trusted: boolean;
  /** Node's verification error code, e.g. `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`. */
  verifyError?: string;
  state: 'valid' | 'expiring' | 'expired' | 'not-yet-valid';
}

export interface RouteHostFact {
  host: string;
  url: string;
  hostname: string;
  /** Traefik routers whose rule names the hostname. */
  routers: RouteRouterFact[];
  /** The router the compose labels declare for the hostname, when the file names one. */
  declared?: { router: string; file: string; line: number };
  request: {
    url: string;
    status?: number;
    ok: boolean;
    error?: string;
    reason?: string;
    /** On Traefik's 404: each of the host's routers and the part of its rule the request did not match. */
    unmatched?: { router: string; needs: string }[];
  };
  certificate?: RouteCertificateFact;
  certificateError?: string;
  ok: boolean;
}

export interface TraefikRoutesFacts {
  apiUrl: string;
  /** Whether the route requests carried the gateway key (`Authorization: Bearer`, as clients send it), and from which variable. */
  keySent?: boolean;
  keyEnvVar?: string;
  apiOk: boolean;
  apiError?: string;
  hosts: RouteHostFact[];
  findings: Finding[];
}
