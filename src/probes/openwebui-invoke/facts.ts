/**
 * What `openwebui.invoke` records: the Open WebUI it asked, the tool server (connection id, as
 * Open WebUI names it in `tool_ids`), the model, the call asked for, what the saved chat showed
 * (the model's function call and the tool's output with their statuses, the answer), the
 * documented limitation against what was observed, and the client-matrix cell. Stable from run
 * to run: no chat or message ids, timings or ports of its own (those stay in the transcript).
 */
import type { ClientMatrixCell } from '../types.ts';

export interface OpenWebuiToolCallFacts {
  /** As Open WebUI offered it to the model: `<connection id>_<server>-<tool>`. */
  name: string;
  arguments?: string;
  /** The function call's and the output's `status` in the saved chat (`completed`, `failed`, …). */
  callStatus?: string;
  outputStatus?: string;
  /** Text of the tool's output, capped. */
  result?: string;
}

export interface OpenWebuiInvokeFacts {
  url?: string;
  host: string;
  /** The gateway's MCP connection in Open WebUI: its `info.id` and the tool id the chat names. */
  toolServer?: { id: string; toolId: string };
  model?: string;
  call: { server: string; tool: string; arguments: Record<string, unknown>; expect?: string };
  /** The saved chat's assistant message: done, an error, the call and the answer (capped). */
  chat?: { done: boolean; error?: string; toolCall?: OpenWebuiToolCallFacts; answer?: string };
  /**
   * The limitation the team documented (`limitation` option) and whether this run observed it (the
   * model asked and the call did not complete as expected); absent when none is documented. The
   * shape `--check` and the matrix read (src/evidence/limitation.ts).
   */
  limitation?: { documented: string; observed: boolean };
  clientMatrix: ClientMatrixCell[];
}
