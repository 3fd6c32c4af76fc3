/**
 * Evidence is read only from inside the evaluation folder (issue 13, high 2 and low 20): a
 * symbolic link (git stores them, so any PR can add one) or an index line pointing outside is
 * reported with file:line by `verify` and `--check`, refused by `--offline`, and never followed.
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { main as verifyMain } from '../../../src/cli/verify.ts';
import { containedFileSync, readContained, unsafeEntries } from '../../../src/evidence/contained.ts';
import { evidenceFromCode, evidenceFromHref } from '../../../src/site/evidence/refs.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

const DAY1 = '2026-11-20T10:00:00.000Z';
/** Stands in for /etc/passwd or a secrets file: a file outside the evaluation folder. */
const OUTSIDE_TEXT = 'root:x:0:0:root:/root:/bin/bash\nLITELLM_MASTER_KEY=sk-outside-0123456789\n';

async function withLinks(): Promise<OfflineWorkspace> {
  const ws = await createOfflineWorkspace();
  await ws.record({}, DAY1);
  await mkdir(path.join(ws.dir, 'private'), { recursive: true });
  await writeFile(path.join(ws.dir, 'private', 'passwd'), OUTSIDE_TEXT);
  await symlink(path.join(ws.dir, 'private', 'passwd'), path.join(ws.evaluationDir, 'lan-mcp-tools.log'));
  await symlink(path.join(ws.dir, 'private'), path.join(ws.evaluationDir, 'logs'));
  return ws;
}

async function refresh(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main({ argv: ['--config', workspace.configPath, ...argv], stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), lockWaitMs: 300, now: () => new Date('2026-11-20T11:00:00.000Z') });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('evidence containment', () => {
  it('a link to a file or a folder outside is not contained; a regular file inside is', async () => {
    workspace = await withLinks();
    const dir = workspace.evaluationDir;
    expect(containedFileSync(dir, 'lan-mcp-tools.log')).toEqual({ problem: { kind: 'link', file: path.join(dir, 'lan-mcp-tools.log') } });
    expect(containedFileSync(dir, 'logs/passwd')).toEqual({ problem: { kind: 'link', file: path.join(dir, 'logs') } });
    expect(containedFileSync(dir, '../private/passwd')).toMatchObject({ problem: { kind: 'outside' } });
    expect(containedFileSync(dir, '/etc/passwd')).toMatchObject({ problem: { kind: 'outside' } });
    expect(containedFileSync(dir, 'mcp.catalog/2026-11-20T10-00-00-000Z.json')).toEqual({ file: path.join(dir, 'mcp.catalog', '2026-11-20T10-00-00-000Z.json') });
    await expect(readContained(dir, 'logs/passwd')).rejects.toMatchObject({ problem: { kind: 'link' } });
    expect((await unsafeEntries(dir)).map((p) => path.relative(dir, p.file))).toEqual(['lan-mcp-tools.log', 'logs']);
  });

  it('the site never embeds or links evidence through a link', async () => {
    workspace = await withLinks();
    const runbook = path.join(workspace.dir, 'content', 'x.md');
    expect(evidenceFromHref('../evaluation/lan-mcp-tools.log', runbook, workspace.evaluationDir)).toBeUndefined();
    expect(evidenceFromHref('../evaluation/logs/passwd', runbook, workspace.evaluationDir)).toBeUndefined();
    expect(evidenceFromCode('projects/litellm/evaluation/logs/passwd', workspace.evaluationDir)).toBeUndefined();
    expect(evidenceFromHref('../evaluation/mcp.catalog/2026-11-20T10-00-00-000Z.json', runbook, workspace.evaluationDir)).toBe('mcp.catalog/2026-11-20T10-00-00-000Z.json');
  });

  it('verify reports every link in the evaluation folder by path, and exits 3', async () => {
    workspace = await withLinks();
    const lines: string[] = [];
    const code = await verifyMain({ argv: ['--config', workspace.configPath, '--json'], cwd: workspace.dir, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
    expect(code).toBe(EXIT_CODE.check);
    const report = JSON.parse(lines.join('\n')) as { problems: { code: string; file: string; problem: string; fix: string }[] };
    const links = report.problems.filter((p) => p.code === 'evidence.link');
    expect(links.map((p) => p.file)).toEqual(['evaluation/lan-mcp-tools.log', 'evaluation/logs']);
    expect(links[0]!.problem).toContain('is a symbolic link');
    expect(links[0]!.fix).toContain('replace the link with a copy');
    expect(lines.join('\n')).not.toContain('sk-outside');
  });

  it('--check names the runbook line that cites a link, and exits 3 without reading through it', async () => {
    workspace = await withLinks();
    const plan = path.join(workspace.dir, 'content', 'links.md');
    await writeFile(plan, '# Logs\n\nSee `projects/litellm/evaluation/lan-mcp-tools.log` and [the folder log](../evaluation/logs/passwd).\n');
    const check = await refresh('--check', '--json');
    expect(check.code).toBe(EXIT_CODE.check);
    const problems = (JSON.parse(check.stdout) as { problems: { code: string; file: string; line: number; problem: string }[] }).problems;
    const cited = problems.filter((p) => p.code === 'citation.link');
    expect(cited.map((p) => [p.file, p.line])).toEqual([
      ['content/links.md', 3],
      ['content/links.md', 3],
    ]);
    expect(cited[1]!.problem).toContain('evaluation/logs is a symbolic link');
    expect(check.stdout).not.toContain('sk-outside');
  });

  it('--offline refuses an index line whose result points outside the folder, before reading it (exit 2, index:line)', async () => {
    workspace = await createOfflineWorkspace();
    await workspace.record({}, DAY1);
    await writeFile(path.join(workspace.dir, 'outside.json'), JSON.stringify({ summary: 'SHOULD-NOT-RENDER', facts: {} }));
    const indexFile = path.join(workspace.evaluationDir, 'index.jsonl');
    const line = (await readFile(indexFile, 'utf8')).replace(/"result":"[^"]+"/, '"result":"../outside.json"');
    await writeFile(indexFile, line);
    const runbook = await readFile(path.join(workspace.dir, 'content', 'litellm', 'MCP-INTEGRATION-STATUS.md'), 'utf8');
    const offline = await refresh('--offline');
    expect(offline.code).toBe(EXIT_CODE.usage);
    expect(offline.stderr).toContain(`${indexFile}:1:1: `);
    expect(offline.stderr).toContain('is outside the evaluation folder');
    expect(await readFile(path.join(workspace.dir, 'content', 'litellm', 'MCP-INTEGRATION-STATUS.md'), 'utf8')).toBe(runbook);
  });
});
