import { describe, expect, it } from 'vitest';
import { parseLitellmConfig } from '../../../src/upgrade/config-compat.ts';
import { stdioGateFindings } from '../../../src/upgrade/stdio-gate.ts';

// The lab's shape: two stdio servers through `sh -c`, one through npx, one remote server; CRLF.
const CONFIG = [
  'general_settings:',
  '  master_key: os.environ/LITELLM_MASTER_KEY',
  'mcp_servers:',
  '  mcp_postgres:',
  '    transport: stdio',
  '    command: sh',
  '    args: ["-c", "exec mcp-server-postgres \\"$POSTGRES_URL\\""]',
  '  mcp_fetch:',
  '    command: /usr/bin/npx',
  '    args: ["-y", "@modelcontextprotocol/server-fetch"]',
  '  remote:',
  '    url: https://mcp.example.com/mcp',
  '    transport: http',
  '',
].join('\r\n');

const names = (...extra: string[]) => new Set(['mcp_servers', 'transport', 'command', ...extra]);
const from = { version: '1.77.1', names: names() };
const to = { version: '1.110.2', names: names('LITELLM_ENABLE_MCP_STDIO', 'LITELLM_MCP_STDIO_EXTRA_COMMANDS') };

describe('stdioGateFindings', () => {
  it('flags every stdio server when the target gates stdio behind its environment, and a command off its allowlist, at their lines', () => {
    const findings = stdioGateFindings({ configFile: 'lab/config.yaml', yaml: parseLitellmConfig(CONFIG), from, to });
    expect(findings.map((f) => [f.code, f.line, f.column])).toEqual([
      ['config.stdio.disabled', 4, 3],
      ['config.stdio.command', 6, 14],
      ['config.stdio.disabled', 8, 3],
    ]);
    expect(findings[0]!.message).toContain('LITELLM_ENABLE_MCP_STDIO=true');
    expect(findings[1]!.message).toMatch(/`sh`.*LITELLM_MCP_STDIO_EXTRA_COMMANDS.*add sh there/);
    expect(findings.every((f) => f.severity === 'warn' && f.file === 'lab/config.yaml')).toBe(true);
  });

  it('says nothing when both releases gate alike, or neither does', () => {
    expect(stdioGateFindings({ configFile: 'c.yaml', yaml: parseLitellmConfig(CONFIG), from: to, to })).toEqual([]);
    expect(stdioGateFindings({ configFile: 'c.yaml', yaml: parseLitellmConfig(CONFIG), from, to: { ...from, version: '1.80.0' } })).toEqual([]);
  });

  it('reads configs without servers, or with odd shapes, without a finding or a crash', () => {
    for (const text of ['', 'mcp_servers: []\n', 'mcp_servers:\n  x: 1\n', '- a\n', 'mcp_servers:\n  y:\n    transport: [stdio]\n']) {
      expect(stdioGateFindings({ configFile: 'c.yaml', yaml: parseLitellmConfig(text), from, to })).toEqual([]);
    }
  });

  it('names a `<<` key among the servers as written, though the parse it shares reads merges', () => {
    const findings = stdioGateFindings({ configFile: 'c.yaml', yaml: parseLitellmConfig('mcp_servers:\n  <<: {command: sh}\n'), from, to });
    expect(findings.map((f) => [f.code, f.line, f.column, f.message.split(':')[0]])).toEqual([
      ['config.stdio.disabled', 2, 3, '`mcp_servers.<<` is a stdio server'],
      ['config.stdio.command', 2, 17, '`mcp_servers.<<.command` is `sh`'],
    ]);
  });
});
