import { defineConfig } from 'vitest/config';

// One `npm test` for the whole repo, as two projects:
// - "core": server, packages and bench helpers. Database-backed suites run on PGlite always and
//   on Postgres when reachable (see packages/db/src/testing.ts).
// - "web": the dashboard's unit tests and its browser end-to-end tests (Chromium driven
//   by playwright-core against the real server; see apps/web/vitest.config.ts).
export default defineConfig({
  test: {
    // The second reporter names, at the end of the output, any file whose test process died
    // under it (Vitest itself says only "Worker exited unexpectedly").
    reporters: ['default', './scripts/unfinished-reporter.ts'],
    projects: [
      {
        test: {
          name: 'core',
          include: [
            'apps/server/**/*.test.ts',
            'packages/**/*.test.ts',
            'bench/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      './apps/web/vitest.config.ts',
    ],
  },
});
