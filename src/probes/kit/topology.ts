/**
 * What a probe adds to the dashboard's topology (clients → hosts → Traefik routers → LiteLLM →
 * MCP servers), so the site composes the diagram from the registry instead of naming probes.
 * Types, one node id and a reader of per-host facts only: a probe's `topology.ts` imports this,
 * never its run code. The clients (client matrix) and the hosts (config) are the dashboard's own
 * columns; a probe draws nodes in the others and colours hosts and other probes' nodes.
 */
import type { ProbeStatus } from '../../model/status.ts';
import type { ProbeView } from '../types.ts';

/** A node's state: a probe status, or `none` when no evidence speaks for it. */
export type TopologyState = ProbeStatus | 'none';

/** The columns probes draw nodes in (after the dashboard's clients and hosts). */
export type TopologyColumn = 'routers' | 'gateway' | 'servers';

/** The LiteLLM node's id, for edges drawn into or out of it by other probes' nodes. */
export const GATEWAY_NODE = 'litellm';

export interface TopologyPartNode {
  id: string;
  column: TopologyColumn;
  label: string;
  detail?: string;
  state: TopologyState;
  /** Edges drawn with the node, e.g. `[id, GATEWAY_NODE]`. */
  edges?: [string, string][];
}

/** What a probe says about one configured host. */
export interface TopologyHostPart {
  /** The host's name in `hosts`. */
  name: string;
  /** Whether the probe found the host right; undefined when it has nothing on it. */
  ok?: boolean;
  /** Nodes drawn elsewhere that the host leads to (an edge from the host to each). */
  to?: string[];
  /** Nodes of the host's own (its routers): drawn right after the first host that names them, each linked from the host. */
  nodes?: TopologyPartNode[];
}

export interface TopologyPart {
  /** Nodes drawn once, in their column. */
  nodes?: TopologyPartNode[];
  /** Per configured host: its state (the worst of every probe's) and what it leads to. */
  hosts?: TopologyHostPart[];
  /** A state added to every node another probe draws in the column: the worst wins, and this probe's age counts for them. */
  columnStates?: Partial<Record<TopologyColumn, TopologyState>>;
}

export interface TopologyContext {
  hosts: readonly { name: string; url: string }[];
  /** Servers the config expects (`gateway.mcp.servers`), for a probe that draws them without evidence. */
  configuredServers: readonly string[];
}

/** What the evidence shows of the probe (undefined: no evidence yet). */
export type TopologyView = Pick<ProbeView, 'status' | 'facts'>;

/** A probe's part of the topology, from its view; pure, and called with or without evidence. */
export type ProbeTopology = (view: TopologyView | undefined, context: TopologyContext) => TopologyPart;

/** A host as a probe's facts record it (`facts.hosts[]` of traefik.labels and traefik.routes). */
export interface HostFact {
  host?: string;
  ok?: boolean;
  routers?: unknown;
}

/** The view's `facts.hosts` entry for the host (none without evidence, or in facts of another shape). */
export function hostFactOf(view: TopologyView | undefined, host: string): HostFact | undefined {
  const list = view?.facts?.hosts;
  return Array.isArray(list) ? (list as HostFact[]).find((fact) => fact?.host === host) : undefined;
}

/** A host fact's `ok` as a host part's: undefined when the fact says nothing. */
export function hostOk(fact: HostFact | undefined): boolean | undefined {
  return fact?.ok === undefined ? undefined : Boolean(fact.ok);
}
