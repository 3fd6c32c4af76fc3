/**
 * The dashboard's topology is composed from the probes' `topology` parts (src/probes/kit/topology.ts),
 * so a new probe draws in it without an edit to the site: the site's module names no probe.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeTopology } from '../../../../src/probes/kit/topology.ts';
import { PROBE_DEFINITIONS } from '../../../../src/probes/registry.ts';
import { topologyGraph } from '../../../../src/site/dashboard/topology.ts';

const hosts = [{ name: 'lan', url: 'http://lan.example' }];

describe('topology parts', () => {
  it('draws what the registry says: the site module names no probe id', async () => {
    expect(PROBE_DEFINITIONS.filter((definition) => definition.topology).map((definition) => definition.id)).toEqual([
      'traefik.labels',
      'traefik.routes',
      'gateway.health',
      'mcp.catalog',
    ]);
    const source = await readFile(path.resolve(import.meta.dirname, '../../../../src/site/dashboard/topology.ts'), 'utf8');
    for (const definition of PROBE_DEFINITIONS) expect(source).not.toContain(`'${definition.id}'`);
  });

  it("composes a probe it does not know: its nodes, its host states, its state on another probe's column", () => {
    const gateway: ProbeTopology = (view) => ({ nodes: [{ id: 'litellm', column: 'gateway', label: 'LiteLLM', state: view?.status ?? 'none' }] });
    const cache: ProbeTopology = (view, context) => ({
      nodes: [{ id: 'server:cache', column: 'servers', label: 'cache', detail: 'MCP server', state: 'pass', edges: [['litellm', 'server:cache']] }],
      hosts: context.hosts.map((host) => ({ name: host.name, ok: false })),
      columnStates: { gateway: view?.status ?? 'none' },
    });
    const views = new Map([
      ['example.gateway', { status: 'pass' as const, facts: {} }],
      ['example.cache', { status: 'warn' as const, facts: {} }],
    ]);
    const graph = topologyGraph({
      hosts,
      views,
      staleProbes: new Set(['example.cache']),
      configuredServers: [],
      definitions: [{ id: 'example.gateway', topology: gateway }, { id: 'example.cache', topology: cache }, { id: 'example.none' }],
    });
    const byId = Object.fromEntries(graph.nodes.map((node) => [node.id, node]));
    expect(byId.litellm).toMatchObject({ column: 3, state: 'warn', stale: true, probes: ['example.gateway', 'example.cache'] });
    expect(byId['host:lan']).toMatchObject({ column: 1, state: 'fail', probes: ['example.cache'] });
    expect(byId['server:cache']).toMatchObject({ column: 4, state: 'pass', stale: true, probes: ['example.cache'] });
    expect(graph.edges).toEqual([['clients', 'host:lan'], ['litellm', 'server:cache']]);
  });

  it("draws a host's own nodes once, after the first host that names them", () => {
    const routers: ProbeTopology = (_view, context) => ({
      hosts: context.hosts.map((host) => ({ name: host.name, nodes: [{ id: 'router:shared', column: 'routers', label: 'shared', state: 'pass' }] })),
    });
    const graph = topologyGraph({
      hosts: [...hosts, { name: 'external', url: 'https://ext.example' }],
      views: new Map(),
      staleProbes: new Set(),
      configuredServers: [],
      definitions: [{ id: 'example.routers', topology: routers }],
    });
    expect(graph.nodes.map((node) => node.id)).toEqual(['clients', 'host:lan', 'router:shared', 'host:external']);
    expect(graph.edges).toEqual([['clients', 'host:lan'], ['host:lan', 'router:shared'], ['clients', 'host:external'], ['host:external', 'router:shared']]);
  });
});
