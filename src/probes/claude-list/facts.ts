/**
 * What `claude.list` records: every server `claude mcp list` shows for the team's `.mcp.json`
 * with Claude Code's own verdict (connected, or the reason it could not connect), Claude Code's
 * config diagnostics, where each `${VAR}` came from (never its value), how host names were
 * reached, the findings and the listing cells. Stable from run to run: no timings or ports of its own.
 */
import type { ClientMatrixCell, Finding } from '../types.ts';

/** A `${VAR}` of the file and where its value came from (never the value). */
export interface VariableSource {
  name: string;
  /** e.g. `(set, from LITELLM_MASTER_KEY in .lab/secrets/litellm.env:1)`, `(not set)`. */
  source: string;
}

/** One line of `claude mcp list`. */
export interface ClaudeListedServer {
  name: string;
  /** What Claude Code shows after the name: the URL and transport (`http://… (HTTP)`), or a stdio command. */
  target: string;
  state: 'connected' | 'failed' | 'pending-approval' | 'needs-auth' | 'other';
  /** Claude Code's words after the mark, e.g. `Failed to connect — HTTP 500: …`. */
  status: string;
  /** The config host whose URL the entry uses, if any. */
  host?: string;
}

export interface ClaudeListFacts {
  project: string;
  mcpJson: string;
  /** Each `${VAR}` of the file and where its value came from, e.g. `(set, from LITELLM_MASTER_KEY in .lab/secrets/litellm.env:1)`. */
  variables: VariableSource[];
  /** How Claude Code reached the hosts' names. */
  resolution: string;
  exitCode?: number;
  servers: ClaudeListedServer[];
  /** Claude Code's MCP config diagnostics (`[Warning] …`, `[Error] …`), as printed. */
  diagnostics: string[];
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
