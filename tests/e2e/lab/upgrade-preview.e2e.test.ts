/**
 * `proofbook upgrade-preview` on the real lab: the shared lab runs the team's LiteLLM 1.77.1; the
 * preview starts a second lab with LiteLLM 1.110.2 (hash-locked, installed by .ci/run's own step)
 * on the same config, labels and clients, runs every probe against it and says what changes —
 * without touching the current evidence, its "status since" or the plan items. Nothing is a stand-in.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as proofbook } from '../../../src/cli/proofbook.ts';
import { main as refreshDocs } from '../../../src/cli/refresh-docs.ts';
import { ServiceManager } from '../../../src/lab/processes.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import type { UpgradePreview } from '../../../src/upgrade/preview.ts';
import { run, snapshot } from '../../helpers/cli-workspace.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';

const TARGET = '1.110.2';
let workspace: { dir: string; configPath: string };
let labDir: string;

beforeAll(async () => {
  const lab = await sharedLab();
  labDir = lab.dir;
  workspace = await lab.docsWorkspace();
  const first = await run(refreshDocs, ['--config', workspace.configPath]);
  expect(first.code, first.stderr).not.toBe(EXIT_CODE.usage);
}, 300_000);

afterAll(async () => rm(workspace.dir, { recursive: true, force: true }));

describe('upgrade-preview', () => {
  it('refuses a compromised release and a release without a hash lock before anything runs or is written', async () => {
    const before = await snapshot(workspace.dir);
    const compromised = await run(proofbook, ['upgrade-preview', '--to', '1.82.7', '--config', workspace.configPath]);
    expect(compromised.code).toBe(EXIT_CODE.usage);
    expect(compromised.stderr).toMatch(/1\.82\.7.*credential/is);
    const unlocked = await run(proofbook, ['upgrade-preview', '--to', '1.2.3', '--config', workspace.configPath]);
    expect(unlocked.code).toBe(EXIT_CODE.usage);
    expect(unlocked.stderr).toMatch(/litellm-1\.2\.3\.txt/);
    expect(await snapshot(workspace.dir)).toEqual(before);
    expect(existsSync(path.join(workspace.dir, 'evaluation', 'upgrade-preview'))).toBe(false);
  });

  it(`runs every probe on a second lab with LiteLLM ${TARGET} and shows what changes, leaving the current evidence and plan items alone`, async () => {
    const before = await snapshot(workspace.dir);
    const result = await run(proofbook, ['upgrade-preview', '--to', TARGET, '--json', '--config', workspace.configPath]);
    expect(result.code, result.stderr).toBe(EXIT_CODE.ok);
    const preview = JSON.parse(result.stdout) as UpgradePreview;
    expect([preview.from, preview.to]).toEqual(['1.77.1', TARGET]);
    console.info(`upgrade preview ${preview.from} → ${preview.to}: second lab up in ${preview.labUpMs} ms, ${preview.probes.length} probes in ${preview.probesMs} ms; ` +
      preview.probes.filter((p) => p.change === 'changed').map((p) => `${p.id} ${p.before?.status ?? '-'}→${p.after?.status ?? '-'}`).join(', '));

    const probe = (id: string) => preview.probes.find((p) => p.id === id)!;
    // 1.77.1 answers a missing key with 500 (misleading); 1.110.2 with 401: that finding clears.
    // (A wrong key gets 400 "No connected db." on a LiteLLM without a database: still a warning.)
    expect(probe('gateway.auth').before?.status).toBe('warn');
    expect(probe('gateway.auth').cleared.length).toBeGreaterThan(0);
    // The team's labels did not change: the static probe says the same on both labs.
    expect(probe('traefik.labels').change).toBe('same');
    expect(preview.probes.every((p) => p.after)).toBe(true);
    // The lab's stdio servers run through `sh`: 1.110.2 starts them only with its stdio gate open
    // and `sh` allowed — the preview lab opens both, so the config check must say so.
    expect(preview.configCompatibility.map((f) => f.code)).toEqual(expect.arrayContaining(['config.stdio.disabled', 'config.stdio.command']));

    // Evidence marked with the version, with an index of its own; preview.json beside it.
    const previewFolder = path.join(workspace.dir, 'evaluation', 'upgrade-preview', TARGET);
    expect(probe('gateway.auth').after!.evidence.startsWith(`upgrade-preview/${TARGET}/gateway.auth/`)).toBe(true);
    expect(existsSync(path.join(workspace.dir, 'evaluation', probe('gateway.auth').after!.evidence))).toBe(true);
    expect(JSON.parse(await readFile(path.join(previewFolder, 'preview.json'), 'utf8'))).toEqual(preview);
    expect((await readFile(path.join(previewFolder, 'index.jsonl'), 'utf8')).trim().split('\n').length).toBe(preview.probes.length);

    // The current evidence, its index ("status since") and every runbook byte outside generated
    // upgrade.preview regions are as they were.
    const after = await snapshot(workspace.dir);
    for (const [file, text] of before) {
      if (file.startsWith('content')) expect(after.get(file)!.replace(/<!-- proofbook:start upgrade\.preview[\s\S]*?<!-- proofbook:end upgrade\.preview -->/g, '')).toBe(text.replace(/<!-- proofbook:start upgrade\.preview[\s\S]*?<!-- proofbook:end upgrade\.preview -->/g, ''));
      else expect(after.get(file), file).toBe(text);
    }
    // The second lab is stopped; the first one still runs.
    expect(await new ServiceManager(`${labDir}/.lab-preview-${TARGET}`).isRunning('litellm')).toBe(false);
    expect(await new ServiceManager(`${labDir}/.lab`).isRunning('litellm')).toBe(true);
    const check = await run(refreshDocs, ['--config', workspace.configPath, '--check']);
    expect(check.code, check.stdout + check.stderr).toBe(EXIT_CODE.ok);
  }, 600_000);
});
