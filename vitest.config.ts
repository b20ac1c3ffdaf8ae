import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,main,sync-server,renderer,bench,eslint-rules,scripts}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
