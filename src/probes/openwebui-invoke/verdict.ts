/**
 * What a chat's saved answer means for `openwebui.invoke`: the model's function call of the tool
 * (`<connection id>_<server>-<tool>`, or Open WebUI's cut-and-hashed form of a name over 64
 * characters), and its `function_call_output` — a pass when that output is `completed` and holds
 * the configured `expect` text (LiteLLM 1.77.1 reports an upstream tool error with
 * `isError: false`, so the text is what tells a result from an error).
 *
 * Then the documented limitation (`limitation` option): `known-limitation` only when it is
 * documented AND observed — the model asked for the call and the call did not complete as
 * expected. A call that succeeds although a limitation is documented fails the invocation cell
 * ("documented limitation no longer observed"): the docs claim a limit that is gone. Anything that
 * stops before the model's call (no connection, no model, a refused chat) is a plain failure.
 */
import type { ProbeStatus } from '../types.ts';
import type { ChatResult, OutputItem } from './chat.ts';
import type { OpenWebuiInvokeFacts, OpenWebuiToolCallFacts } from './facts.ts';

const CAP = 2_000;

export interface Wanted {
  connectionId: string;
  server: string;
  tool: string;
  expect?: string;
}

/** The call's outcome before the limitation is weighed: done (as expected), failed (the model asked; the call did not complete), or no call. */
export type CallOutcome = { kind: 'done'; summary: string } | { kind: 'failed'; summary: string } | { kind: 'no-call'; summary: string };

/** Open WebUI's name for the tool (names over 64 characters are cut to 55 and get `_<8 hex>`). */
export function matchesTool(name: string, wanted: Wanted): boolean {
  const full = `${wanted.connectionId}_${wanted.server}-${wanted.tool}`;
  return name === full || (full.length > 64 && name.length === 64 && /_[0-9a-f]{8}$/.test(name) && full.startsWith(name.slice(0, 55)));
}

export function judgeChat(chat: ChatResult, wanted: Wanted): { outcome: CallOutcome; facts: NonNullable<OpenWebuiInvokeFacts['chat']> } {
  const call = chat.output.find((item) => item.type === 'function_call' && typeof item.name === 'string' && matchesTool(item.name, wanted));
  const output = call ? chat.output.find((item) => item.type === 'function_call_output' && item.call_id === call.call_id) : undefined;
  const facts: NonNullable<OpenWebuiInvokeFacts['chat']> = {
    done: chat.done,
    ...(chat.error ? { error: capped(chat.error) } : {}),
    ...(call ? { toolCall: toolCallFacts(call, output) } : {}),
    ...(chat.answer ? { answer: capped(chat.answer) } : {}),
  };
  const short = `${wanted.server}-${wanted.tool}`;
  if (!call) {
    const said = firstLine(chat.error ?? chat.answer ?? '');
    const offered = chat.output.filter((i) => i.type === 'function_call').map((i) => String(i.name));
    return {
      facts,
      outcome: {
        kind: 'no-call',
        summary: chat.error
          ? `the chat failed before any call of ${short}: ${said}; check the model and its connection through LiteLLM`
          : `the model made no call of ${short}${offered.length ? ` (it called ${offered.join(', ')})` : ''}${said ? ` (it said: ${said})` : ''}; with a real model, make the prompt (probes."openwebui.invoke".prompt) ask for the call explicitly`,
      },
    };
  }
  const text = output ? outputText(output.output) : ''; // whole: `expect` may lie past the recorded cap
  if (!output) return { facts, outcome: { kind: 'failed', summary: `Open WebUI recorded the model's call of ${short} but no output for it${chat.error ? ` (${firstLine(chat.error)})` : ''}` } };
  if (output.status !== 'completed') return { facts, outcome: { kind: 'failed', summary: `Open WebUI's call of ${short} through the gateway ended "${String(output.status)}": ${firstLine(text) || '(no text)'}` } };
  if (wanted.expect && !text.includes(wanted.expect)) return { facts, outcome: { kind: 'failed', summary: `Open WebUI's call of ${short} through the gateway returned no "${wanted.expect}": ${firstLine(text) || '(no text)'}` } };
  return { facts, outcome: { kind: 'done', summary: `Open WebUI called ${short} through the gateway in a chat: ${firstLine(text)}` } };
}

/** The status and cell note once the documented limitation is weighed. */
export function withLimitation(outcome: CallOutcome, limitation: string | undefined): { status: ProbeStatus; summary: string; observed: boolean } {
  const observed = outcome.kind === 'failed';
  if (!limitation) return { status: outcome.kind === 'done' ? 'pass' : 'fail', summary: outcome.summary, observed };
  if (outcome.kind === 'done') return { status: 'fail', summary: `documented limitation no longer observed: ${limitation} (${outcome.summary})`, observed };
  if (outcome.kind === 'failed') return { status: 'known-limitation', summary: `${limitation} (observed: ${outcome.summary})`, observed };
  return { status: 'fail', summary: `${outcome.summary} (the documented limitation is about the tool call, which never happened)`, observed };
}

function toolCallFacts(call: OutputItem, output: OutputItem | undefined): OpenWebuiToolCallFacts {
  const result = output ? outputText(output.output) : undefined;
  return {
    name: String(call.name),
    ...(typeof call.arguments === 'string' ? { arguments: capped(call.arguments) } : {}),
    ...(typeof call.status === 'string' ? { callStatus: call.status } : {}),
    ...(output && typeof output.status === 'string' ? { outputStatus: output.status } : {}),
    ...(result !== undefined ? { result: capped(result) } : {}),
  };
}

/** The output's text: a string, or the text of its parts (`[{type: "input_text", text}]`). */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (!Array.isArray(output)) return output === undefined ? '' : JSON.stringify(output);
  return output.map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : JSON.stringify(part))).join('\n');
}

const capped = (text: string) => (text.length > CAP ? `${text.slice(0, CAP)}…` : text);

function firstLine(text: string): string {
  // Tool output is the gateway's text: one line, control characters shown as spaces.
  const line = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
