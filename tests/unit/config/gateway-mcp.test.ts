/**
 * `gateway.mcp` (the gateway's MCP path and servers) and the configs written before it existed,
 * which set them as `probes."mcp.catalog".path`/`servers`: read as before (normalised into
 * `gateway.mcp`), errors pointed at the line the user wrote, and both places at once refused.
 */
import { describe, expect, it } from 'vitest';
import { gatewayMcp, moveLegacyMcpOptions } from '../../../src/config/gateway-mcp.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { ConfigError, deprecationWarnings, parseConfig } from '../../../src/probes/config.ts';

const FILE = '/ws/proofbook.config.yaml';
const HEAD = ['gateway:', '  configFile: c.yaml', '  composeFile: d.yml'];
const HOSTS = ['hosts:', '  - name: lan', '    url: http://a.lan'];
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

function configError(text: string): ConfigError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the config loaded');
}

describe('gateway.mcp', () => {
  it('holds the MCP path (default /mcp/) and the servers, read through gatewayMcp()', () => {
    const config = parseConfig(yaml(...HEAD, '  mcp:', '    servers: [mcp_postgres]', ...HOSTS, 'probes: {}'), FILE);
    expect(gatewayMcp(config)).toEqual({ path: '/mcp/', servers: ['mcp_postgres'] });
    expect(config.probes['mcp.catalog']).toMatchObject({ host: 'lan', transports: ['streamable-http', 'sse'] });
  });

  it('is required: the servers are named at gateway.mcp with what they are for', () => {
    const error = configError(yaml(...HEAD, ...HOSTS, 'probes: {}'));
    expect(error.exitCode).toBe(EXIT_CODE.usage);
    expect(error.message).toMatch(/\/ws\/proofbook\.config\.yaml:2:3: gateway\.mcp: .* — The MCP endpoint and servers of the gateway/);
  });
});

describe('a config that still sets them under probes."mcp.catalog"', () => {
  const legacy = yaml(...HEAD, ...HOSTS, 'probes:', '  mcp.catalog:', '    host: lan', '    path: /gw/mcp/', '    servers: [mcp_postgres, mcp_filesystem]', '    timeoutMs: 5000');

  it('loads as before: the path and servers are read as gateway.mcp, the rest stays the probe\'s', () => {
    const config = parseConfig(legacy, FILE);
    expect(gatewayMcp(config)).toEqual({ path: '/gw/mcp/', servers: ['mcp_postgres', 'mcp_filesystem'] });
    expect(config.probes['mcp.catalog']).toMatchObject({ host: 'lan', timeoutMs: 5000 });
    expect(config.probes['mcp.catalog']).not.toHaveProperty('servers');
    expect(config.probes['mcp.catalog']).not.toHaveProperty('path');
  });

  it('warns once per moved field, at the key the user wrote, through onWarning', () => {
    const warnings: string[] = [];
    parseConfig(legacy, FILE, { onWarning: (line) => warnings.push(line) });
    const expected = [
      '/ws/proofbook.config.yaml:10:5: probes."mcp.catalog".path moved to gateway.mcp.path; move it there (it still works)',
      '/ws/proofbook.config.yaml:11:5: probes."mcp.catalog".servers moved to gateway.mcp.servers; move it there (it still works)',
    ];
    expect(warnings).toEqual(expected);
    // The same lines from the text alone (init reads a config it does not validate).
    expect(deprecationWarnings(legacy, FILE)).toEqual(expected);
    expect(deprecationWarnings('probes: [unclosed', FILE)).toEqual([]);
    // A config at the new place, or one that does not load, warns about nothing.
    const quiet: string[] = [];
    parseConfig(yaml(...HEAD, '  mcp:', '    servers: [mcp_postgres]', ...HOSTS, 'probes: {}'), FILE, { onWarning: (line) => quiet.push(line) });
    expect(() => parseConfig(legacy.replace('path: /gw/mcp/', 'path: gw/mcp/'), FILE, { onWarning: (line) => quiet.push(line) })).toThrow(ConfigError);
    expect(quiet).toEqual([]);
  });

  it('reports a wrong value where the user wrote it, and where it belongs now', () => {
    const error = configError(legacy.replace('path: /gw/mcp/', 'path: gw/mcp/'));
    expect(error.message).toContain(
      '/ws/proofbook.config.yaml:10:11: probes.mcp.catalog.path: Invalid string: must start with "/" — Path of the gateway\'s streamable HTTP MCP endpoint',
    );
    expect(error.message).toContain('(it belongs in gateway.mcp.path now; it is still read from here)');
  });

  it('refuses the same field in both places (exit 2), at the old place, saying which to delete', () => {
    const both = yaml(...HEAD, '  mcp:', '    servers: [mcp_postgres]', ...HOSTS, 'probes:', '  mcp.catalog:', '    servers: [mcp_filesystem]');
    const error = configError(both);
    expect(error.exitCode).toBe(EXIT_CODE.usage);
    expect(error.message).toBe(
      'Invalid Proofbook config:\n  /ws/proofbook.config.yaml:11:14: probes.mcp.catalog.servers: also set as gateway.mcp.servers (line 5); ' +
        'gateway.mcp.servers is the one place for it now — delete this one',
    );
  });

  it('takes one field from each place when they do not overlap', () => {
    const split = yaml(...HEAD, '  mcp:', '    path: /x/', ...HOSTS, 'probes:', '  mcp.catalog:', '    servers: [a]');
    expect(gatewayMcp(parseConfig(split, FILE))).toEqual({ path: '/x/', servers: ['a'] });
  });

  it('without a gateway section, reports the missing gateway and nothing about the old fields', () => {
    const error = configError(yaml(...HOSTS, 'probes:', '  mcp.catalog:', '    servers: [a]'));
    expect(error.message).toMatch(/:1:1: gateway: Invalid input: expected object/);
    expect(error.message).not.toMatch(/servers/);
  });

  it('is normalised on a copy: the raw config is not changed', () => {
    const raw = { gateway: { configFile: 'c' }, probes: { 'mcp.catalog': { servers: ['a'], host: 'lan' } } };
    const before = structuredClone(raw);
    const moved = moveLegacyMcpOptions(raw);
    expect(raw).toEqual(before);
    expect(moved.data).toEqual({ gateway: { configFile: 'c', mcp: { servers: ['a'] } }, probes: { 'mcp.catalog': { host: 'lan' } } });
    expect(moved.moved).toEqual([{ from: ['probes', 'mcp.catalog', 'servers'], to: ['gateway', 'mcp', 'servers'] }]);
  });
});
