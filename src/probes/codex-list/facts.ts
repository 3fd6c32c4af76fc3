/**
 * What `codex.list` records: every server `codex mcp list` shows and the gateway entry as
 * `codex mcp get` shows it (header and variable names, never values), with the findings and the
 * client-matrix cell.
 */
import type { ClientMatrixCell, Finding } from '../types.ts';

export interface CodexListEntryFacts {
  enabled: boolean;
  disabledReason?: string;
  transport: string;
  url?: string;
  bearerTokenEnvVar?: string;
  /** Names of the static headers (values are not recorded). */
  httpHeaders: string[];
  envHttpHeaders: Record<string, string>;
  xMcpServers?: string[];
  authStatus?: string;
  enabledTools?: string[];
  disabledTools?: string[];
}

export interface CodexListFacts {
  codexHome: string;
  configFile: string;
  server: string;
  expected: { host: string; url: string; servers: string[] };
  /** Exit codes of `codex mcp list --json` and `codex mcp get <server> --json`. */
  exitCodes: { list?: number; get?: number };
  /** Every server `codex mcp list` shows. */
  servers: { name: string; enabled: boolean; transport: string; url?: string }[];
  /** The gateway entry as `codex mcp get` shows it. */
  entry?: CodexListEntryFacts;
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
