/**
 * refresh() applies a definition's `compare` to what its probe returned, against the evidence as
 * it was before the run — and leaves a crash or a timeout as the runner reported it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Probe, ProbeOutcome } from '../../../src/probes/types.ts';
import { refresh } from '../../../src/refresh/refresh.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

/** A stand-in for mcp.catalog (same id, so the registry's compare applies) that returns `next()`. */
function catalogProbe(next: () => Promise<ProbeOutcome>): Probe {
  return { id: 'mcp.catalog', run: next };
}

const listing = (schemas: Record<string, string>): ProbeOutcome => ({
  status: 'pass',
  summary: `${Object.keys(schemas).length} tools`,
  facts: { host: 'lan', toolCount: Object.keys(schemas).length, schemas },
  transcript: [],
});

async function run(probe: Probe) {
  const report = await refresh({ configPath: workspace.configPath, mode: 'run', lockWaitMs: 300, defaultTimeoutMs: 500 }, { probes: [probe] });
  const result = report.results[0]!;
  const stored = JSON.parse(await readFile(path.join(workspace.evaluationDir, result.evidence.result), 'utf8')) as { facts: Record<string, unknown> };
  return { report, result, stored };
}

describe('compare in refresh', () => {
  it('diffs a listing against the evidence before the run, and records it', async () => {
    workspace = await createOfflineWorkspace();
    const first = await run(catalogProbe(async () => listing({ 'alpha-one': 'a' })));
    expect(first.stored.facts).toEqual({ host: 'lan', toolCount: 1, schemas: { 'alpha-one': 'a' }, diff: { added: [], removed: [], changed: [] } });

    const second = await run(catalogProbe(async () => listing({ 'alpha-one': 'a', 'alpha-two': 'b' })));
    expect(second.stored.facts.diff).toEqual({ against: first.result.evidence.result, added: ['alpha-two'], removed: [], changed: [] });
    expect(second.report.exitCode).toBe(0);
  });

  it('records a crash and a timeout as the runner reported them: no catalog carried over', async () => {
    workspace = await createOfflineWorkspace();
    await run(catalogProbe(async () => listing({ 'alpha-one': 'a' })));
    const crashed = await run(catalogProbe(async () => Promise.reject(new Error('boom'))));
    expect(crashed.stored.facts).toEqual({ crash: { name: 'Error', message: 'boom' } });
    expect(crashed.report.exitCode).toBe(1);
    const hung = await run(catalogProbe(() => new Promise<never>(() => {})));
    expect(hung.stored.facts).toEqual({ timedOut: true, timeoutMs: 2000 });
  });

  it('carries the last catalog into a run the probe itself reports as failed', async () => {
    workspace = await createOfflineWorkspace();
    const first = await run(catalogProbe(async () => listing({ 'alpha-one': 'a' })));
    const failed = await run(catalogProbe(async () => ({ status: 'fail', summary: 'no tools', facts: { host: 'lan', toolCount: 0 }, transcript: [] })));
    expect(failed.stored.facts).toEqual({
      host: 'lan',
      toolCount: 0,
      lastCatalog: { evidence: first.result.evidence.result, schemas: { 'alpha-one': 'a' }, diff: { added: [], removed: [], changed: [] } },
    });
  });
});
