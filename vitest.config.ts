/**
 * Two test projects, so fast tests run in parallel and the slow ones keep honest timing:
 * - `unit` (tests/unit/**, mirroring src/): no lab, no browser, no site build; every file runs
 *   in its own worker, side by side, so each test owns its temp dirs and ports.
 * - `e2e` (tests/e2e/**): real services (LiteLLM, Traefik, PostgreSQL), Chromium and Astro
 *   builds on a 2-core machine, one file at a time, after the unit project has finished.
 * `npm test` runs both; the plain summary line counts both.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/reporters/plain-summary.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          fileParallelism: true,
          // vitest's default is one worker less than the cores: a single worker on 2 cores.
          maxWorkers: '100%',
          // Not 0: vitest runs a single-worker project of group 0 last, after every other group.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 30_000, // a unit hook writes temp files; it never installs or starts anything
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 }, // after the unit project: the two must not compete for 2 cores
          testTimeout: 120_000,
          // Starting a lab takes a minute or two on a loaded machine; the toolchain is installed
          // beforehand (`npm run lab:toolchain`, run by `pretest`), never inside a hook.
          hookTimeout: 300_000,
          globalSetup: ['./tests/setup/shared-lab.global.ts'],
        },
      },
    ],
  },
});
