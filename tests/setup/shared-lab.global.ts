/**
 * One real lab for every end-to-end test file that only reads from it. The lab starts on the
 * first `sharedLab()` call (unit-only runs never pay for it) and stops after the whole run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/probes/config.ts';
import { labDown } from '../../src/lab/lab.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedLabDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-shared-lab-'));
  project.provide('sharedLabDir', dir);
  return async () => {
    const configPath = path.join(dir, 'proofbook.config.yaml');
    if (existsSync(configPath)) await labDown(await loadConfig(configPath));
    await rm(dir, { recursive: true, force: true });
  };
}
