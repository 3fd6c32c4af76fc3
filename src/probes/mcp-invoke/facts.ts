/** What `mcp.invoke` records as its facts: the shape its probe writes and its renderer reads. */

export type CallOutcome = 'ok' | 'failed' | 'timeout';

export interface InvokeCallFacts {
  server: string;
  tool: string;
  /** The name called through the gateway: `<server>-<tool>`. */
  name: string;
  arguments: Record<string, unknown>;
  expect?: string;
  outcome: CallOutcome;
  /** The result's `isError` flag, when a result came back. */
  isError?: boolean;
  /** Text of the result content (non-text items as `[type]`), capped at 4000 characters. */
  result?: string;
  /** Why the call did not pass. */
  problem?: string;
  /** Whether the gateway's catalog lists the tool. */
  listed: boolean;
  /** Hand-reproducible command (key from the environment). */
  reproduce: string;
}

export interface InvokeFacts {
  host: string;
  endpoint: string;
  serverVersion?: string;
  protocolVersion?: string;
  calls: InvokeCallFacts[];
  /** Servers of the calls that list no tool at all (their MCP server is down). */
  serversWithoutTools: string[];
}
