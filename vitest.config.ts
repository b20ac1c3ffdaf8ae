import { defineConfig } from 'vitest/config';
import { CODEC_ALIASES } from './scripts/codec-aliases.mjs';

export default defineConfig({
  // Files of @cornerstonejs/dicom-image-loader its exports map leaves out (imaging pipeline).
  resolve: { alias: CODEC_ALIASES },
  test: {
    include: ['{shared,main,sync-server,renderer,bench,eslint-rules,scripts}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
