/**
 * The instruction the client `*.invoke` probes send (`codex.invoke`, `claude.invoke`,
 * `openwebui.invoke`): a real model follows it, the lab's scripted model (src/lab/scripted-*.ts,
 * a test double for the LLM) reads it back with its INSTRUCTION pattern.
 */
export function invokePrompt(server: string, tool: string, args: Record<string, unknown>): string {
  return (
    `Use the MCP server "${server}": call its tool "${tool}" once with the JSON arguments ${JSON.stringify(args)}, then reply with the result. ` +
    'At the end, list the names of all tools that server offered you, on one line starting with "Tools offered:".'
  );
}
