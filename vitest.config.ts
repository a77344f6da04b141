import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', '{core,sandbox,rollout,patch,protocol,native,entry}/**/*.test.ts'],
    // One temp root per run (TMPDIR), removed at the end: see test/setup/temp-root.ts.
    globalSetup: ['test/setup/temp-root.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
