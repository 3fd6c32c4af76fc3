/**
 * `mcp.catalog`'s compare (src/probes/mcp-catalog/compare.ts): the catalog diff refresh records,
 * case by case, without a gateway. The same sequence through the real probe is in
 * tests/e2e/probes/mcp-catalog/mcp-catalog.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compareCatalog } from '../../../../src/probes/mcp-catalog/compare.ts';
import type { CatalogFacts } from '../../../../src/probes/mcp-catalog/facts.ts';
import type { ProbeOutcome, ProbeView } from '../../../../src/probes/types.ts';

/** Facts as the probe returns them when a transport listed tools (key order as the probe builds it). */
function listed(schemas: Record<string, string>): CatalogFacts {
  return {
    host: 'lan',
    endpoint: 'http://gateway/mcp/',
    pages: 1,
    toolCount: Object.keys(schemas).length,
    servers: [],
    otherTools: [],
    reproduce: 'curl …',
    transports: [],
    serverVersion: '1.0.0',
    protocolVersion: '2025-06-18',
    schemas,
  };
}

/** Facts as the probe returns them when no transport listed tools. */
function unlisted(): CatalogFacts {
  return { host: 'lan', endpoint: 'http://gateway/mcp/', pages: 0, toolCount: 0, servers: [], otherTools: [], reproduce: 'curl …', transports: [] };
}

const outcome = (facts: object, status: ProbeOutcome['status'] = 'pass'): ProbeOutcome => ({ status, summary: 's', facts, transcript: [], target: ['http://gateway/mcp/'] });

function view(facts: object, evidence: string, status: ProbeView['status'] = 'pass'): ProbeView {
  return { id: 'mcp.catalog', status, summary: 's', facts: facts as Record<string, unknown>, since: '2026-01-01T00:00:00.000Z', evidence, lastRun: '2026-01-01T00:00:00.000Z' };
}

const V1 = { 'alpha-one': 'a1', 'alpha-two': 'a2', 'beta-three': 'b3' };
const V2 = { 'alpha-one': 'a1-changed', 'beta-four': 'b4', 'beta-three': 'b3' };

describe('compareCatalog', () => {
  it('the first catalog on record: a diff with no `against` and empty lists, appended after `schemas`', () => {
    const result = compareCatalog(undefined, outcome(listed(V1)));
    expect(result.facts.diff).toEqual({ added: [], removed: [], changed: [] });
    expect(Object.keys(result.facts).slice(-2)).toEqual(['schemas', 'diff']);
    expect(result.facts.lastCatalog).toBeUndefined();
  });

  it('keeps everything else of the outcome as the probe returned it, and changes neither input', () => {
    const current = outcome(listed(V2), 'warn');
    const previous = view({ ...listed(V1), diff: { added: [], removed: [], changed: [] } }, 'mcp.catalog/1.json');
    const before = JSON.stringify([current, previous]);
    const result = compareCatalog(previous, current);
    expect(JSON.stringify([current, previous])).toBe(before);
    expect({ ...result, facts: undefined }).toEqual({ ...current, facts: undefined });
    const { diff, ...rest } = result.facts;
    expect(rest).toEqual(current.facts);
    expect(diff).toBeDefined();
  });

  it('a changed catalog: added, removed and input-schema-changed tools against the previous evidence', () => {
    const previous = view({ ...listed(V1), diff: { added: [], removed: [], changed: [] } }, 'mcp.catalog/1.json');
    expect(compareCatalog(previous, outcome(listed(V2))).facts.diff).toEqual({
      against: 'mcp.catalog/1.json',
      added: ['beta-four'],
      removed: ['alpha-two'],
      changed: ['alpha-one'],
    });
  });

  it('the same catalog again: the previous diff carried over, so the facts stay byte-identical', () => {
    const third = { ...listed(V2), diff: { against: 'mcp.catalog/1.json', added: ['beta-four'], removed: ['alpha-two'], changed: ['alpha-one'] } };
    const result = compareCatalog(view(third, 'mcp.catalog/3.json'), outcome(listed(V2)));
    expect(JSON.stringify(result.facts)).toBe(JSON.stringify(third));
  });

  it('the same catalog as evidence that has no diff yet: compared against it, nothing changed', () => {
    const result = compareCatalog(view(listed(V1), 'mcp.catalog/1.json'), outcome(listed(V1)));
    expect(result.facts.diff).toEqual({ against: 'mcp.catalog/1.json', added: [], removed: [], changed: [] });
  });

  it('an outage carries the last catalog on record, with its diff; no diff of its own', () => {
    const diff = { against: 'mcp.catalog/1.json', added: ['beta-four'], removed: ['alpha-two'], changed: ['alpha-one'] };
    const result = compareCatalog(view({ ...listed(V2), diff }, 'mcp.catalog/3.json'), outcome(unlisted(), 'fail'));
    expect(result.facts.diff).toBeUndefined();
    expect(result.facts.lastCatalog).toEqual({ evidence: 'mcp.catalog/3.json', schemas: V2, diff });
    expect(Object.keys(result.facts).at(-1)).toBe('lastCatalog');
    expect(result.status).toBe('fail');
  });

  it('a second outage keeps carrying it; back with the same catalog, the diff from before the outage', () => {
    const diff = { against: 'mcp.catalog/1.json', added: ['beta-four'], removed: ['alpha-two'], changed: ['alpha-one'] };
    const lastCatalog = { evidence: 'mcp.catalog/3.json', schemas: V2, diff };
    const outage = view({ ...unlisted(), lastCatalog }, 'mcp.catalog/5.json', 'fail');
    expect(compareCatalog(outage, outcome(unlisted(), 'error')).facts.lastCatalog).toEqual(lastCatalog);
    const back = compareCatalog(outage, outcome(listed(V2)));
    expect(back.facts.diff).toEqual(diff);
    expect(back.facts.lastCatalog).toBeUndefined();
  });

  it('back after an outage with another catalog: compared against the last catalog seen', () => {
    const lastCatalog = { evidence: 'mcp.catalog/3.json', schemas: V1 };
    const outage = view({ ...unlisted(), lastCatalog }, 'mcp.catalog/5.json', 'fail');
    expect(compareCatalog(outage, outcome(listed(V2))).facts.diff).toEqual({
      against: 'mcp.catalog/3.json',
      added: ['beta-four'],
      removed: ['alpha-two'],
      changed: ['alpha-one'],
    });
  });

  it('evidence written before schemas were recorded: compared by tool names, no schema change reported', () => {
    const old = view({ servers: [{ name: 'alpha', tools: ['one', 'zero'], missingTools: [] }], otherTools: ['stray'] }, 'mcp.catalog/old.json');
    const result = compareCatalog(old, outcome(listed({ 'alpha-one': 'a1', 'alpha-two': 'a2', stray: 's' })));
    expect(result.facts.diff).toEqual({ against: 'mcp.catalog/old.json', added: ['alpha-two'], removed: ['alpha-zero'], changed: [] });
    expect(compareCatalog(old, outcome(unlisted(), 'fail')).facts.lastCatalog).toEqual({
      evidence: 'mcp.catalog/old.json',
      schemas: { 'alpha-one': '', 'alpha-zero': '', stray: '' },
    });
  });

  it('nothing on record to compare with (no evidence, an errored run, an empty catalog): the outcome as it was', () => {
    const current = outcome(unlisted(), 'fail');
    for (const previous of [undefined, view({ crash: { name: 'Error', message: 'boom' } }, 'mcp.catalog/2.json', 'error'), view(unlisted(), 'mcp.catalog/4.json', 'fail')]) {
      const result = compareCatalog(previous, current);
      expect(JSON.stringify(result)).toBe(JSON.stringify(current));
    }
    // An errored previous run has no catalog: a listing after it is the first on record again.
    expect(compareCatalog(view({ timedOut: true, timeoutMs: 100 }, 'mcp.catalog/2.json', 'error'), outcome(listed(V1))).facts.diff).toEqual({ added: [], removed: [], changed: [] });
  });
});
