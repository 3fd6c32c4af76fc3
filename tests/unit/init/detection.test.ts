/**
 * What init counts as the gateway's: documents about it (its path, title or two sections name
 * it), data blocks that are its own (a catalog names its servers, a client table has a client
 * column with clients in it), and never a section under another service's heading. Each case is
 * one of the false positives found on a real runbook set (issue 15, items 2 and 5).
 */
import { describe, expect, it } from 'vitest';
import { bindItems } from '../../../src/init/bind-items.ts';
import { aboutGateway, headingAboutAnotherService, type GatewayTerms } from '../../../src/init/gateway-names.ts';
import { proposeRegions } from '../../../src/init/propose-regions.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';

const NAMES: GatewayTerms = {
  servers: ['mcp_postgres', 'mcp_filesystem'],
  hosts: ['litellm.linuxserver.lan', 'litellm.ai-servicers.com'],
  secretsFiles: ['litellm.env', 'mcp-postgres.env'],
  services: ['litellm', 'litellm-lan', 'litellm-ext'],
  files: ['litellm/config.yaml', 'litellm/docker-compose.yml'],
};
const ids = (text: string) => proposeRegions(text, 'doc.md', { gateway: NAMES }).proposals.map((p) => `${p.id}${p.supersedes ? ` ${p.supersedes.blocks.join('+')}` : ''}`);

describe('which blocks are the gateway’s', () => {
  it('a Python template with "tools": is not a catalog; a tools/list answer naming the servers is', () => {
    const template = ['## Tools', '', '```python', 'payload = {', '    "model": "gpt-4o",', '    "tools": [{"type": "function", "function": {"name": "lookup"}}],', '}', '```', ''].join('\n');
    expect(ids(template)).toEqual([]); // the heading names tools, but the section's prose is not about the gateway's
    const prose = template.replace('## Tools\n', '## Tools\n\nThe gateway lists the tools of mcp_postgres and mcp_filesystem.\n');
    expect(ids(prose)).toEqual(['mcp.catalog']); // an empty region at the section's end, superseding nothing
    const output = ['## Tools', '', '```json', '{"tools": [{"name": "mcp_postgres-query", "inputSchema": {}}]}', '```', ''].join('\n');
    expect(ids(output)).toEqual(['mcp.catalog code (json)']);
    // Under a heading that is not about tools, the template is nothing at all.
    expect(ids(template.replace('## Tools', '## Example client'))).toEqual([]);
  });

  it('a list of config paths or notes in code is not a tool list; one naming the servers is', () => {
    const paths = ['## Files', '', '- `projects/litellm/config.yaml` — the gateway', '- `~/.codex/config.toml` — Codex', ''].join('\n');
    expect(ids(paths)).toEqual([]);
    const tools = ['## Files', '', '- `mcp_postgres-query` — SQL', '- `mcp_filesystem-read_text_file` — files', ''].join('\n');
    expect(ids(tools)).toEqual(['mcp.catalog list']);
  });

  it('a model price table is not a client table; a Client column with clients is', () => {
    const models = ['## Models', '', '| Model | Input $/M | Output $/M |', '|---|---|---|', '| claude-sonnet-4-5 | 3 | 15 |', '| claude-opus-4-1 | 15 | 75 |', ''].join('\n');
    expect(ids(models)).toEqual([]);
    const clients = ['## Who uses it', '', '| Client | Host |', '|---|---|', '| Claude Code | lan |', '| Codex CLI | lan |', ''].join('\n');
    expect(ids(clients)).toEqual(['clients.matrix table']);
  });

  it('never proposes under a heading about another service', () => {
    const other = ['## Filesystem (9 tools)', '', '- `read_file` — read', '- `write_file` — write', '', '### Tool catalog', '', 'The tools of this server.', ''].join('\n');
    expect(ids(other)).toEqual([]);
    expect(headingAboutAnotherService('ArangoDB (7 tools) - ✅ DEPLOYED', NAMES)).toBe(true);
    expect(headingAboutAnotherService('ArangoDB MCP Server', NAMES)).toBe(true);
    expect(headingAboutAnotherService('Postgres (1 tool)', NAMES)).toBe(false); // the gateway's mcp_postgres
    expect(headingAboutAnotherService('MCP server configuration', NAMES)).toBe(false);
    expect(headingAboutAnotherService('Gateway MCP servers', NAMES)).toBe(false);
  });

  it('an env-var list or another service’s .env files are not the gateway’s secrets', () => {
    const vars = ['## Secrets', '', '- `DATABASE_URL` — the DSN', '- `REDIS_URL` — the cache', ''].join('\n');
    expect(ids(vars)).toEqual([]);
    const others = ['## Secrets', '', '- `secrets/grafana.env`', '- `secrets/arangodb.env`', ''].join('\n');
    expect(ids(others)).toEqual([]);
    const ours = ['## Secrets', '', '- `secrets/litellm.env`', '- `secrets/mcp-postgres.env`', ''].join('\n');
    expect(ids(ours)).toEqual(['secrets.audit list']);
  });
});

describe('which documents are about the gateway', () => {
  it('by path, title or two sections; not by one mention in passing', () => {
    expect(aboutGateway('projects/litellm/NOTES.md', '# Notes\n', NAMES)).toMatchObject({ about: true, why: 'its path names litellm' });
    expect(aboutGateway('ops/GATEWAY.md', '# LiteLLM runbook\n', NAMES).about).toBe(true);
    expect(aboutGateway('ops/clients.md', '# Clients\n\nUse http://litellm.linuxserver.lan/mcp/.\n\n## Codex\n\nHeader x-mcp-servers: mcp_postgres.\n', NAMES).about).toBe(true);
    const passing = aboutGateway('projects/arangodb/CLAUDE.md', '# ArangoDB\n\nA graph database.\n\n## Setup\n\nRun it.\n\n## Integration\n\nAlso registered in LiteLLM.\n', NAMES);
    expect(passing).toMatchObject({ about: false });
    expect(passing.why).toMatch(/only under "Integration", 1 of 3 sections/);
    expect(aboutGateway('projects/grafana/README.md', '# Grafana\n\n## Health\n\n- ✅ Health check passes\n', NAMES)).toMatchObject({ about: false, why: expect.stringMatching(/never names the gateway/) });
    // In another service's folder beside the gateway's, two sections are not enough; most are.
    const homes = { ...NAMES, homes: ['projects/litellm'] };
    const twice = '# ArangoDB\n\nA graph database.\n\n## Setup\n\nRun it.\n\n## Integration\n\nRegistered in LiteLLM.\n\n## Testing\n\ncurl http://litellm.linuxserver.lan/\n\n## Backups\n\nNightly.\n';
    expect(aboutGateway('projects/arangodb/CLAUDE.md', twice, homes)).toMatchObject({ about: false, why: expect.stringMatching(/^in projects\/arangodb\/, another service's folder/) });
    expect(aboutGateway('docs/arangodb.md', twice, homes).about).toBe(true);
    // A heading in a code block does not split sections.
    expect(aboutGateway('x.md', '# X\n\n```bash\n# litellm\ncurl litellm.linuxserver.lan\n```\n', NAMES).about).toBe(false);
  });
});

describe('binding precision', () => {
  it('a model row is never bound to claude.config; items under another service’s heading are not bound', () => {
    const plan = [
      '# LiteLLM models',
      '',
      '## Models',
      '',
      '| Model | Price | Status |',
      '|---|---|---|',
      '| claude-sonnet-4-5 | $3 | ✅ |',
      '| Claude Sonnet 4.5 (config) | $3 | ✅ |',
      '',
      '## ArangoDB (7 tools) - ✅ DEPLOYED',
      '',
      '- ✅ Health check passes on the graph API',
      '',
      '## Gateway',
      '',
      '- ✅ Health check passes through Traefik',
      '- [x] **Claude Code**: config has the x-mcp-servers header',
      '',
    ].join('\n');
    const { bound, unbound } = bindItems(plan, '/x/plan.md', 'plan.md', { probeIds: PROBE_IDS, gateway: NAMES });
    expect(bound.map((b) => [b.line, b.probes.join(',')])).toEqual([
      [16, 'gateway.health'],
      [17, 'claude.config'],
    ]);
    expect(unbound.find((u) => u.line === 7)?.reason).toBe('no probe keyword in its text');
    expect(unbound.find((u) => u.line === 8)?.reason).toBe('no probe keyword in its text');
    expect(unbound.find((u) => u.line === 12)?.reason).toMatch(/under "ArangoDB \(7 tools\)", a heading about another service/);
  });
});
