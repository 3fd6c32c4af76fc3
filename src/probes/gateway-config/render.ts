/** Renders the `gateway.config` region: the MCP servers as LiteLLM's config.yaml registers them. */
import type { RootContent } from 'mdast';
import type { GatewayConfigFacts } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { statusLine, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { code, codeList, findingsList, table } from '../kit/render/table.ts';

export const renderGatewayConfig: RegionRenderer = (view: ProbeView<GatewayConfigFacts>, context: RenderContext): RootContent[] => {
  const facts = view.facts;
  const rows = (facts.servers ?? []).map((server) => [
    code(server.name),
    server.transport ?? '(not set)',
    server.url ? code(server.url) : code([server.command, ...server.args].filter(Boolean).join(' ')),
    server.envRefs.length ? codeList(server.envRefs) : '—',
    `line ${server.line}`,
  ]);
  const nodes: RootContent[] = [
    { type: 'paragraph', children: statusLine(view, context) },
    table(['Server', 'Transport', 'Command / URL', 'Secrets (os.environ)', 'Where'], rows),
  ];
  if (facts.aliases?.length) {
    nodes.push(table(['Alias', 'Server', 'Resolves'], facts.aliases.map((a) => [code(a.alias), code(a.server), a.resolves ? '✅' : '❌'])));
  }
  nodes.push(...findingsList(facts.findings));
  return nodes;
};
