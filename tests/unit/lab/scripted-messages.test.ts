/**
 * The scripted model's Messages API dialect (src/lab/scripted-messages.ts), the test double for
 * the LLM behind `claude -p` on the lab: it calls the tool the prompt's instruction names, then
 * quotes the result; it never invents a call. Served over HTTP as Claude Code reads it (SSE).
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedMessagesAnswer, type MessagesRequest } from '../../../src/lab/scripted-messages.ts';
import { startScriptedModel } from '../../../src/lab/scripted-model.ts';

const INSTRUCTION =
  'Use the MCP server "litellm-lan": call its tool "mcp_postgres-query" once with the JSON arguments {"sql":"select 1"}, then reply with the result.';
const TOOLS = [{ name: 'Bash' }, { name: 'mcp__litellm-lan__mcp_postgres-query' }, { name: 'mcp__litellm-lan__mcp_filesystem-list_allowed_directories' }];

const blocks = (events: object[]) => events.filter((e) => (e as { type: string }).type === 'content_block_start').map((e) => (e as { content_block: object }).content_block);
const deltas = (events: object[]) => events.filter((e) => (e as { type: string }).type === 'content_block_delta').map((e) => (e as { delta: object }).delta);
const stopReason = (events: object[]) => (events.find((e) => (e as { type: string }).type === 'message_delta') as { delta: { stop_reason: string } }).delta.stop_reason;

describe('scripted model: Messages API (Claude Code)', () => {
  it('answers the instruction with one tool_use of mcp__<server>__<tool>, its arguments streamed as JSON', () => {
    const request: MessagesRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: '<system-reminder>…</system-reminder>' }, { type: 'text', text: INSTRUCTION }] }], tools: TOOLS };
    const events = scriptedMessagesAnswer(request, 1);
    expect((events[0] as { type: string }).type).toBe('message_start');
    expect(blocks(events)).toEqual([{ type: 'tool_use', id: 'toolu_scripted_1', name: 'mcp__litellm-lan__mcp_postgres-query', input: {} }]);
    expect(deltas(events)).toEqual([{ type: 'input_json_delta', partial_json: '{"sql":"select 1"}' }]);
    expect(stopReason(events)).toBe('tool_use');
    expect((events.at(-1) as { type: string }).type).toBe('message_stop');
  });

  it('after the tool_result, quotes it and lists the tools the server offered', () => {
    const request: MessagesRequest = {
      messages: [
        { role: 'user', content: INSTRUCTION },
        { role: 'assistant', content: [{ type: 'tool_use' }] },
        { role: 'user', content: [{ type: 'tool_result', content: [{ type: 'text', text: '[{"?column?": 1}]' }] }] },
      ],
      tools: TOOLS,
    };
    const events = scriptedMessagesAnswer(request, 2);
    expect(deltas(events)).toEqual([
      { type: 'text_delta', text: '(scripted model) The tool returned:\n[{"?column?": 1}]\nTools offered: mcp_postgres-query, mcp_filesystem-list_allowed_directories' },
    ]);
    expect(stopReason(events)).toBe('end_turn');
  });

  it('calls nothing without the instruction, without the server\'s tools, or without the tool', () => {
    const text = (request: MessagesRequest) => (deltas(scriptedMessagesAnswer(request, 3))[0] as { text: string }).text;
    expect(text({ messages: [{ role: 'user', content: 'hello' }], tools: TOOLS })).toContain('has no "Use the MCP server');
    expect(text({ messages: [{ role: 'user', content: INSTRUCTION }], tools: [{ name: 'Bash' }] })).toBe(
      '(scripted model) Claude Code offered no tools of mcp__litellm-lan; no tool called.\nTools offered: (none)',
    );
    expect(text({ messages: [{ role: 'user', content: INSTRUCTION }], tools: [{ name: 'mcp__litellm-lan__other' }] })).toContain('mcp__litellm-lan has no tool "mcp_postgres-query"');
  });

  describe('over HTTP', () => {
    let origin: string;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const { server } = await startScriptedModel({ port: 0 });
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise((resolve) => server.close(() => resolve()));
    });
    afterAll(() => close());

    it('streams POST /v1/messages as server-sent events, counts tokens, and refuses other paths', async () => {
      const response = await fetch(`${origin}/v1/messages?beta=true`, { method: 'POST', body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: INSTRUCTION }], tools: TOOLS }) });
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const text = await response.text();
      expect(text.startsWith('event: message_start\ndata: {')).toBe(true);
      expect(text).toContain('"name":"mcp__litellm-lan__mcp_postgres-query"');
      const count = await fetch(`${origin}/v1/messages/count_tokens`, { method: 'POST', body: '{"messages":[]}' });
      expect(await count.json()).toEqual({ input_tokens: 4 });
      expect((await fetch(`${origin}/v1/complete`, { method: 'POST', body: '{}' })).status).toBe(404);
    });
  });
});
