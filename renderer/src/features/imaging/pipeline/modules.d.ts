/* eslint-disable no-restricted-syntax, @typescript-eslint/consistent-type-imports -- ambient declarations of packages' default exports; a top-level import would turn these declarations into augmentations of modules that have no types. */
// Types of the codec packages' files that ship none. The Emscripten factories of the
// Cornerstone codec packages resolve to a module instance holding the decoder classes.

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (
    options?: import('./codecs').EmscriptenOptions,
  ) => Promise<import('./codecs').EmscriptenCodecModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (
    options?: import('./codecs').EmscriptenOptions,
  ) => Promise<import('./codecs').EmscriptenCodecModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (
    options?: import('./codecs').EmscriptenOptions,
  ) => Promise<import('./codecs').EmscriptenCodecModule>;
  export default factory;
}
// The .wasm files are bundled by esbuild's file loader: importing one gives its URL.
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm' {
  const url: string;
  export default url;
}
declare module '@cornerstonejs/codec-charls/decodewasm' {
  const url: string;
  export default url;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasm' {
  const url: string;
  export default url;
}
// Files of @cornerstonejs/dicom-image-loader that its package exports do not list; the
// bundler (scripts/build-renderer.mjs) and Vitest (vitest.config.ts) alias these names.
declare module '@cornerstonejs/dicom-image-loader/codecs/jpeg' {
  export default class JpegImage {
    parse(data: Uint8Array): void;
    colorTransform: boolean | undefined;
    width: number;
    height: number;
    components: unknown[];
    getData16(width: number, height: number): Uint16Array;
    getData(width: number, height: number): Uint8Array;
  }
}
declare module '@cornerstonejs/dicom-image-loader/decoders/rle' {
  type RleFrame = {
    rows: number;
    columns: number;
    samplesPerPixel: number;
    bitsAllocated: number;
    planarConfiguration: number;
    pixelRepresentation: number;
    pixelData?: Uint8Array | Uint16Array | Int16Array;
  };
  export default function decodeRLE(frame: RleFrame, data: Uint8Array): Promise<RleFrame>;
}
