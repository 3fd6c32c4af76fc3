/**
 * Adoption as a new user would do it, on the messy runbook set (tests/fixtures/init/messy-set),
 * offline: `init --yes` → a first refresh (the static probes really run on the set's files; the
 * live and client probes' evidence is recorded by the real evidence store) → a byte check →
 * every bound item's status → a second refresh that changes nothing → `--check` green.
 *
 * The byte check is the invariant: init only inserted region markers (the documents minus those
 * lines are the originals), and the refresh changed nothing outside the regions, the status of the
 * items init bound (box, leading mark, status text) and `Last Updated` dates.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as initMain, type InitReport } from '../../../src/cli/init.ts';
import { main as refreshDocs, type RefreshJson } from '../../../src/cli/refresh-docs.ts';
import { writeEvidence } from '../../../src/evidence/store.ts';
import { loadConfig } from '../../../src/probes/config.ts';
import type { ProbeOutcome, ProbeStatus } from '../../../src/probes/types.ts';
import type { ItemState } from '../../../src/rewrite/item-status.ts';
import { stateOfEmoji } from '../../../src/rewrite/status-phrases.ts';
import { analyzeDocument, positionOf } from '../../../src/rewrite/structure.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';
import { SET_DIR } from '../../fixtures/init/generate-messy-set.ts';
import { mask, owned, snapshot } from '../../helpers/outside-regions.ts';

/** The probes that read only files: they really run on the set. */
const STATIC = ['traefik.labels', 'gateway.config', 'secrets.audit'];
const CATALOG_FACTS = {
  host: 'lan',
  endpoint: 'http://litellm.linuxserver.lan/mcp/',
  pages: 1,
  toolCount: 3,
  servers: [
    { name: 'mcp_postgres', tools: ['query'], missingTools: [] },
    { name: 'mcp_filesystem', tools: ['read_text_file'], missingTools: [] },
    { name: 'mcp_timescaledb', tools: ['list_hypertables'], missingTools: [] },
  ],
  otherTools: [],
  reproduce: 'curl -s http://litellm.linuxserver.lan/mcp-rest/tools/list',
};
/** Recorded outcomes of the probes this test does not run: a mix of states, so every shape is rewritten both ways. */
const RECORDED: Record<string, { status: ProbeStatus; summary: string; facts?: Record<string, unknown> }> = {
  'traefik.routes': { status: 'pass', summary: '2 routes answer; certificate valid for 60 days' },
  'gateway.health': { status: 'fail', summary: 'readiness: database not connected' },
  'gateway.auth': { status: 'pass', summary: 'a missing or wrong key gets 401 on both hosts' },
  'mcp.catalog': { status: 'pass', summary: '3 tools via lan', facts: CATALOG_FACTS },
  'mcp.invoke': { status: 'warn', summary: 'mcp_postgres-query answered slowly' },
  'codex.config': { status: 'pass', summary: 'config.toml has the gateway entry', facts: { clientMatrix: [{ client: 'codex', host: 'lan', aspect: 'config', status: 'pass' }] } },
  'codex.list': { status: 'pass', summary: 'codex mcp list shows the gateway', facts: { clientMatrix: [{ client: 'codex', host: 'lan', aspect: 'listing', status: 'pass' }] } },
  'codex.invoke': { status: 'fail', summary: 'tool calls need an interactive session', facts: { clientMatrix: [{ client: 'codex', host: 'lan', aspect: 'invocation', status: 'fail' }] } },
  'openwebui.config': { status: 'warn', summary: 'catalog only', facts: { clientMatrix: [{ client: 'openwebui', host: 'lan', aspect: 'config', status: 'warn' }] } },
  'vscode.config': { status: 'pass', summary: 'example references both hosts', facts: { clientMatrix: [{ client: 'vscode', host: 'lan', aspect: 'config', status: 'pass' }] } },
  'claude.config': { status: 'pass', summary: '.mcp.json sends the key header', facts: { clientMatrix: [{ client: 'claude', host: 'lan', aspect: 'config', status: 'pass' }] } },
  'claude.list': { status: 'pass', summary: 'claude mcp list: connected', facts: { clientMatrix: [{ client: 'claude', host: 'lan', aspect: 'listing', status: 'pass' }] } },
};

const SEVERITY: Record<ProbeStatus, number> = { pass: 0, skip: 1, 'known-limitation': 1.5, warn: 2, fail: 3, error: 4 };
/** The state a bound item shows: its probes' worst status (see statusFromProbes). */
function expectedState(probes: string[], statuses: Map<string, ProbeStatus>): ItemState {
  const worst = probes.map((id) => statuses.get(id)!).reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
  return worst === 'pass' ? 'pass' : worst === 'warn' || worst === 'known-limitation' ? 'warn' : worst === 'skip' ? 'pending' : 'fail';
}

async function run(main: typeof initMain | typeof refreshDocs, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main({ argv, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('adopting the messy runbook set: init --yes, refresh, byte check, statuses, no-op, --check', () => {
  let dir: string;
  let configPath: string;
  let init: InitReport;
  const original: Record<string, string> = {};
  const afterInit: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-adoption-'));
    await cp(SET_DIR, dir, { recursive: true });
    configPath = path.join(dir, 'proofbook.config.yaml');
    await writeFile(path.join(dir, 'secrets', 'litellm.env'), 'LITELLM_MASTER_KEY=sk-messy-set-Zq8vT2mK9wXr4LpN\nDATABASE_URL=postgresql://litellm:Hunter2-Tr0ub4dor@db:5432/litellm\n', { mode: 0o600 });
    const docs = (await snapshot(dir)) as Record<string, string>;
    for (const rel of Object.keys(docs).filter((f) => f.endsWith('.md'))) original[rel] = await readFile(path.join(dir, rel), 'utf8');
    const result = await run(initMain, ['--yes', '--json', dir]);
    expect(result.code, result.err).toBe(0);
    init = JSON.parse(result.out) as InitReport;
    for (const rel of Object.keys(original)) afterInit[rel] = await readFile(path.join(dir, rel), 'utf8');
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('init only inserted region markers, each beside the block it supersedes; it wrapped nothing', () => {
    expect(init.regions.length).toBeGreaterThan(50);
    expect(init.regions.every((r) => r.mode === 'insert')).toBe(true);
    for (const [rel, text] of Object.entries(afterInit)) {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const inserted = new RegExp(`${eol}${eol}<!-- proofbook:start [^>]*-->${eol}<!-- proofbook:end [^>]*-->`, 'g');
      expect(text.replace(inserted, ''), rel).toBe(original[rel]);
    }
    // Documents not about the gateway were not touched at all.
    for (const skipped of init.skipped) expect(afterInit[skipped.file]).toBe(original[skipped.file]);
  });

  it('the first refresh keeps every hand-written byte and writes each bound item’s status; the second is a no-op; --check is green', async () => {
    const config = await loadConfig(configPath);
    const at = new Date().toISOString(); // --check wants evidence younger than check.maxAgeHours
    for (const [id, recorded] of Object.entries(RECORDED)) {
      const outcome: ProbeOutcome = { status: recorded.status, summary: recorded.summary, facts: recorded.facts ?? {}, transcript: [] };
      await writeEvidence({ evaluationDir: config.evaluationDir, id, startedAt: at, durationMs: 5, redactor: new Redactor(), outcome });
    }
    const first = await run(refreshDocs, ['--config', configPath, '--only', STATIC.join(','), '--json']);
    expect([0, 1]).toContain(first.code); // a static probe may fail on the set's files; that is a status like any other
    const report = JSON.parse(first.out) as RefreshJson;
    const statuses = new Map<string, ProbeStatus>(Object.entries(RECORDED).map(([id, r]) => [id, r.status]));
    for (const result of report.results) statuses.set(result.id, result.status);

    // Byte check: outside regions, bound statuses and Last Updated dates, nothing moved.
    let checked = 0;
    let bytesLost = 0;
    for (const [rel, before] of Object.entries(afterInit)) {
      const after = await readFile(path.join(dir, rel), 'utf8');
      const lines = init.bound.filter((b) => b.file === rel).map((b) => b.line);
      const ranges = owned(before, after, rel, lines);
      const a = mask(before, ranges.before);
      const b = mask(after, ranges.after);
      if (a !== b) bytesLost += Math.abs(a.length - b.length) || 1;
      expect(b, rel).toBe(a);
      checked++;
    }
    console.info(`adoption: ${checked} documents, ${init.bound.length} bound items, ${init.regions.length} regions; hand-written bytes changed outside what Proofbook owns: ${bytesLost}`);
    console.info(`adoption: static probes on the set: ${report.results.map((r) => `${r.id} ${r.status}`).join(', ')}`);

    // Every bound item shows its probes' state, in its own shape.
    let right = 0;
    for (const item of init.bound) {
      // The same site in the refreshed text: sites keep their order and number (a filled region above moves its line).
      const before = afterInit[item.file]!;
      const index = analyzeDocument(before, item.file).sites.findIndex((s) => positionOf(before, s.at).line === item.line);
      expect(index, `${item.file}:${item.line}`).toBeGreaterThanOrEqual(0);
      const text = await readFile(path.join(dir, item.file), 'utf8');
      const site = analyzeDocument(text, item.file).sites[index];
      const want = expectedState(item.probes, statuses);
      const shown = site!.box
        ? text[site!.box[0]] === 'x' || text[site!.box[0]] === 'X'
          ? 'pass'
          : 'not pass'
        : stateOfEmoji(text.slice((site!.mark ?? site!.status)[0], (site!.mark ?? site!.status)[1]));
      const expected = site!.box ? (want === 'pass' ? 'pass' : 'not pass') : want === 'pending' ? 'warn' : want;
      expect(shown, `${item.file}:${item.line} ${item.probes.join(',')}: ${item.text}`).toBe(expected);
      const reported = report.docs.find((d) => d.file === item.file)?.items.find((i) => i.line === item.line);
      expect(reported?.state, `${item.file}:${item.line}`).toBe(want);
      right++;
    }
    expect(right).toBe(init.bound.length);

    // Steady state: a second refresh (offline) writes nothing, and --check agrees.
    const snap = await snapshot(dir);
    const second = await run(refreshDocs, ['--config', configPath, '--offline', '--json']);
    expect((JSON.parse(second.out) as RefreshJson).written).toEqual([]);
    expect(await snapshot(dir)).toEqual(snap);
    const check = await run(refreshDocs, ['--config', configPath, '--check']);
    expect(check.code, check.out + check.err).toBe(0);
  }, 120_000);
});
