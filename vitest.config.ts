import { defineConfig } from 'vitest/config';

// Files that run Temporal workers need real processes (native bridge), hence `forks`.
// Servers (Postgres, Temporal dev server, Java test server) are started once per run in global setup.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
