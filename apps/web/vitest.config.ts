import { defineConfig } from 'vitest/config';

// Runs the dashboard's own tests: `npx vitest run --config apps/web/vitest.config.ts`.
// Unit tests sit beside the code (src/**/*.test.ts); browser end-to-end tests are in e2e/.
export default defineConfig({
  test: {
    name: 'web',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
