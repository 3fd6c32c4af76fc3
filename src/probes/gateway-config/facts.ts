/** What `gateway.config` records as its facts: the shape its probe writes and its renderer reads. */
import type { LocatedFinding } from '../kit/checks.ts';

export interface ConfiguredServer {
  name: string;
  /** Explicit transport as written; absent when config.yaml has none. */
  transport?: string;
  command?: string;
  args: string[];
  url?: string;
  description?: string;
  /** Names of the `os.environ/` variables this server's entry references. */
  envRefs: string[];
  /** Line of the server's name in config.yaml. */
  line: number;
}

export interface ConfiguredAlias {
  alias: string;
  server: string;
  line: number;
  /** Whether `server` is registered under `mcp_servers`. */
  resolves: boolean;
}

export interface EnvReference {
  name: string;
  /** Where in config.yaml, e.g. `mcp_servers.mcp_postgres.env.POSTGRES_URL`. */
  path: string;
  file: string;
  line: number;
  defined: boolean;
  empty?: boolean;
  /** `file:line` of the definition LiteLLM gets (the last one). */
  source?: string;
}

export interface GatewayConfigFacts {
  configFile: string;
  /** Relative to the workspace; `sha256` is the first 16 hex of the checked file's hash. */
  sha256?: string;
  /** The secrets files and the keys each defines: the "secrets sources" of the runbook. */
  secretsFiles: { file: string; exists: boolean; keys: string[] }[];
  masterKey: { source: 'env' | 'literal' | 'missing'; envVar?: string; line?: number; fingerprint?: string };
  /** What Proofbook reads the gateway key from (`gateway.keyEnvVar`). */
  keyEnvVar: string;
  servers: ConfiguredServer[];
  aliases: ConfiguredAlias[];
  envRefs: EnvReference[];
  /** Where the server expectations came from. */
  expectationsFrom: string;
  findings: LocatedFinding[];
}
