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

  it('runs LiteLLM 1.77.1 unless lab.litellmVersion names another exact release, and refuses the compromised ones', () => {
    expect(parseConfig(repoConfig, '/ws/p.yaml').lab.litellmVersion).toBe('1.77.1');
    const withVersion = (version: string) => repoConfig.replace('  litellmPort: 4000', `  litellmVersion: "${version}"\n  litellmPort: 4000`);
    expect(parseConfig(withVersion('1.110.2'), '/ws/p.yaml').lab.litellmVersion).toBe('1.110.2');
    expect(() => parseConfig(withVersion('latest'), '/ws/p.yaml')).toThrow(/lab\.litellmVersion: use an exact release number X\.Y\.Z/);
    expect(() => parseConfig(withVersion('1.82.8'), '/ws/p.yaml')).toThrow(/lab\.litellmVersion: LiteLLM 1\.82\.8 is refused: .*2026-03-24 with a credential-stealing payload/);
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
