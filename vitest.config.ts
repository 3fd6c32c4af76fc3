import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests start real services (LiteLLM, Traefik, PostgreSQL, Chromium) on a
    // 2-core machine: one file at a time keeps their timing honest.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000, // the first lab start may build Traefik and install LiteLLM
    globalSetup: ['./tests/setup/shared-lab.global.ts'],
    reporters: ['default', './tests/reporters/plain-summary.ts'],
  },
});
