import { defineConfig } from 'vitest/config';

// One suite for the whole repo. Database-backed tests run on PGlite always and on
// Postgres when reachable (see packages/db/src/testing.ts).
export default defineConfig({
  test: {
    include: ['apps/server/**/*.test.ts', 'packages/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'apps/web/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
