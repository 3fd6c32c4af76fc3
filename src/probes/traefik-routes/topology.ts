/**
 * traefik.routes in the dashboard's topology: whether each host's live route works, and its
 * status on the Traefik routers (drawn by traefik.labels) — a router is as bad as its route.
 */
import { hostFactOf, hostOk, type ProbeTopology } from '../kit/topology.ts';

export const traefikRoutesTopology: ProbeTopology = (view, { hosts }) => ({
  hosts: hosts.map((host) => ({ name: host.name, ok: hostOk(hostFactOf(view, host.name)) })),
  columnStates: { routers: view?.status ?? 'none' },
});
