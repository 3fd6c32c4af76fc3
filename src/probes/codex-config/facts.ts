/**
 * What `codex.config` records: the gateway entry of Codex's config.toml as Codex would read it
 * (names of headers and variables, never their values), the model it would use, the findings
 * and the client-matrix cells.
 */
import type { ClientMatrixCell, Finding } from '../types.ts';

export interface CodexEntryFacts {
  name: string;
  line: number;
  url?: string;
  transport: 'streamable_http' | 'stdio' | 'none';
  enabled: boolean;
  /** Names of the static headers (values are not recorded). */
  httpHeaders: string[];
  /** Header → environment variable. */
  envHttpHeaders: Record<string, string>;
  bearerTokenEnvVar?: string;
  /** How the gateway key reaches the gateway. */
  token: { via: 'bearer_token_env_var' | 'env_http_headers' | 'inline' | 'none'; envVar?: string; set?: boolean; source?: string };
  xMcpServers?: { via: 'http_headers' | 'env_http_headers'; servers: string[]; envVar?: string };
  unknownKeys: string[];
}

export interface CodexConfigFacts {
  codexHome: string;
  configFile: string;
  codexVersion?: string;
  server: string;
  expected: { host: string; url: string; servers: string[] };
  entry?: CodexEntryFacts;
  /** Other `[mcp_servers.*]` entries, by name. */
  otherServers: string[];
  /** The model Codex would use (`model`, `model_provider` and its `wire_api`; the base URL is in the transcript). */
  model: { model?: string; provider?: string; wireApi?: string };
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
