import type { CornerstoneLike, FetchInstanceBytes } from './loader';
import { registerVaultImageLoaderWith } from './loader';
import { bundledWasmSource } from './wasm-assets';

export type { WasmSource } from './codecs';
export type { ImagingDisplayCode } from './errors';
export { IMAGING_DISPLAY_CODES, ImagingDisplayError, isImagingDisplayError } from './errors';
export type { VaultImageId } from './image-id';
export { imageIdsForInstance, parseImageId, VAULT_SCHEME } from './image-id';
export type { CornerstoneLike, FetchInstanceBytes, VaultImage } from './loader';
export { getInstanceMetadata, peekInstanceMetadata, registerVaultImageLoaderWith } from './loader';
export type { InstanceMetadata, TagEntry } from './metadata';
export type { WindowPreset } from './pixel-module';
export { cornerstoneVoi, dicomVoi } from './voi';

/**
 * Registers the `vault:` scheme with cornerstone-core: instance bytes through `fetchBytes`,
 * codecs from the renderer bundle.
 */
export function registerVaultImageLoader(cornerstone: CornerstoneLike, fetchBytes: FetchInstanceBytes): void {
  registerVaultImageLoaderWith(cornerstone, fetchBytes, { wasm: bundledWasmSource });
}
