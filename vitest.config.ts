import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // the stylesheet is built from KRDS (scripts/build-assets.ts), as `npm start` builds it
    globalSetup: ['test/support/global-setup.ts'],
    // Database tests start their own PGlite instance or PostgreSQL database per file;
    // two workers match the two cores of the project's machines.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
