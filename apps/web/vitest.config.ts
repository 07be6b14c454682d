import { defineConfig } from 'vitest/config';

// Runs the dashboard's own tests: `npx vitest run --config apps/web/vitest.config.ts`.
// Unit tests sit beside the code (src/**/*.test.ts); browser end-to-end tests are in e2e/.
// The global setup finds a Chromium once (CHROMIUM_PATH, /usr/bin/chromium or the npm build) and
// fails the run with one line saying how to get one when there is none.
export default defineConfig({
  test: {
    name: 'web',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['e2e/global-setup.ts'],
  },
});
