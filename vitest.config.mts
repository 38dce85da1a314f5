import { defineConfig } from 'vitest/config';

/** The Pulumi program's tests: its mocks are process-global, and one process lets every file share each stack's run. */
const STACKS = ['test/stacks/**/*.test.ts', 'test/review/public-entries.test.ts'];
const TIMEOUTS = { testTimeout: 60_000, hookTimeout: 60_000 };

// `npm test`: every in-process test. The suites that start real processes and tools
// (`*.real.test.ts`) are `npm run test:real` (vitest.real.config.mts).
export default defineConfig({
  test: {
    // the real catalog's environments, synthesized once for the whole run (the projects do not repeat it)
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      // isolate: false: a worker runs its files one after another and keeps the modules they loaded.
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/**/*.real.test.ts', ...STACKS], isolate: false, maxWorkers: 2, sequence: { groupOrder: 0 }, ...TIMEOUTS } },
      { test: { name: 'stacks', include: STACKS, pool: 'forks', isolate: false, maxWorkers: 1, sequence: { groupOrder: 1 }, ...TIMEOUTS } },
    ],
  },
});
