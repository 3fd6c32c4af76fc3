/**
 * What `vscode.config` and `claude.config` record: per file its servers (URL without user or
 * query, header names, the key reference; never a value) and VS Code inputs, the runbook's
 * Windows section, the findings and the client-matrix cells.
 */
import type { ClientMatrixCell, Finding } from '../types.ts';

export interface ClientServerFact {
  name: string;
  line: number;
  type?: string;
  /** The configured host it points at (by scheme and host name). */
  host?: string;
  /** scheme://host[:port]/path — never user, password or query. */
  url?: string;
  /** Header names (values are never shown). */
  headers: string[];
  /** The header that carries the key, and the reference it uses (e.g. `${input:litellm-key}`). */
  keyHeader?: string;
  keyReference?: string;
  /** Servers named in `x-mcp-servers`. */
  mcpServers?: string[];
}

export interface ClientFileFact {
  file: string;
  /** First 16 hex of the file's sha256. */
  sha256?: string;
  servers: ClientServerFact[];
  /** VS Code `inputs` (no values: VS Code prompts for them). */
  inputs?: { id: string; type: string; password: boolean; line: number }[];
}

export interface RunbookSectionFact {
  file: string;
  found: boolean;
  heading?: string;
  line?: number;
}

export interface ClientConfigFacts {
  client: 'vscode' | 'claude';
  files: ClientFileFact[];
  /** Hosts every file must reach. */
  hosts: string[];
  mcpPath: string;
  runbook?: RunbookSectionFact;
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
