import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/probes/config.ts';

const repoConfig = readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'proofbook.config.yaml'), 'utf8');

describe('workspace config', () => {
  it('loads the built-in lab workspace and makes paths absolute', () => {
    const config = parseConfig(repoConfig, '/ws/proofbook.config.yaml');
    expect(config.gateway.configFile).toBe('/ws/lab/config.yaml');
    expect(config.runbooks).toEqual(['/ws/content']);
    expect(config.hostByName('external').caFile).toBe('/ws/.lab/certs/ca.pem');
    expect(config.gateway.mcp).toEqual({ path: '/mcp/', servers: ['mcp_postgres', 'mcp_filesystem'] });
  });

  it('names the file, line, field path, problem and the field description', () => {
    const broken = repoConfig.replace('url: http://litellm.linuxserver.lan:18080', 'url: litellm.linuxserver.lan');
    const line = broken.split('\n').findIndex((l) => l.includes('url: litellm.linuxserver.lan')) + 1;
    let error: unknown;
    try {
      parseConfig(broken, '/ws/proofbook.config.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`/ws/proofbook.config.yaml:${line}:`);
    expect(message).toContain('hosts.0.url: must be an http:// or https:// URL');
    expect(message).toContain('Base URL of the gateway on this host');
  });

  it('rejects unknown fields and says to remove them', () => {
    const broken = `${repoConfig}\nevaluationFolder: evidence\n`;
    expect(() => parseConfig(broken, '/ws/p.yaml')).toThrow(/unknown field\(s\) "evaluationFolder"; remove or rename them/);
  });

  it('reports a missing required field at its parent', () => {
    const broken = repoConfig.replace(/^\s+servers: .*$/m, '');
    expect(() => parseConfig(broken, '/ws/p.yaml')).toThrow(/gateway\.mcp\.servers: .*x-mcp-servers/);
  });

  it('points at the YAML syntax error', () => {
    expect(() => parseConfig('hosts:\n  - name: lan\n   url: x\n', '/ws/p.yaml')).toThrow(/^\/ws\/p\.yaml:3:\d+: invalid YAML/);
  });
});
