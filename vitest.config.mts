import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // synthesizing three environments and compiling the Kubernetes schema take a few seconds each on 2 cores
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // the Pulumi mocks are process-global: keep each test file in its own worker
    pool: 'forks',
  },
});
