/**
 * Hostile strings for every renderer: facts of every region's probes (from the repository's
 * fixtures) with a hostile string appended to each string leaf, and summaries carrying markup.
 * Shared by the Markdown-level tests and the Chromium test of the built site.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProbeView } from '../../src/evidence/history.ts';

export const XSS = `<img src=x onerror="document.title='XSS'">`;
/** The two names of the reported attack: a line break ends the row, then the backticks pair up shifted. */
export const ATTACK_NAMES = ['mcp_postgres-a\nb', `mcp_postgres-c${XSS}`];
export const HOSTILE = [
  ...ATTACK_NAMES,
  '<script>document.title="XSS"</script>',
  'a|b`c``d\\',
  'line\r\nbreak\u2028sep\u2029para',
  'bidi\u202Eevil\u2066',
  'nul\u0000esc\u001b[31mred\u0007',
  '<!-- proofbook:end mcp.catalog -->',
  '[x](javascript:alert(1))',
  '](javascript:alert(1))',
  '*__~~',
  '\n\n# heading\n\n<div onclick=x>',
];

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');

/** Keys whose values pick a renderer's branch or join facts across probes: kept, so the poisoned region has the same shape. */
export const KEEP = new Set(['status', 'severity', 'outcome', 'verdict', 'state', 'transport', 'kind', 'endpoint', 'url', 'validTo', 'validFrom', 'host', 'hostname', 'id', 'probe', 'client', 'aspect']);

/** Every string leaf of `value` with a hostile string around it (keys that select a renderer's branch stay as they are). */
export function hostile(value: unknown, key = '', i = { n: 0 }): unknown {
  if (typeof value === 'string') {
    if (KEEP.has(key)) return value;
    return `${value}${HOSTILE[i.n++ % HOSTILE.length]}`;
  }
  if (Array.isArray(value)) return value.map((v) => hostile(v, key, i));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hostile(v, k, i)]));
  return value;
}

/** Evidence of every region's probes, from the repository's fixtures, plus the three no fixture has. */
export function allViews(): Map<string, ProbeView> {
  const read = (file: string) => JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as Record<string, ProbeView>;
  const views = { ...read('rewrite/results.json'), ...read('rewrite/client-matrix/results.json') };
  const view = (id: string, facts: Record<string, unknown>): ProbeView => ({
    id,
    status: 'warn',
    summary: `summary of ${id}`,
    facts,
    since: '2026-11-25T12:00:00.000Z',
    evidence: `${id}/2026-11-25T12-00-00-000Z.json`,
    lastRun: '2026-11-25T12:00:00.000Z',
  });
  /** The site fixture's latest evidence of a probe, as a view. */
  const latest = (id: string): ProbeView => {
    const dir = path.join(fixtures, 'site', 'evaluation', id);
    const file = readdirSync(dir).filter((f) => /Z\.json$/.test(f)).sort().at(-1)!;
    const result = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ProbeView;
    return view(id, result.facts);
  };
  const finding = { severity: 'warn', code: 'x', message: 'a finding', file: 'lab/config.yaml', line: 3 };
  Object.assign(views, {
    'gateway.config': latest('gateway.config'),
    'secrets.audit': latest('secrets.audit'),
    'traefik.routes': view('traefik.routes', {
      apiUrl: 'http://127.0.0.1:18090',
      hosts: [
        {
          host: 'lan',
          hostname: 'litellm.linuxserver.lan',
          ok: false,
          routers: [{ name: 'litellm-lan@file', entryPoints: ['web'], service: 'litellm@file', servers: ['http://127.0.0.1:4000'] }],
          request: { url: 'http://litellm.linuxserver.lan/health/liveliness', ok: false, status: 502, reason: 'Bad Gateway' },
          certificate: { validFrom: '2026-01-01', validTo: '2027-01-01', state: 'valid', matchesHost: false, san: ['x.example'], trusted: false, verifyError: 'SELF_SIGNED', issuer: 'Lab CA' },
        },
      ],
      findings: [finding],
    }),
    'gateway.auth': view('gateway.auth', {
      checks: [
        {
          host: 'lan',
          external: true,
          path: '/mcp/',
          endpoint: 'mcp',
          url: 'http://litellm.linuxserver.lan/mcp/',
          noKey: { status: 500, outcome: 'refused-misleading', reason: 'MCP request failed' },
          wrongKey: { status: undefined, outcome: 'unreachable', error: 'ECONNRESET' },
          verdict: 'warn',
        },
      ],
      validKey: [{ host: 'lan', url: 'http://litellm.linuxserver.lan/mcp/', ok: false, status: 500, reason: 'tool error' }],
      keyEnvVar: 'LITELLM_MASTER_KEY',
      keySource: '.env',
      keyHeader: 'x-litellm-api-key',
      findings: [finding],
    }),
    'mcp.invoke': view('mcp.invoke', {
      endpoint: 'http://litellm.linuxserver.lan/mcp/',
      calls: [{ server: 'mcp_postgres', tool: 'query', arguments: { sql: 'select 1' }, outcome: 'error', problem: 'tool failed', reproduce: 'curl -s http://x' }],
      serversWithoutTools: ['mcp_filesystem'],
    }),
  });
  return new Map(Object.entries(views).map(([id, v]) => [id, { ...v, summary: `${v.summary}${XSS}\nsecond line` }]));
}
