import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Reload scenarios spawn child node processes; two cores are all CI has.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.mjs'],
  },
});
