/**
 * `verify`: the evidence index is hash-chained and every artifact is hashed; any edit, deletion
 * or reordering is reported at the first broken entry with its line and what to do.
 */
import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type VerifyReport } from '../../../src/cli/verify.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { PACKAGE_VERSION } from '../../../src/package-root.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

const STAMPS = ['2026-11-20T10-00-00-000Z', '2026-11-20T11-00-00-000Z', '2026-11-20T12-00-00-000Z'];
const file = (i: number, ext = 'json') => path.join(workspace.evaluationDir, 'mcp.catalog', `${STAMPS[i]}.${ext}`);
const index = () => path.join(workspace.evaluationDir, 'index.jsonl');

/** A workspace with three runs of mcp.catalog, each with a transcript. */
async function threeRuns(): Promise<OfflineWorkspace> {
  const ws = await createOfflineWorkspace();
  for (const [i, at] of ['2026-11-20T10:00:00.000Z', '2026-11-20T11:00:00.000Z', '2026-11-20T12:00:00.000Z'].entries()) {
    await ws.record({ summary: `run ${i}`, transcript: [{ at, kind: 'http', status: 200, body: `answer ${i}` }], target: ['http://litellm.linuxserver.lan/mcp/'] }, at);
  }
  return ws;
}

async function verify(...argv: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main({ argv, cwd: workspace.dir, stdout: (l) => lines.push(l), stderr: (l) => errors.push(l) });
  return { code, stdout: lines.join('\n'), stderr: errors.join('\n') };
}

async function verifyJson(): Promise<VerifyReport> {
  const { stdout } = await verify('--json');
  return JSON.parse(stdout) as VerifyReport;
}

async function editByte(target: string, from: string, to: string) {
  const bytes = await readFile(target);
  const at = bytes.indexOf(from);
  expect(at).toBeGreaterThan(-1);
  bytes[at] = to.charCodeAt(0);
  await writeFile(target, bytes);
}

describe('verify', () => {
  it('passes an untouched workspace, and one with no evidence yet', async () => {
    workspace = await createOfflineWorkspace();
    const empty = await verify();
    expect(empty.code).toBe(EXIT_CODE.ok);
    expect(empty.stdout).toContain('evaluation does not exist yet');
    await workspace.remove();

    workspace = await threeRuns();
    const clean = await verify();
    expect(clean.code).toBe(EXIT_CODE.ok);
    expect(clean.stdout).toBe('verify: evaluation/index.jsonl: 3 entries and 6 artifact(s) intact.');
    expect(await verifyJson()).toEqual({ evaluationDir: 'evaluation', entries: 3, artifacts: 6, firstBroken: null, problems: [], exitCode: 0 });
  });

  it('records Proofbook\'s version, the probe\'s version, the target, the timing and the transcript\'s sha256 in each artifact', async () => {
    workspace = await threeRuns();
    const artifact = JSON.parse(await readFile(file(0), 'utf8'));
    expect(artifact).toMatchObject({
      proofbookVersion: PACKAGE_VERSION,
      probeVersion: '1',
      target: ['http://litellm.linuxserver.lan/mcp/'],
      startedAt: '2026-11-20T10:00:00.000Z',
      durationMs: 5,
      transcriptSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const entry = JSON.parse((await readFile(index(), 'utf8')).split('\n')[0]!);
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.prev).toBe('');
  });

  it('reports one edited byte of an old artifact at its index line, with what to do', async () => {
    workspace = await threeRuns();
    await editByte(file(0), 'run 0', 'R');
    const result = await verify();
    expect(result.code).toBe(EXIT_CODE.check);
    expect(result.stdout).toContain(
      `evaluation/index.jsonl:1: evaluation/mcp.catalog/${STAMPS[0]}.json no longer has the sha256 this entry recorded`,
    );
    expect(result.stdout).toContain(`— restore both from git (\`git checkout -- evaluation/mcp.catalog/${STAMPS[0]}.json evaluation/index.jsonl\`)`);
    expect(result.stdout).toContain('first broken entry at evaluation/index.jsonl:1');
    const report = await verifyJson();
    expect(report.firstBroken).toMatchObject({ code: 'artifact.changed', file: 'evaluation/index.jsonl', line: 1, evidence: `mcp.catalog/${STAMPS[0]}.json` });
  });

  it('reports an edited transcript, and a deleted artifact', async () => {
    workspace = await threeRuns();
    await editByte(file(1, 'transcript.json'), 'answer 1', 'A');
    expect((await verifyJson()).problems).toEqual([
      expect.objectContaining({ code: 'artifact.changed', line: 2, evidence: `mcp.catalog/${STAMPS[1]}.transcript.json` }),
    ]);
    await rm(file(0));
    expect((await verifyJson()).problems.map((p) => [p.code, p.line])).toEqual([
      ['artifact.missing', 1],
      ['artifact.changed', 2],
    ]);
  });

  it('reports a deleted index entry at the first broken entry, with the line number', async () => {
    workspace = await threeRuns();
    const lines = (await readFile(index(), 'utf8')).split('\n');
    await writeFile(index(), [lines[0], lines[2], ''].join('\n'));
    const result = await verify();
    expect(result.code).toBe(EXIT_CODE.check);
    expect(result.stdout.split('\n')[0]).toBe(
      'evaluation/index.jsonl:2: the chain breaks here: this entry\'s prev is not the hash of line 1 — an entry between them was deleted, entries were reordered, or line 1 was edited — restore it from git (`git checkout -- evaluation/index.jsonl`; it is append-only and never edited) and see who changed it with `git log -p -- evaluation/index.jsonl`',
    );
    expect(result.stdout).toContain(`evaluation/mcp.catalog/${STAMPS[1]}.json: no entry of evaluation/index.jsonl lists this artifact`);
    expect((await verifyJson()).firstBroken).toMatchObject({ code: 'index.chain', line: 2 });
  });

  it('reports a deleted last entry (its artifact is unlisted), reordered entries and an edited last entry', async () => {
    workspace = await threeRuns();
    const original = await readFile(index(), 'utf8');
    const lines = original.split('\n');

    await writeFile(index(), [lines[0], lines[1], ''].join('\n'));
    expect((await verifyJson()).problems).toEqual([
      expect.objectContaining({ code: 'artifact.unindexed', file: `evaluation/mcp.catalog/${STAMPS[2]}.json`, line: 0 }),
    ]);

    await writeFile(index(), [lines[0], lines[2], lines[1], ''].join('\n'));
    expect((await verifyJson()).firstBroken).toMatchObject({ code: 'index.chain', line: 2 });

    await writeFile(index(), original.replace(/"status":"pass"(?=[^\n]*\n$)/, '"status":"fail"'));
    expect((await verifyJson()).problems).toEqual([
      expect.objectContaining({ code: 'index.edited', line: 3, problem: expect.stringContaining('this entry\'s status disagrees with evaluation/mcp.catalog/') }),
    ]);

    await writeFile(index(), `${original}not json\n`);
    expect((await verifyJson()).firstBroken).toMatchObject({ code: 'index.unreadable', line: 4 });
  });

  it('exits 2 on bad input, and runs as the bin', async () => {
    workspace = await threeRuns();
    expect((await verify('--bogus')).code).toBe(EXIT_CODE.usage);
    expect((await verify('--config', 'missing.yaml')).code).toBe(EXIT_CODE.usage);
    await writeFile(path.join(workspace.dir, 'not-a-dir'), '');
    expect((await verify('--evaluation-dir', 'not-a-dir')).stderr).toContain('not-a-dir is not a folder');

    const ok = spawnSync(process.execPath, [path.join(REPO, 'scripts/verify.ts'), '--evaluation-dir', workspace.evaluationDir], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    await editByte(file(2), 'run 2', 'R');
    const bad = spawnSync(process.execPath, [path.join(REPO, 'scripts/verify.ts'), '--config', workspace.configPath], { encoding: 'utf8', cwd: workspace.dir });
    expect(bad.status).toBe(3);
    expect(bad.stdout).toContain('first broken entry at evaluation/index.jsonl:3');
  });
});

describe('verify --signed (PROOFBOOK_EVIDENCE_KEY)', () => {
  const KEY = 'test-signing-key-0123456789abcdef';
  afterEach(() => {
    delete process.env.PROOFBOOK_EVIDENCE_KEY;
  });

  it('passes entries signed with the key; names an unsigned entry, an entry signed with another key, and an edited one', async () => {
    process.env.PROOFBOOK_EVIDENCE_KEY = KEY;
    workspace = await threeRuns();
    expect((await verify('--signed')).code).toBe(EXIT_CODE.ok);
    // Evidence written with the project's own writeEvidence but without the key: order, not origin.
    delete process.env.PROOFBOOK_EVIDENCE_KEY;
    await workspace.record({ summary: 'forged' }, '2026-11-20T13:00:00.000Z');
    process.env.PROOFBOOK_EVIDENCE_KEY = 'another-key-entirely-0123456789';
    await workspace.record({ summary: 'other key' }, '2026-11-20T14:00:00.000Z');
    process.env.PROOFBOOK_EVIDENCE_KEY = KEY;
    const report = await verifyJson2('--signed');
    expect(report.problems.map((p) => [p.code, p.line])).toEqual([
      ['index.unsigned', 4],
      ['index.signature', 5],
    ]);
    // Without --signed the chain alone holds: it proves order, not who wrote it.
    expect((await verify()).code).toBe(EXIT_CODE.ok);
    // --signed without the key is a usage error, not a silent pass.
    delete process.env.PROOFBOOK_EVIDENCE_KEY;
    expect((await verify('--signed')).code).toBe(EXIT_CODE.usage);
  });

  async function verifyJson2(...argv: string[]): Promise<VerifyReport> {
    const { stdout } = await verify('--json', ...argv);
    return JSON.parse(stdout) as VerifyReport;
  }
});
