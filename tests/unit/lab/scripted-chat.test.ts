/**
 * The scripted model's Chat Completions dialect — itself the lab's TEST DOUBLE FOR THE LLM (Open
 * WebUI's model through LiteLLM). These tests pin what it answers, so the e2e tests of
 * `openwebui.invoke` fail on Open WebUI's side, not on the double's.
 */
import { describe, expect, it } from 'vitest';
import { scriptedChatAnswer } from '../../../src/lab/scripted-chat.ts';
import { invokePrompt } from '../../../src/probes/kit/invoke-prompt.ts';

const prompt = invokePrompt('litellm', 'mcp_postgres-query', { sql: 'select 1' });
const tools = ['litellm_mcp_postgres-query', 'litellm_mcp_filesystem-list_allowed_directories', 'other_tool'].map((name) => ({ type: 'function', function: { name } }));

describe('scripted model, Chat Completions', () => {
  it('asks for the instructed tool by Open WebUI\'s name, as one streamed tool_calls chunk', () => {
    const answer = scriptedChatAnswer({ stream: true, messages: [{ role: 'user', content: prompt }], tools }, 1);
    expect('stream' in answer && answer.stream).toEqual([
      expect.objectContaining({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_scripted_1', type: 'function', function: { name: 'litellm_mcp_postgres-query', arguments: '{"sql":"select 1"}' } }] }, finish_reason: null }] }),
      expect.objectContaining({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
    ]);
  });

  it('quotes the tool output and the server\'s tools once the tool answered (non-streamed)', () => {
    const answer = scriptedChatAnswer({
      messages: [
        { role: 'user', content: [{ type: 'text', text: prompt }] },
        { role: 'assistant', content: null },
        { role: 'tool', content: '{"results": [{"?column?": 1}]}' },
      ],
      tools,
    }, 2);
    const message = 'body' in answer ? (answer.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content : '';
    expect(message).toBe('(scripted model) The tool returned:\n{"results": [{"?column?": 1}]}\nTools offered: mcp_postgres-query, mcp_filesystem-list_allowed_directories');
  });

  it('calls nothing without the instruction or the tool', () => {
    const text = (request: Parameters<typeof scriptedChatAnswer>[0]) => JSON.stringify(scriptedChatAnswer(request, 3));
    expect(text({ messages: [{ role: 'user', content: 'hello' }], tools })).toContain('has no \\"Use the MCP server');
    expect(text({ messages: [{ role: 'user', content: prompt }], tools: [] })).toContain('No tool \\"litellm_mcp_postgres-query\\" was offered');
    expect(text({ messages: [{ role: 'user', content: prompt }], tools })).toContain('tool_calls');
  });
});
