/**
 * `refresh-docs --check` and documented limitations: a runbook sentence that states a limitation
 * (`plan.limitations[].match`) fails the check once a probe bound to it records that the
 * limitation is no longer observed — and only then. Offline fixtures: the recorded outcomes are
 * the only stand-in (for the probe that observes the limitation).
 */
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

let workspace: OfflineWorkspace;
afterEach(async () => workspace?.remove());

const AT = '2026-11-20T10:00:00.000Z';
const LIMITATIONS = '  limitations:\n    - match: catalog only\n      probes: [mcp.catalog]\n';

/** A status page in the shapes teams write: CRLF, no final newline, the phrase in a list and in a generated region. */
const STATUS_PAGE = [
  '# Status',
  '',
  '<!-- proofbook:start mcp.catalog -->',
  'Open WebUI was "catalog only" once (generated text, never judged).',
  '<!-- proofbook:end mcp.catalog -->',
  '',
  '## Known limitations',
  '',
  '1. LiteLLM 1.77.x lists MCP tools to chat clients but does not execute them (**Catalog Only**).',
  '2. `/mcp` without the trailing slash answers 307.',
].join('\r\n');

async function setUp(config = LIMITATIONS): Promise<OfflineWorkspace> {
  const ws = await createOfflineWorkspace();
  await rm(path.join(ws.dir, 'content'), { recursive: true, force: true });
  await mkdir(path.join(ws.dir, 'content'), { recursive: true });
  await writeFile(path.join(ws.dir, 'content', 'status.md'), STATUS_PAGE);
  await appendFile(ws.configPath, config);
  return ws;
}

async function check() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main({
    argv: ['--config', workspace.configPath, '--check', '--json'],
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    lockWaitMs: 300,
    now: () => new Date('2026-11-20T11:00:00.000Z'),
  });
  const report = stdout.length ? (JSON.parse(stdout.join('\n')) as { problems: { code: string; file: string; line: number; problem: string; fix: string }[] }) : undefined;
  return { code, report, stderr: stderr.join('\n') };
}

describe('refresh-docs --check: documented limitations', () => {
  it('fails on the sentence that states a limitation the latest evidence no longer observes, at its line, and not inside a generated region', async () => {
    workspace = await setUp();
    await workspace.record({ facts: { limitation: { documented: 'catalog only: tools are listed, not called', observed: false } } }, AT);
    const { code, report } = await check();
    expect(code).toBe(EXIT_CODE.check);
    const problems = report!.problems.filter((p) => p.code === 'limitation.contradicted');
    expect(problems.map((p) => [p.file, p.line])).toEqual([['content/status.md', 9]]);
    expect(problems[0]!.problem).toContain('states the limitation "catalog only", but the latest mcp.catalog evidence no longer observes it');
    expect(problems[0]!.problem).toContain('documented: catalog only: tools are listed, not called');
    expect(problems[0]!.fix).toContain('reword or remove the limitation');
  });

  it('passes while the evidence still observes the limitation, and when no probe records one', async () => {
    workspace = await setUp();
    await workspace.record({ facts: { limitation: { documented: 'catalog only', observed: true } } }, AT);
    expect((await check()).report!.problems).toEqual([]);
    await workspace.record({ facts: {} }, '2026-11-20T10:30:00.000Z');
    expect((await check()).report!.problems).toEqual([]);
  });

  it('a limitation naming an unknown probe is a config error at its line and column', async () => {
    workspace = await setUp('  limitations:\n    - match: catalog only\n      probes: [openwebui.nope]\n');
    const { code, stderr } = await check();
    expect(code).toBe(EXIT_CODE.usage);
    expect(stderr).toMatch(/proofbook\.config\.yaml:\d+:\d+: plan\.limitations\.0\.probes\.0: unknown probe "openwebui\.nope"/);
  });
});
