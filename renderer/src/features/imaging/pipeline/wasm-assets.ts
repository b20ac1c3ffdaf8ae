import charlsWasm from '@cornerstonejs/codec-charls/decodewasm';
import libjpegTurboWasm from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm';
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm';
import type { WasmCodec, WasmSource } from './codecs';

// esbuild's file loader copies each .wasm into the renderer build (assets/) and gives its
// path: the codecs load from the app's own origin, nothing remote.
const FILES: Readonly<Record<WasmCodec, string>> = {
  'libjpeg-turbo-8bit': libjpegTurboWasm,
  charls: charlsWasm,
  openjpeg: openjpegWasm,
};

/** The bundled codec files, fetched from the page's origin when a codec is first needed. */
export const bundledWasmSource: WasmSource = async (codec) => {
  const response = await fetch(new URL(FILES[codec], import.meta.url));
  if (!response.ok) throw new Error(`codec ${codec}: HTTP ${response.status}`);
  return response.arrayBuffer();
};
