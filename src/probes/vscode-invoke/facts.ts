/**
 * What `vscode.invoke` records: the path (`code-server` or `fallback`, as `vscode.list`), the call
 * asked for, and per `servers` entry the tool as the client named it, whether it was listed, the
 * result (capped) and why it did not pass; the invocation cells. Stable: no timings or ports.
 */
import type { ClientMatrixCell, Finding } from '../types.ts';
import type { VariableSource } from '../vscode-list/mcp-json.ts';
import type { VscodePath } from '../vscode-list/facts.ts';

export interface VscodeInvokeRunFacts {
  /** The `servers` entry. */
  server: string;
  host?: string;
  /** The tool as the client named it (the gateway's `<server>-<tool>`; VS Code's own name on the code-server path). */
  tool: string;
  listed: boolean;
  outcome: 'ok' | 'failed' | 'not-called';
  isError?: boolean;
  /** Text of the result, capped. */
  result?: string;
  problem?: string;
}

export interface VscodeInvokeFacts {
  path: VscodePath;
  mcpJson: string;
  vscodeVersion?: string;
  call: { server: string; tool: string; arguments: Record<string, unknown>; expect?: string };
  variables: VariableSource[];
  runs: VscodeInvokeRunFacts[];
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
