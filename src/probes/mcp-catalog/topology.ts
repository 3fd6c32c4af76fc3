/**
 * mcp.catalog in the dashboard's topology: a node per MCP server behind LiteLLM, coloured by
 * what the catalog listed of it (no tools: fail; expected tools missing: warn). Without its
 * evidence the configured servers are drawn grey.
 */
import { GATEWAY_NODE, type ProbeTopology, type TopologyState } from '../kit/topology.ts';

interface ServerFact {
  name?: unknown;
  tools?: unknown[];
  missingTools?: unknown[];
}

export const mcpCatalogTopology: ProbeTopology = (view, { configuredServers }) => {
  const servers = Array.isArray(view?.facts?.servers) ? (view.facts.servers as ServerFact[]) : undefined;
  const list = servers && view
    ? servers.map((server) => ({ name: String(server.name), state: serverState(view.status, server) }))
    : configuredServers.map((name) => ({ name, state: 'none' as TopologyState }));
  return {
    nodes: list.map(({ name, state }) => {
      const id = `server:${name}`;
      return { id, column: 'servers', label: name, detail: 'MCP server', state, edges: [[GATEWAY_NODE, id]] };
    }),
  };
};

function serverState(probe: TopologyState, server: ServerFact): TopologyState {
  if (probe === 'error' || probe === 'skip') return probe;
  const listed = Array.isArray(server.tools) && server.tools.length > 0;
  const missing = Array.isArray(server.missingTools) && server.missingTools.length > 0;
  return !listed ? 'fail' : missing ? 'warn' : 'pass';
}
