/**
 * traefik.labels in the dashboard's topology: each host's routers as its compose labels name
 * them, coloured by this probe's status, and whether the labels route the host right. Without
 * its evidence there are no router names: one grey Traefik node stands for them.
 */
import { GATEWAY_NODE, hostFactOf, hostOk, type ProbeTopology, type TopologyPartNode } from '../kit/topology.ts';

const TRAEFIK_NODE = 'traefik';

export const traefikLabelsTopology: ProbeTopology = (view, { hosts }) => {
  if (!view) {
    return {
      nodes: [{ id: TRAEFIK_NODE, column: 'routers', label: 'Traefik', detail: 'no router evidence', state: 'none', edges: [[TRAEFIK_NODE, GATEWAY_NODE]] }],
      hosts: hosts.map((host) => ({ name: host.name, to: [TRAEFIK_NODE] })),
    };
  }
  return {
    hosts: hosts.map((host) => {
      const fact = hostFactOf(view, host.name);
      const routers = Array.isArray(fact?.routers) ? (fact.routers as { name?: unknown }[]) : [];
      const names = routers.map((router) => router?.name).filter((name): name is string => typeof name === 'string');
      const nodes = names.map((name): TopologyPartNode => {
        const id = `router:${name}`;
        return { id, column: 'routers', label: name, detail: 'router', state: view.status, edges: [[id, GATEWAY_NODE]] };
      });
      return { name: host.name, ok: hostOk(fact), nodes };
    }),
  };
};
