/** The status page's top grid (src/site/dashboard/glance.ts): every probe and matrix cell, linked, escaped, not colour-only. */
import { describe, expect, it } from 'vitest';
import type { MatrixRow } from '../../../../src/evidence/client-matrix.ts';
import { matrixGrid, probeTiles } from '../../../../src/site/dashboard/glance.ts';
import type { ProbeRow } from '../../../../src/site/dashboard/probes.ts';

const HOSTILE = '"><img src=x onerror=alert(1)>';

const row = (id: string, extra: Partial<ProbeRow> = {}): ProbeRow => ({ id, status: 'pass', stale: false, history: [], runs: 1, regions: [], ...extra });

describe('probe tiles', () => {
  it('one tile per probe, with a mark and a word, linking its latest evidence or else its details', () => {
    const tiles = probeTiles([
      row('traefik.labels', { latestHref: '/evidence/traefik.labels/a.json', lastRun: '2026-11-20T11:00:00.000Z' }),
      row('gateway.auth', { status: 'fail', stale: true, latestHref: '/evidence/gateway.auth/b.json' }),
      row('mcp.invoke', { status: 'none', runs: 0 }),
    ]).value;
    expect(tiles.match(/<li class="pb-tile"/g)).toHaveLength(3);
    expect(tiles).toContain('href="/evidence/traefik.labels/a.json"');
    expect(tiles).toContain('<span class="pb-mark" aria-hidden="true">✗</span><code>gateway.auth</code><span class="pb-tile__word">fail<span data-stale-badge> · stale</span>');
    expect(tiles).toContain('data-state="stale"');
    // No evidence: the tile says so and links the probe's card further down.
    expect(tiles).toContain('href="#probe-mcp-invoke"');
    expect(tiles).toContain('no runs');
  });

  it('escapes a probe id only the evidence index knows', () => {
    const tiles = probeTiles([row(HOSTILE, { latestHref: '/evidence/x.json' })]).value;
    expect(tiles).not.toContain('<img');
    expect(tiles).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('matrix grid', () => {
  const rows: MatrixRow[] = [
    { client: 'codex', host: 'lan', cells: { config: { status: 'pass', notes: [], probe: 'codex.config', evidence: 'codex.config/r.json' }, invocation: { status: 'known-limitation', notes: [HOSTILE], probe: 'codex.invoke', evidence: 'codex.invoke/r.json' } } },
    { client: HOSTILE, host: 'external', cells: { listing: { status: 'fail', notes: [], probe: 'x.list', evidence: 'x.list/r.json' } } },
  ];

  it('clients down, hosts across: every client × host × aspect is a cell; checked ones link their evidence', () => {
    const grid = matrixGrid(rows, '/docs/').value;
    expect(grid.match(/data-glance-cell=/g)).toHaveLength(2 * 2 * 3);
    expect(grid.match(/<tr data-glance-row=/g)).toHaveLength(2);
    expect(grid).toContain('<a href="/docs/evidence/codex.config/r.json"><span class="pb-mark" aria-hidden="true">✓</span>pass</a>');
    expect(grid).toContain('<span class="pb-mark" aria-hidden="true">~</span>limited</a>');
    // A host the client has no row for, and an aspect no probe checked, say so in words.
    expect(grid).toContain('not set up');
    expect(grid).toContain('not checked');
    expect(matrixGrid([], '/').value).toBe('');
  });

  it('escapes client names and notes', () => {
    const grid = matrixGrid(rows, '/').value;
    expect(grid).not.toContain('<img');
    expect(grid).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
