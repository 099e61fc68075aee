import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ when stale (src/cli/build.mjs): the CLI the tests spawn runs the built files.
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on the 2-core CI machine (vitest's default is one fewer than the cores): the
    // files spend much of their time waiting on Chromium, HQ and the fake printer, and each pays a few
    // seconds of start-up; two at once took the e2e folder from 473 s to 282 s with every test passing.
    maxWorkers: 2,
  },
});
