/**
 * A tool call's result as the invoke probes (`mcp.invoke`, `vscode.invoke`) judge and keep it:
 * its text (non-text items as `[type]`), capped for the evidence, and whether it passes — no
 * `isError`, and `expect` in the text (LiteLLM 1.77.1 reports an upstream error with
 * `isError: false`, so the text check is what catches it).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const RESULT_CAP = 4_000;

export function textOf(result: Pick<CallToolResult, 'content'>): string {
  return (result.content ?? [])
    .map((item) => (item.type === 'text' ? item.text : `[${item.type}${'mimeType' in item && item.mimeType ? ` ${item.mimeType}` : ''}]`))
    .join('\n');
}

export function cap(text: string): string {
  return text.length > RESULT_CAP ? `${text.slice(0, RESULT_CAP)}… (${text.length - RESULT_CAP} more characters)` : text;
}

export function firstLine(text: string | undefined): string {
  const line = (text ?? '').trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Why a result with this text and flag does not pass, or undefined when it does. */
export function resultProblem(text: string, isError: boolean, expect: string | undefined): string | undefined {
  if (isError) return `isError: ${firstLine(text) || '(no text)'}`;
  if (expect && !text.includes(expect)) return `result lacks "${expect}": ${firstLine(text) || '(no text)'}`;
  return undefined;
}
