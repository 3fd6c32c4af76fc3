/** gateway.health in the dashboard's topology: the LiteLLM node, coloured by whether it is up. */
import { GATEWAY_NODE, type ProbeTopology } from '../kit/topology.ts';

export const gatewayHealthTopology: ProbeTopology = (view) => ({
  nodes: [{ id: GATEWAY_NODE, column: 'gateway', label: 'LiteLLM', detail: 'gateway.health', state: view?.status ?? 'none' }],
});
