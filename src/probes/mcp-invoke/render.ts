/** Renders the `mcp.invoke` region: status, one row per call (server, tool, arguments, result, OK) and how to reproduce. */
import type { RootContent } from 'mdast';
import type { InvokeCallFacts, InvokeFacts } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { STATUS_MARK, statusLine, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { code, reproduce, table } from '../kit/render/table.ts';

const SHORT = 80;

export const renderInvoke: RegionRenderer = (view: ProbeView<InvokeFacts>, context: RenderContext): RootContent[] => {
  const facts = view.facts;
  const calls = facts.calls ?? [];
  const nodes: RootContent[] = [{ type: 'paragraph', children: statusLine(view, context) }];
  if (calls.length) {
    nodes.push(
      table(
        ['Server', 'Tool', 'Arguments', 'Result (short)', 'OK'],
        calls.map((call) => [code(call.server), code(call.tool), code(JSON.stringify(call.arguments)), resultCell(call), okCell(call)]),
      ),
    );
  }
  if ((facts.serversWithoutTools ?? []).length) {
    nodes.push({
      type: 'paragraph',
      children: [{ type: 'text', value: `No tools listed by ${facts.serversWithoutTools.join(', ')}: the MCP server is not running; see the gateway's log.` }],
    });
  }
  if (calls.length && facts.endpoint) {
    nodes.push(...reproduce('Called at', facts.endpoint, calls.map((call) => call.reproduce).join('\n')));
  }
  return nodes;
};

function resultCell(call: InvokeCallFacts) {
  const text = call.outcome === 'ok' ? call.result ?? '' : call.problem ?? call.result ?? '';
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (!oneLine) return '—';
  return code(oneLine.length > SHORT ? `${oneLine.slice(0, SHORT - 1)}…` : oneLine);
}

function okCell(call: InvokeCallFacts): string {
  if (call.outcome === 'ok') return STATUS_MARK.pass;
  return call.outcome === 'timeout' ? `${STATUS_MARK.error} timeout` : STATUS_MARK.fail;
}
