/**
 * Proof-carrying docs: `refresh-docs --check` fails a success claim the evidence does not back
 * (failed, known limitation, none, stale), a citation of a missing or changed evidence file and a
 * tampered index; `--report` lists the claims no probe or decision backs. Offline fixtures only.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

const DAY1 = '2026-11-20T10:00:00.000Z';
const DAY1_FILE = 'mcp.catalog/2026-11-20T10-00-00-000Z.json';

/** A workspace whose only runbooks are `files` (under content/). */
async function isolated(files: Record<string, string>): Promise<OfflineWorkspace> {
  const ws = await createOfflineWorkspace();
  await rm(path.join(ws.dir, 'content'), { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(ws.dir, 'content', name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return ws;
}

async function run(now: string, ...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main({
    argv: ['--config', workspace.configPath, ...argv],
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    lockWaitMs: 300,
    now: () => new Date(now),
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function checkJson(now: string) {
  const result = await run(now, '--check', '--json');
  return { code: result.code, report: JSON.parse(result.stdout) as { problems: { code: string; file: string; line: number; problem: string; fix: string; probes?: string[]; evidence?: string }[]; exitCode: number } };
}

const PLAN = `# Plan

1. Run scripted curl (SSE) test capturing tool catalog events. ✅ Completed 2025-09-18 (contains keep-alive pings).
2. Something nobody bound. ⚠️ Pending.
`;

describe('refresh-docs --check: claims', () => {
  it('names a hand-written ✅ on a bound item whose latest evidence failed, with the probe status and evidence path', async () => {
    workspace = await isolated({ 'plan.md': PLAN });
    await workspace.record({}, DAY1);
    await workspace.record({ status: 'fail', summary: 'no tools from mcp_postgres' }, '2026-11-21T10:00:00.000Z');
    const check = await run('2026-11-21T11:00:00.000Z', '--check');
    expect(check.code).toBe(EXIT_CODE.check);
    expect(check.stdout).toContain(
      'content/plan.md:3: claims ✅ but the latest mcp.catalog evidence is fail since 2026-11-21 (no tools from mcp_postgres; evaluation/mcp.catalog/2026-11-21T10-00-00-000Z.json): mcp.catalog does not pass — fix what mcp.catalog reports and refresh',
    );
    const { report } = await checkJson('2026-11-21T11:00:00.000Z');
    expect(report.exitCode).toBe(EXIT_CODE.check);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'claim.unproven', file: 'content/plan.md', line: 3, probes: ['mcp.catalog'], evidence: 'mcp.catalog/2026-11-21T10-00-00-000Z.json' }),
    );
  });

  it('checks items bound by an inline marker: [x] boxes, status fields and Status cells', async () => {
    workspace = await isolated({
      'status.md': [
        '# Status',
        '',
        '- [x] Catalog lists both servers <!-- proof: mcp.catalog -->',
        '- **Status**: ✅ RUNNING <!-- proof: mcp.catalog -->',
        '- Catalog check: Verified <!-- proof: mcp.catalog -->',
        '',
        '| Check | Status |',
        '|---|---|',
        '| Catalog <!-- proof: mcp.catalog --> | ✅ Working |',
        '| Not a claim <!-- proof: mcp.catalog --> | ⚠️ Verified nothing yet |',
        '',
      ].join('\n'),
    });
    await workspace.record({ status: 'known-limitation', summary: 'SSE transport not served' }, DAY1);
    const { code, report } = await checkJson('2026-11-20T11:00:00.000Z');
    expect(code).toBe(EXIT_CODE.check);
    const claims = report.problems.filter((p) => p.code === 'claim.unproven');
    expect(claims.map((p) => p.line)).toEqual([3, 4, 5, 9]);
    expect(claims[0]!.problem).toContain('claims [x] but the latest mcp.catalog evidence is known-limitation');
    expect(claims[0]!.problem).toContain('a known limitation backs ⚠️, not ✅');
    expect(claims[2]!.problem).toContain('claims Verified');
  });

  it('fails a claim bound to a probe that has no evidence at all', async () => {
    workspace = await isolated({ 'plan.md': PLAN });
    const { code, report } = await checkJson(DAY1);
    expect(code).toBe(EXIT_CODE.check);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'claim.unproven', line: 3, problem: 'claims ✅ but there is no evidence for mcp.catalog' }),
    ]);
  });

  it('fails a ✅ backed by passing evidence older than check.maxAgeHours (default site.maxAgeHours), and passes while it is fresh', async () => {
    workspace = await isolated({ 'plan.md': PLAN });
    await workspace.record({}, DAY1);
    expect((await run(DAY1, '--offline')).code).toBe(EXIT_CODE.ok); // the docs now say what the evidence says
    const text = await readFile(path.join(workspace.dir, 'content/plan.md'), 'utf8');
    expect(text).toContain(`✅ Completed 2026-11-20 ([evidence](../evaluation/${DAY1_FILE})).`);

    const fresh = await run('2026-11-21T09:00:00.000Z', '--check');
    expect(fresh.code).toBe(EXIT_CODE.ok);
    expect(fresh.stdout).toContain('every claim is proven (checked 1 bound claim(s)');

    const stale = await run('2026-11-22T12:00:00.000Z', '--check');
    expect(stale.code).toBe(EXIT_CODE.check);
    expect(stale.stdout).toContain(
      `content/plan.md:3: claims ✅ on mcp.catalog evidence whose latest run is ${DAY1} (50 h ago; check.maxAgeHours is 24; evaluation/${DAY1_FILE}) — run \`npm run refresh-docs -- --only mcp.catalog\``,
    );
    expect(stale.stdout).toContain('all 1 doc(s) match the evidence'); // not drift: only the age

    // A newer passing run (same results) makes it fresh again, without changing the doc.
    await workspace.record({}, '2026-11-22T10:00:00.000Z');
    expect((await run('2026-11-22T12:00:00.000Z', '--check')).code).toBe(EXIT_CODE.ok);

    // check.maxAgeHours overrides site.maxAgeHours; 0 turns the age check off.
    const config = await readFile(workspace.configPath, 'utf8');
    await writeFile(workspace.configPath, `${config}check:\n  maxAgeHours: 1\n`);
    expect((await run('2026-11-22T12:00:00.000Z', '--check')).code).toBe(EXIT_CODE.check);
    await writeFile(workspace.configPath, `${config}check:\n  maxAgeHours: 0\n`);
    expect((await run('2027-01-01T00:00:00.000Z', '--check')).code).toBe(EXIT_CODE.ok);
  });

  it('leaves decisions, unbound claims and generated regions to --report', async () => {
    workspace = await isolated({
      'plan.md': '# Plan\n\n- Decide on scoped API key issuance ✅ Decided\n- A hand-made claim ✅ Completed 2025-09-18\n',
    });
    const config = await readFile(workspace.configPath, 'utf8');
    await writeFile(
      workspace.configPath,
      config.replace('plan:\n', 'plan:\n  decisions:\n    - match: Decide on scoped API key issuance\n      state: done\n'),
    );
    const { report } = await checkJson(DAY1);
    expect(report.problems.filter((p) => p.code.startsWith('claim.'))).toEqual([]);
  });
});

describe('refresh-docs --check: citations', () => {
  it('fails a cited evidence file that is missing, and one whose bytes changed since they were recorded', async () => {
    workspace = await isolated({
      'log.md': [
        '# Log',
        '',
        `First run: [result](../evaluation/${DAY1_FILE}), [transcript](../evaluation/mcp.catalog/2026-11-20T10-00-00-000Z.transcript.json).`,
        '',
        'Saved as `projects/litellm/evaluation/test-openwebui-mcp-2025-09-18.log`; template `evaluation/lan-mcp-tools-<date>.log`.',
        '',
        'Hand-placed: `projects/litellm/evaluation/notes/by-hand.log`, folder `projects/litellm/evaluation/`.',
        '',
        '[gone]: ../evaluation/mcp.catalog/2026-01-01T00-00-00-000Z.json',
        '',
      ].join('\n'),
    });
    await workspace.record({ summary: 'first', transcript: [{ at: DAY1, kind: 'http', status: 200 }] }, DAY1);
    await workspace.record({ summary: 'second' }, '2026-11-20T11:00:00.000Z');
    await mkdir(path.join(workspace.evaluationDir, 'notes'), { recursive: true });
    await writeFile(path.join(workspace.evaluationDir, 'notes', 'by-hand.log'), 'not recorded by Proofbook\n');

    const clean = await checkJson('2026-11-20T12:00:00.000Z');
    expect(clean.report.problems.map((p) => [p.code, p.line, p.evidence])).toEqual([
      ['citation.missing', 5, 'test-openwebui-mcp-2025-09-18.log'],
      ['citation.missing', 9, 'mcp.catalog/2026-01-01T00-00-00-000Z.json'],
    ]);
    expect(clean.report.problems[0]!.problem).toBe(
      'cites `projects/litellm/evaluation/test-openwebui-mcp-2025-09-18.log`, but evaluation/test-openwebui-mcp-2025-09-18.log does not exist',
    );

    // One byte of the cited (old) result, and of its transcript.
    const result = path.join(workspace.evaluationDir, DAY1_FILE);
    await writeFile(result, (await readFile(result, 'utf8')).replace('"first"', '"First"'));
    const transcript = result.replace(/\.json$/, '.transcript.json');
    await writeFile(transcript, (await readFile(transcript, 'utf8')).replace('200', '201'));
    const changed = await run('2026-11-20T12:00:00.000Z', '--check');
    expect(changed.code).toBe(EXIT_CODE.check);
    expect(changed.stdout).toMatch(
      new RegExp(`content/log\\.md:3: cites evaluation/${DAY1_FILE.replace(/\./g, '\\.')}, whose bytes changed since they were recorded \\(sha256 [0-9a-f]{12}…, recorded [0-9a-f]{12}… at evaluation/index\\.jsonl:1\\) — restore it from git`),
    );
    expect(changed.stdout).toMatch(/content\/log\.md:3: cites evaluation\/mcp\.catalog\/2026-11-20T10-00-00-000Z\.transcript\.json, whose bytes changed .* at evaluation\/mcp\.catalog\/2026-11-20T10-00-00-000Z\.json\)/);
    // …and the index check names the entry too.
    expect(changed.stdout).toMatch(/evaluation\/index\.jsonl:1: evaluation\/mcp\.catalog\/2026-11-20T10-00-00-000Z\.json no longer has the sha256 this entry recorded/);
  });
});

describe('refresh-docs --check: tampered evidence', () => {
  it('fails when an old artifact is edited or an index entry is deleted, naming the index line', async () => {
    workspace = await isolated({ 'plan.md': '# Plan\n\nNothing claimed.\n' });
    await workspace.record({ summary: 'one' }, DAY1);
    await workspace.record({ summary: 'two' }, '2026-11-20T11:00:00.000Z');
    await workspace.record({ summary: 'three' }, '2026-11-20T12:00:00.000Z');
    expect((await run('2026-11-20T13:00:00.000Z', '--check')).code).toBe(EXIT_CODE.ok);

    const index = path.join(workspace.evaluationDir, 'index.jsonl');
    const lines = (await readFile(index, 'utf8')).split('\n');
    await writeFile(index, [lines[0], lines[2], ''].join('\n'));
    const deleted = await checkJson('2026-11-20T13:00:00.000Z');
    expect(deleted.code).toBe(EXIT_CODE.check);
    expect(deleted.report.problems).toEqual([
      expect.objectContaining({ code: 'index.chain', file: 'evaluation/index.jsonl', line: 2 }),
      expect.objectContaining({ code: 'artifact.unindexed', file: 'evaluation/mcp.catalog/2026-11-20T11-00-00-000Z.json', line: 0 }),
    ]);
    await writeFile(index, lines.join('\n'));

    const old = path.join(workspace.evaluationDir, DAY1_FILE);
    const bytes = await readFile(old);
    bytes[bytes.indexOf('one')] = 'O'.charCodeAt(0);
    await writeFile(old, bytes);
    const edited = await run('2026-11-20T13:00:00.000Z', '--check');
    expect(edited.code).toBe(EXIT_CODE.check);
    expect(edited.stdout).toContain(`evaluation/index.jsonl:1: evaluation/${DAY1_FILE} no longer has the sha256 this entry recorded`);
  });
});

describe('refresh-docs --report', () => {
  it('lists every unbound success claim with file:line and exits 0; --json has them apart from the bound ones', async () => {
    workspace = await isolated({
      'plan.md': [
        '# Plan ✅', // 1: a heading
        '',
        '1. Run scripted curl (SSE) test capturing tool catalog events. ✅ Completed 2025-09-18.', // 3: bound by config
        '2. Hand-written step. ✅ Completed 2025-09-18.', // 4
        '3. Another step, Verified by hand.', // 5: no emoji, the word
        '4. Not a claim. ⚠️ Verified nothing.', // 6: the status is ⚠️
        '- [x] Ticked by hand', // 7
        '- [ ] Not ticked, not verified', // 8
        '',
        'Everything was COMPLETED last week.', // 10: a paragraph
        'Checked (http\\://example.com:8080) ✅ by hand.', // 11: around an escaped bare URL, text has no position of its own
        '```',
        '✅ in a code block',
        '```',
        '',
      ].join('\n'),
      'sub/other.md': '# Other\n\n| Check | Status |\n|---|---|\n| Routes | ✅ OK |\n',
    });
    const text = await run(DAY1, '--report');
    expect(text.code).toBe(EXIT_CODE.ok);
    expect(text.stdout.split('\n')).toEqual([
      'content/plan.md:1: ✅ unbound — # Plan ✅',
      'content/plan.md:4: ✅ unbound — 2. Hand-written step. ✅ Completed 2025-09-18.',
      'content/plan.md:5: Verified unbound — 3. Another step, Verified by hand.',
      'content/plan.md:7: [x] unbound — - [x] Ticked by hand',
      'content/plan.md:10: COMPLETED unbound — Everything was COMPLETED last week.',
      'content/plan.md:11: ✅ unbound — Checked (http\\://example.com:8080) ✅ by hand.',
      'content/sub/other.md:5: ✅ unbound — | Routes | ✅ OK |',
      'refresh-docs --report: 7 of 8 success claim(s) are hand-made (bound to no probe or decision); 1 bound. Bind one with `<!-- proof: <probe id> -->` in the item or a `plan.bindings` entry, or reword it.',
    ]);

    const json = await run(DAY1, '--report', '--json');
    expect(json.code).toBe(EXIT_CODE.ok);
    const report = JSON.parse(json.stdout);
    expect(report.exitCode).toBe(0);
    expect(report.unbound).toHaveLength(7);
    expect(report.unbound[1]).toEqual({ file: 'content/plan.md', line: 4, text: '2. Hand-written step. ✅ Completed 2025-09-18.', mark: '✅', kind: 'emoji', probes: [] });
    expect(report.bound).toEqual([
      expect.objectContaining({ file: 'content/plan.md', line: 3, mark: '✅', kind: 'emoji', boundBy: 'config', probes: ['mcp.catalog'] }),
    ]);
  });

  it('refuses to be combined with a mode that runs or writes', async () => {
    workspace = await isolated({ 'plan.md': PLAN });
    expect((await run(DAY1, '--report', '--check')).code).toBe(EXIT_CODE.usage);
  });
});
