/**
 * What `codex.invoke` records: the call asked for, the `mcp_tool_call` Codex reported, the tools
 * the model was offered, how the hostname was reached, and the client-matrix cells. Stable from
 * run to run: no timings, ids or ports.
 */
import type { ClientMatrixCell, ProbeStatus } from '../types.ts';

export interface CodexToolCallFacts {
  server: string;
  tool: string;
  arguments: unknown;
  status: string;
  /** Text of the result content, capped. */
  result?: string;
  error?: string;
}

export interface CodexInvokeFacts {
  codexHome: string;
  server: string;
  host: string;
  /** The entry's url (what Codex connects to). */
  url?: string;
  /** How Codex reached the hostname: `dns`, or the proxy standing in for it. */
  resolution: string;
  model: { provider?: string; model?: string };
  /** The call asked for: the gateway's tool name is `<call.server>-<call.tool>`. */
  call: { tool: string; arguments: Record<string, unknown>; expect?: string };
  exitCode?: number;
  /** The `mcp_tool_call` item of that tool, as Codex reported it. */
  toolCall?: CodexToolCallFacts;
  /** Tools of the entry the model reported it was offered (the prompt asks for them), sorted. */
  toolsOffered?: string[];
  /** Why the probe did not pass, with the fix. */
  problem?: string;
  /** The same call through the other hosts (the entry's url with their origin): `hosts` option. */
  otherHosts?: CodexHostRun[];
  clientMatrix: ClientMatrixCell[];
}

/** The call through another host than the entry's: what ran, how the name was reached, what came back. */
export interface CodexHostRun {
  host: string;
  url: string;
  resolution: string;
  exitCode?: number;
  toolCall?: CodexToolCallFacts;
  toolsOffered?: string[];
  status: ProbeStatus;
  summary: string;
}
