/**
 * The gateway as a picture: clients → hosts → Traefik routers → LiteLLM → MCP servers, each
 * node coloured by the evidence about it. Built as data first (topologyGraph, testable), then
 * drawn as inline SVG (topologySvg) at build time.
 *
 * Where colours come from:
 * - hosts: `ok` of the host in traefik.labels (and traefik.routes) facts;
 * - routers: names from the latest traefik.labels facts; state of traefik.labels / traefik.routes;
 * - LiteLLM: gateway.health;
 * - MCP servers: mcp.catalog facts per server (tools listed, none missing), else its status.
 * No evidence draws the node grey; evidence older than the maximum age draws it dashed.
 */
import { clientName, MATRIX_ASPECTS, type MatrixRow } from '../../evidence/client-matrix.ts';
import type { ProbeView } from '../../evidence/history.ts';
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
}

const TRAEFIK = ['traefik.labels', 'traefik.routes'];

export const COLUMNS = ['Clients', 'Hosts', 'Traefik routers', 'LiteLLM', 'MCP servers'];

interface HostFacts {
  host?: string;
  ok?: boolean;
  routers?: { name?: string }[];
}

export function topologyGraph({ hosts, views, staleProbes, configuredServers, clients = [] }: TopologyInput): Topology {
  const nodes: TopologyNode[] = [];
  const edges: [string, string][] = [];
  const labels = views.get('traefik.labels');
  const routes = views.get('traefik.routes');
  const hostFacts = (view: typeof labels): HostFacts[] => (Array.isArray(view?.facts?.hosts) ? (view!.facts.hosts as HostFacts[]) : []);
  const present = (...ids: string[]) => ids.filter((id) => views.has(id));
  const stale = (...ids: string[]) => present(...ids).some((id) => staleProbes.has(id));

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

  const litellm = views.get('gateway.health');
  nodes.push({ id: 'litellm', column: 3, label: 'LiteLLM', detail: 'gateway.health', state: litellm?.status ?? 'none', stale: stale('gateway.health'), probes: present('gateway.health') });

  const routerState = worst([labels?.status ?? 'none', routes?.status ?? 'none']);
  const routerIds = new Set<string>();
  for (const host of hosts) {
    const hostId = `host:${host.name}`;
    const facts = [hostFacts(labels), hostFacts(routes)].map((list) => list.find((h) => h.host === host.name));
    const state = worst(facts.map((f): Shown => (f?.ok === undefined ? 'none' : f.ok ? 'pass' : 'fail')));
    nodes.push({ id: hostId, column: 1, label: host.name, detail: hostname(host.url), state, stale: stale(...TRAEFIK), probes: present(...TRAEFIK) });
    for (const from of clientEdges(host.name)) edges.push([from, hostId]);

    const routers = (facts[0]?.routers ?? []).map((r) => r.name).filter((name): name is string => typeof name === 'string');
    if (!labels) edges.push([hostId, 'traefik']);
    for (const name of routers) {
      const routerId = `router:${name}`;
      if (!routerIds.has(routerId)) {
        routerIds.add(routerId);
        nodes.push({ id: routerId, column: 2, label: name, detail: 'router', state: routerState, stale: stale(...TRAEFIK), probes: present(...TRAEFIK) });
        edges.push([routerId, 'litellm']);
      }
      edges.push([hostId, routerId]);
    }
  }
  if (!labels) {
    nodes.push({ id: 'traefik', column: 2, label: 'Traefik', detail: 'no router evidence', state: routes?.status ?? 'none', stale: stale('traefik.routes'), probes: present('traefik.routes') });
    edges.push(['traefik', 'litellm']);
  }

  const catalog = views.get('mcp.catalog');
  const servers = Array.isArray(catalog?.facts?.servers) ? (catalog!.facts.servers as { name?: string; tools?: unknown[]; missingTools?: unknown[] }[]) : undefined;
  const list = servers
    ? servers.map((s) => ({ name: String(s.name), state: serverState(catalog!.status, s) }))
    : configuredServers.map((name) => ({ name, state: 'none' as Shown }));
  for (const server of list) {
    const id = `server:${server.name}`;
    nodes.push({ id, column: 4, label: server.name, detail: 'MCP server', state: server.state, stale: stale('mcp.catalog'), probes: present('mcp.catalog') });
    edges.push(['litellm', id]);
  }
  return { nodes, edges };
}

function serverState(probe: Shown, server: { tools?: unknown[]; missingTools?: unknown[] }): Shown {
  if (probe === 'error' || probe === 'skip') return probe;
  const listed = Array.isArray(server.tools) && server.tools.length > 0;
  const missing = Array.isArray(server.missingTools) && server.missingTools.length > 0;
  return !listed ? 'fail' : missing ? 'warn' : 'pass';
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
