// Decoders that @cornerstonejs/dicom-image-loader ships but its package "exports" do not
// list (JPEG 12-bit, RLE). The imaging pipeline imports them under these names; the
// renderer build (build-renderer.mjs) and Vitest (vitest.config.ts) map them to the files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const loader = path.join(root, 'node_modules/@cornerstonejs/dicom-image-loader/dist/esm');

/** @type {Record<string, string>} */
export const CODEC_ALIASES = {
  '@cornerstonejs/dicom-image-loader/codecs/jpeg': path.join(loader, 'codecs/jpeg.js'),
  '@cornerstonejs/dicom-image-loader/decoders/rle': path.join(loader, 'shared/decoders/decodeRLE.js'),
};
