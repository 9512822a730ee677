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
    // expect.poll waits for the page to settle (an import written, a list re-read); its 1 s default
    // made these waits timed assertions that fail on a busy machine. Speed is measured by benches.
    expect: { poll: { timeout: 15_000 } },
  },
});
