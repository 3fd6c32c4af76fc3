/**
 * Crash safety: a multi-file refresh killed with SIGKILL at many different moments leaves
 * every doc either as it was or as the refresh would write it — never half of each — and the
 * next refresh removes any temp file the killed one left.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { createOfflineWorkspace, type OfflineWorkspace } from '../../helpers/offline-workspace.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const DOCS = 40;
// Four kill points of each kind (see below): enough to land on both sides of the writes.
const KILLS = 12;

let workspace: OfflineWorkspace;
const oldDocs = new Map<string, string>();
const newDocs = new Map<string, string>();
let fullRunMs = 0;

function docText(i: number): string {
  const filler = Array.from({ length: 200 }, (_, j) => `* line ${j} of doc ${i} — __bold__ 🧪 | a | b |`).join('\n');
  return `# Runbook ${i}\n\n${filler}\n\n<!-- proofbook:start mcp.catalog -->\nold\n<!-- proofbook:end mcp.catalog -->\n\n${filler}\n`;
}

async function docFiles(): Promise<string[]> {
  const entries = await readdir(path.join(workspace.dir, 'content'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function resetDocs(): Promise<void> {
  await Promise.all([...oldDocs].map(([file, text]) => writeFile(file, text)));
}

/**
 * Runs refresh-docs in a child process and SIGKILLs it `delayMs` after it starts, or after
 * its first temp file appears (to land inside the short write phase); resolves when it is gone.
 */
type Trigger = { afterMs: number } | { afterFirstTempMs: number } | { afterFirstRenameMs: number } | { afterFirstNewDoc: true };

function refreshKilled(trigger: Trigger): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'scripts/refresh-docs.ts'), '--offline', '--config', workspace.configPath], {
      stdio: 'ignore',
    });
    let timer: NodeJS.Timeout | undefined;
    let watching = true;
    if ('afterMs' in trigger) timer = setTimeout(() => child.kill('SIGKILL'), trigger.afterMs);
    else if ('afterFirstNewDoc' in trigger) {
      // As soon as one doc reads as its new version (renamed into place): a kill after the writes began, whatever the load.
      const changed = [...newDocs].filter(([file, text]) => text !== oldDocs.get(file));
      void (async () => {
        while (watching) {
          for (const [file, text] of changed) {
            if ((await readFile(file, 'utf8')) === text) {
              child.kill('SIGKILL');
              return;
            }
          }
          await new Promise((r) => setImmediate(r));
        }
      })();
    } else {
      const dir = path.join(workspace.dir, 'content', 'many');
      let most = 0;
      void (async () => {
        while (watching) {
          const temps = (await readdir(dir)).filter((f) => f.endsWith('.proofbook-tmp')).length;
          most = Math.max(most, temps);
          // A temp file appeared (writing began), or one disappeared again (renaming began).
          const fired = 'afterFirstTempMs' in trigger ? temps > 0 : most > 0 && temps < most;
          if (fired) {
            const delay = 'afterFirstTempMs' in trigger ? trigger.afterFirstTempMs : trigger.afterFirstRenameMs;
            timer = setTimeout(() => child.kill('SIGKILL'), delay);
            return;
          }
          await new Promise((r) => setImmediate(r));
        }
      })();
    }
    child.on('exit', () => {
      watching = false;
      clearTimeout(timer);
      resolve();
    });
  });
}

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < DOCS; i++) files[`content/many/runbook-${String(i).padStart(2, '0')}.md`] = docText(i);
  workspace = await createOfflineWorkspace(files);
  await workspace.record({}, '2026-11-20T10:00:00.000Z');
  for (const file of await docFiles()) oldDocs.set(file, await readFile(file, 'utf8'));
  // What a complete refresh writes, and how long it takes, from an uninterrupted child run.
  const started = performance.now();
  await refreshKilled({ afterMs: 60_000 });
  fullRunMs = performance.now() - started;
  for (const file of await docFiles()) newDocs.set(file, await readFile(file, 'utf8'));
  expect([...newDocs].filter(([file, text]) => text !== oldDocs.get(file)).length).toBeGreaterThanOrEqual(DOCS);
}, 120_000); // a whole refresh in a child process (killed at 60 s), longer than a unit hook's usual 30 s

afterAll(async () => workspace?.remove());

describe('SIGKILL during a multi-file refresh', () => {
  it(`leaves each of ${DOCS} docs old or new, at ${KILLS} kill points`, async () => {
    const outcomes = { allOld: 0, allNew: 0, mixed: 0 };
    let leftTemps = 0; // temp files a kill left behind, for the next refresh to remove
    const check = async (trigger: Trigger) => {
      await resetDocs();
      await refreshKilled(trigger);
      let olds = 0;
      let news = 0;
      for (const [file, before] of oldDocs) {
        const after = newDocs.get(file)!;
        if (before === after) continue; // a doc the refresh leaves alone says nothing
        const text = await readFile(file, 'utf8');
        if (text === before) olds++;
        else if (text === after) news++;
        else throw new Error(`${file} is neither its old nor its new version after a kill (${JSON.stringify(trigger)})`);
      }
      leftTemps += (await readdir(path.join(workspace.dir, 'content', 'many'))).filter((f) => f.endsWith('.proofbook-tmp')).length;
      if (news === 0) outcomes.allOld++;
      else if (olds === 0) outcomes.allNew++;
      else outcomes.mixed++;
    };
    for (let k = 0; k < KILLS; k++) {
      // A third of the kills spread over a whole run, a third 0–7 ms after the first temp file,
      // a third 0–7 ms after the first rename.
      const step = Math.floor(k / 3);
      await check(
        k % 3 === 0 ? { afterMs: Math.round((fullRunMs * (k + 1)) / KILLS) } : k % 3 === 1 ? { afterFirstTempMs: step } : { afterFirstRenameMs: step },
      );
    }
    // The renames take a few ms; on a loaded machine (a run twice as slow as the first) the kills
    // above may all land before them: then one more, right after the first doc is renamed into place.
    if (outcomes.allNew + outcomes.mixed === 0) await check({ afterFirstNewDoc: true });
    console.info(`full run ${Math.round(fullRunMs)} ms; kill outcomes: ${JSON.stringify(outcomes)}; temp files left: ${leftTemps}`);
    // The kills must have landed on both sides of the writes, or the test proved nothing.
    expect(outcomes.allOld).toBeGreaterThan(0);
    expect(outcomes.allNew + outcomes.mixed).toBeGreaterThan(0);
    expect(leftTemps).toBeGreaterThan(0);

    // The next refresh cleans up whatever temp files the killed ones left, and finishes the job.
    expect(await main({ argv: ['--offline', '--config', workspace.configPath], stdout: () => {}, stderr: () => {} })).toBe(0);
    const leftovers = (await readdir(workspace.dir, { recursive: true })).filter((f) => String(f).includes('proofbook-tmp'));
    expect(leftovers).toEqual([]);
    for (const [file, text] of newDocs) expect(await readFile(file, 'utf8')).toBe(text);
  }, 300_000);
});
