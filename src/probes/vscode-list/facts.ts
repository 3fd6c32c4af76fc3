/**
 * What `vscode.list` records: which path saw the listing (`code-server`: real VS Code and its
 * extension's report; `fallback`: the MCP SDK with VS Code's URL and headers), each server of the
 * team's `.vscode/mcp.json` with its tools or why it has none, where each variable came from
 * (never its value), the findings and the listing cells. Stable from run to run: no timings or ports.
 */
import type { ClientMatrixCell, Finding } from '../types.ts';
import type { VariableSource } from './mcp-json.ts';

export type VscodePath = 'code-server' | 'fallback';

export interface VscodeListedServer {
  /** The `servers` entry. */
  name: string;
  /** The URL as written (variables unresolved). */
  url?: string;
  /** The config host the URL is on. */
  host?: string;
  state: 'listed' | 'failed' | 'not-started';
  /** Tool names as the client sees them, sorted (capped). */
  tools: string[];
  /** Why it has no tools: the client's words. */
  error?: string;
}

export interface VscodeListFacts {
  path: VscodePath;
  mcpJson: string;
  /** VS Code's version, when code-server ran. */
  vscodeVersion?: string;
  variables: VariableSource[];
  servers: VscodeListedServer[];
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
