/**
 * What `claude.invoke` records: per host, the `.mcp.json` server Claude Code called through, its
 * status in the init event, the tools it offered the model, and the call with its result; where
 * the key and the model came from (never values), and the client-matrix cells. Stable from run to
 * run: no timings, session ids or ports of its own.
 */
import type { VariableSource } from '../claude-list/facts.ts';
import type { ClientMatrixCell } from '../types.ts';

export interface ClaudeToolCallFacts {
  /** As Claude Code named it: `mcp__<entry>__<server>-<tool>`. */
  name: string;
  input: unknown;
  isError: boolean;
  /** Text of the tool_result, capped. */
  result?: string;
}

/** One `claude -p` run: the call through one host. */
export interface ClaudeInvokeRunFacts {
  host: string;
  /** The `.mcp.json` entry, and its URL. */
  server: string;
  url?: string;
  /** The tool asked for, as Claude Code names it. */
  tool: string;
  exitCode?: number;
  /** `mcp_servers[].status` of the entry in the init event (`connected`, `failed`, …). */
  serverStatus?: string;
  /** Why the entry failed, from Claude Code's debug log. */
  serverError?: string;
  /** The entry's tools offered to the model (without the `mcp__<entry>__` prefix), sorted. */
  toolsOffered?: string[];
  toolCall?: ClaudeToolCallFacts;
  /** Why it did not pass, with the fix. */
  problem?: string;
}

export interface ClaudeInvokeFacts {
  project: string;
  mcpJson: string;
  /** The `--settings` file, if any. */
  settings?: string;
  /** Where the model is: ANTHROPIC_BASE_URL and where the key came from (never the key). */
  model: { baseUrl?: string; key?: string };
  /** The call asked for (LiteLLM's names). */
  call: { server: string; tool: string; arguments: Record<string, unknown>; expect?: string };
  resolution: string;
  variables: VariableSource[];
  runs: ClaudeInvokeRunFacts[];
  clientMatrix: ClientMatrixCell[];
}
