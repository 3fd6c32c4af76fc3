/** What `gateway.health` records as its facts: the shape its probe writes and its renderer reads. */
import type { Finding } from '../types.ts';

export interface HealthCheckFact {
  url: string;
  status?: number;
  ok: boolean;
  /** Connection-level failure (no HTTP answer). */
  error?: string;
  /** First line of an error body. */
  reason?: string;
}

export interface ReadinessFact extends HealthCheckFact {
  /** Readiness' `status` field, e.g. "healthy". */
  state?: string;
  /** Readiness' `db` field, e.g. "connected" or "Not connected". */
  db?: string;
}

export interface HealthHostFact {
  host: string;
  url: string;
  liveliness: HealthCheckFact;
  readiness: ReadinessFact;
  /** `litellm_version`, from readiness or, when readiness does not say, from its details endpoint. */
  version?: string;
  /** The URL that reported `version` when it was not readiness (LiteLLM 1.110.2: its details endpoint). */
  versionFrom?: string;
  /** The details endpoint, when it was asked (readiness reported no version): what it answered. */
  versionCheck?: HealthCheckFact;
  status: 'pass' | 'warn' | 'fail';
}

export interface GatewayHealthFacts {
  /** Whether the requests carried the gateway key (`Authorization: Bearer`, as clients send it), and from which variable. */
  keySent?: boolean;
  keyEnvVar?: string;
  hosts: HealthHostFact[];
  /** Distinct LiteLLM versions seen, sorted. */
  versions: string[];
  findings: Finding[];
}
