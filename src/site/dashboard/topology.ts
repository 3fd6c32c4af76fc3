/**
 * The gateway as a picture: clients → hosts → Traefik routers → LiteLLM → MCP servers, each
 * node coloured by the evidence about it. Built as data first (topologyGraph, testable), then
 * drawn as inline SVG (topologySvg) at build time.
 *
 * Composed from the registry, naming no probe: the clients come from the client matrix and the
 * hosts from the config; every probe with a `topology` (src/probes/kit/topology.ts) draws nodes
 * in its column (routers, gateway, servers), says whether each host is right and adds its status
 * to another probe's column. A host is the worst of what the probes say of it; a node the worst
 * of its own state and the states added to its column, and stale when any of those probes'
 * evidence is. No evidence draws the node grey; evidence older than the maximum age draws it dashed.
 */
import { clientName, MATRIX_ASPECTS, type MatrixRow } from '../../evidence/client-matrix.ts';
import type { ProbeView } from '../../evidence/history.ts';
import type { ProbeDefinition } from '../../probes/define.ts';
import type { TopologyColumn, TopologyPart, TopologyPartNode } from '../../probes/kit/topology.ts';
import { PROBE_DEFINITIONS } from '../../probes/registry.ts';
import { html, type Html } from './html.ts';
import { worst, type Shown } from './status.ts';

export interface TopologyNode {
  id: string;
  column: number;
  label: string;
  detail?: string;
  state: Shown;
  stale: boolean;
  /** No probe speaks for it (the clients): drawn neutral, without a state. */
  plain?: boolean;
  /** Probes whose evidence colours it (the page's script re-checks their age when viewed). */
  probes: string[];
}

export interface Topology {
  nodes: TopologyNode[];
  edges: [string, string][];
}

export interface TopologyInput {
  hosts: readonly { name: string; url: string }[];
  views: ReadonlyMap<string, Pick<ProbeView, 'status' | 'facts'>>;
  staleProbes: ReadonlySet<string>;
  /** Servers the config expects, drawn when there is no catalog evidence yet. */
  configuredServers: readonly string[];
  /** Client matrix rows: each client becomes a node linked to the hosts it is configured for. */
  clients?: readonly MatrixRow[];
  /** The probes that draw (default: the registry's), in registry order. */
  definitions?: readonly Pick<ProbeDefinition, 'id' | 'topology'>[];
}

export const COLUMNS = ['Clients', 'Hosts', 'Traefik routers', 'LiteLLM', 'MCP servers'];

const COLUMN_INDEX: Record<TopologyColumn, number> = { routers: 2, gateway: 3, servers: 4 };

/** A probe's part, with the probe it came from. */
interface DrawnPart {
  probe: string;
  part: TopologyPart;
}

export function topologyGraph({ hosts, views, staleProbes, configuredServers, clients = [], definitions = PROBE_DEFINITIONS }: TopologyInput): Topology {
  const nodes: TopologyNode[] = [];
  const edges: [string, string][] = [];
  const present = (...ids: string[]) => ids.filter((id) => views.has(id));
  const stale = (...ids: string[]) => present(...ids).some((id) => staleProbes.has(id));
  const parts: DrawnPart[] = definitions.flatMap((definition) =>
    definition.topology ? [{ probe: definition.id, part: definition.topology(views.get(definition.id), { hosts, configuredServers }) }] : [],
  );

  // Without client evidence the column is one neutral node; with it, one node per client,
  // coloured by the worst of its checks and linked to the hosts it is configured for.
  const clientIds = [...new Set(clients.map((row) => row.client))];
  if (!clientIds.length) nodes.push({ id: 'clients', column: 0, label: 'Clients', detail: 'MCP clients', state: 'none', stale: false, plain: true, probes: [] });
  for (const client of clientIds) {
    const rows = clients.filter((row) => row.client === client);
    const entries = rows.flatMap((row) => MATRIX_ASPECTS.flatMap((aspect) => (row.cells[aspect] ? [row.cells[aspect]!] : [])));
    const probes = [...new Set(entries.map((e) => e.probe))].sort();
    nodes.push({ id: `client:${client}`, column: 0, label: clientName(client), detail: 'client', state: worst(entries.map((e) => e.status)), stale: stale(...probes), probes: present(...probes) });
  }
  const clientEdges = (hostName: string): string[] =>
    clientIds.length ? clients.filter((row) => row.host === hostName).map((row) => `client:${row.client}`) : ['clients'];

  // A probe's node, coloured also by the probes that add a state to its column (in registry order).
  const drawn = new Set<string>();
  const draw = (owner: string, node: TopologyPartNode) => {
    drawn.add(node.id);
    const adding = parts.filter(({ probe, part }) => probe !== owner && part.columnStates?.[node.column] !== undefined);
    const probes = parts.filter(({ probe }) => probe === owner || adding.some((a) => a.probe === probe)).map(({ probe }) => probe);
    const state = worst([node.state, ...adding.map(({ part }) => part.columnStates![node.column]!)]);
    nodes.push({ id: node.id, column: COLUMN_INDEX[node.column], label: node.label, detail: node.detail, state, stale: stale(...probes), probes: present(...probes) });
    edges.push(...(node.edges ?? []));
  };
  const drawColumn = (column: TopologyColumn) => {
    for (const { probe, part } of parts) for (const node of part.nodes ?? []) if (node.column === column && !drawn.has(node.id)) draw(probe, node);
  };

  drawColumn('gateway');

  // Each host, then what it leads to; a host's own nodes (its routers) right after it.
  const hostParts = parts.filter(({ part }) => part.hosts);
  const hostProbes = hostParts.map(({ probe }) => probe);
  for (const host of hosts) {
    const hostId = `host:${host.name}`;
    const said = hostParts.map(({ probe, part }) => ({ probe, host: part.hosts!.find((h) => h.name === host.name) }));
    const state = worst(said.map(({ host: h }): Shown => (h?.ok === undefined ? 'none' : h.ok ? 'pass' : 'fail')));
    nodes.push({ id: hostId, column: 1, label: host.name, detail: hostname(host.url), state, stale: stale(...hostProbes), probes: present(...hostProbes) });
    for (const from of clientEdges(host.name)) edges.push([from, hostId]);
    for (const { probe, host: h } of said) {
      for (const to of h?.to ?? []) edges.push([hostId, to]);
      for (const node of h?.nodes ?? []) {
        if (!drawn.has(node.id)) draw(probe, node);
        edges.push([hostId, node.id]);
      }
    }
  }

  drawColumn('routers');
  drawColumn('servers');
  return { nodes, edges };
}

function hostname(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const NODE_W = 150;
const NODE_H = 52;
const GAP_X = 32;
const GAP_Y = 12;
const TOP = 26;

export function topologySvg({ nodes, edges }: Topology): Html {
  const columns = COLUMNS.map((_, column) => nodes.filter((n) => n.column === column));
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const height = TOP + rows * (NODE_H + GAP_Y) - GAP_Y + 2;
  const width = COLUMNS.length * (NODE_W + GAP_X) - GAP_X + 2;
  const position = new Map<string, { x: number; y: number }>();
  columns.forEach((list, column) => {
    const offset = ((rows - list.length) * (NODE_H + GAP_Y)) / 2;
    list.forEach((node, row) => position.set(node.id, { x: 1 + column * (NODE_W + GAP_X), y: TOP + offset + row * (NODE_H + GAP_Y) }));
  });

  const titles = COLUMNS.map((title, column) => html`<text class="pb-topology__column" x="${1 + column * (NODE_W + GAP_X) + NODE_W / 2}" y="14" text-anchor="middle">${title}</text>`);
  const lines = edges.flatMap(([from, to]) => {
    const a = position.get(from);
    const b = position.get(to);
    if (!a || !b) return [];
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    return [html`<path class="pb-topology__edge" d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}" />`];
  });
  const boxes = nodes.map((node) => {
    const { x, y } = position.get(node.id)!;
    const state = node.plain ? '' : node.state === 'none' ? 'no evidence' : node.state;
    return html`<g class="pb-node pb-node--${node.plain ? 'plain' : node.state}${node.stale ? ' pb-node--stale' : ''}" data-node="${node.id}" data-state="${node.state}" data-probes="${node.probes.join(' ')}"><title>${node.label}${state ? `: ${state}` : ''}${node.stale ? ' (stale)' : ''}</title><rect x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="6" /><text x="${x + 10}" y="${y + 17}" class="pb-node__label">${clip(node.label, 20)}</text><text x="${x + 10}" y="${y + 31}" class="pb-node__detail">${clip(node.detail ?? '', 26)}</text><text x="${x + 10}" y="${y + 45}" class="pb-node__state">${state}</text></g>`;
  });
  return html`<svg class="pb-topology" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Topology: clients, hosts, Traefik routers, LiteLLM and MCP servers, coloured by status">${titles}${lines}${boxes}</svg>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
