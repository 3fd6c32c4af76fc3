/** What `gateway.auth` records as its facts: the shape its probe writes and its renderer reads. */
import type { Finding } from '../types.ts';

/** How the gateway treated a request without a valid key. */
export type AuthOutcome = 'refused' | 'refused-misleading' | 'accepted' | 'listed' | 'unreachable';

export interface AuthAttemptFact {
  status?: number;
  outcome: AuthOutcome;
  /** First line of the error body (redacted), e.g. "MCP request failed". */
  reason?: string;
  /** Tools the answer listed (only when it listed some). */
  tools?: number;
  /** Connection-level failure. */
  error?: string;
  /** Set when Traefik, not LiteLLM, refused it: no router matches a request without the key header. */
  refusedBy?: 'traefik';
}

export interface AuthCheckFact {
  host: string;
  external: boolean;
  endpoint: 'mcp' | 'rest';
  path: string;
  url: string;
  noKey: AuthAttemptFact;
  wrongKey: AuthAttemptFact;
  verdict: 'pass' | 'warn' | 'fail';
}

export interface ValidKeyFact {
  host: string;
  url: string;
  status?: number;
  ok: boolean;
  tools?: number;
  reason?: string;
  error?: string;
}

export interface GatewayAuthFacts {
  keyHeader: string;
  keyEnvVar: string;
  /** Where the configured key came from (never its value). */
  keySource?: string;
  checks: AuthCheckFact[];
  validKey: ValidKeyFact[];
  findings: Finding[];
}
