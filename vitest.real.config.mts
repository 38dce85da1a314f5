import { defineConfig } from 'vitest/config';

// `npm run test:real`: the suites that start real processes and tools (valkey-server in network
// namespaces, luajit, promtool, the CLIs). Each skips without its tool unless its REQUIRE_* is set.
export default defineConfig({
  test: {
    include: ['test/**/*.real.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
