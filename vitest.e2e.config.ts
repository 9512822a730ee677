import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: a real `casebench serve` child process, the fake provider server,
// and Debian's Chromium driven by playwright-core. Files run one at a time (2 cores).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
