import type { DataSet, DicomReader } from '../../../../../shared/src/dicom';
import { ImagingDisplayError } from './errors';

export type PaletteLut = {
  readonly firstMapped: number;
  readonly bits: number;
  readonly data: Uint16Array | Uint8Array;
};

export type WindowPreset = { readonly center: number; readonly width: number; readonly explanation?: string };

/** The Image Pixel module and what turns stored values into displayed ones. */
export type PixelModule = {
  readonly transferSyntaxUid: string;
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly photometric: string;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly highBit: number;
  readonly pixelRepresentation: number;
  readonly planarConfiguration: number;
  readonly numberOfFrames: number;
  readonly slope: number;
  readonly intercept: number;
  readonly windows: readonly WindowPreset[];
  readonly palette?: { readonly red: PaletteLut; readonly green: PaletteLut; readonly blue: PaletteLut };
};

export const PIXEL_TAGS = {
  samplesPerPixel: 'x00280002',
  photometric: 'x00280004',
  planarConfiguration: 'x00280006',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  highBit: 'x00280102',
  pixelRepresentation: 'x00280103',
  windowCenter: 'x00281050',
  windowWidth: 'x00281051',
  rescaleIntercept: 'x00281052',
  rescaleSlope: 'x00281053',
  windowExplanation: 'x00281055',
  redDescriptor: 'x00281101',
  greenDescriptor: 'x00281102',
  blueDescriptor: 'x00281103',
  redData: 'x00281201',
  greenData: 'x00281202',
  blueData: 'x00281203',
  pixelData: 'x7fe00010',
} as const;

const SUPPORTED_PHOTOMETRIC = new Set([
  'MONOCHROME1',
  'MONOCHROME2',
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'PALETTE COLOR',
  'YBR_RCT',
  'YBR_ICT',
]);

function paletteLut(dataSet: DataSet, descriptorTag: string, dataTag: string): PaletteLut | undefined {
  const descriptor = dataSet.elements[descriptorTag];
  const data = dataSet.elements[dataTag];
  if (!descriptor || descriptor.length < 6 || !data || data.length === 0) return undefined;
  const entries = dataSet.uint16(descriptorTag, 0) ?? 0;
  const firstMapped = dataSet.uint16(descriptorTag, 1) ?? 0;
  const bits = dataSet.uint16(descriptorTag, 2) ?? 16;
  const count = entries === 0 ? 65536 : entries;
  if (data.dataOffset + data.length > dataSet.byteArray.length) return undefined;
  const bytes = dataSet.byteArray.subarray(data.dataOffset, data.dataOffset + data.length);
  // 8-bit entries are sometimes packed two per 16-bit word, sometimes one per word.
  if (bits === 8 && bytes.length === count) return { firstMapped, bits, data: bytes.slice() };
  const out = new Uint16Array(Math.min(count, bytes.length >> 1));
  const littleEndian = !isBigEndian(dataSet);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, littleEndian);
  return { firstMapped, bits, data: out };
}

export function isBigEndian(dataSet: DataSet): boolean {
  return dataSet.string('x00020010') === '1.2.840.10008.1.2.2';
}

/**
 * Reads the pixel description of an instance. Refuses (typed error) what has no pixel data
 * or describes pixels this viewer cannot show.
 */
export function readPixelModule(reader: DicomReader, transferSyntaxUid: string): PixelModule {
  const { dataSet } = reader;
  const pixelData = dataSet.elements[PIXEL_TAGS.pixelData];
  if (!pixelData) {
    throw new ImagingDisplayError(
      dataSet.elements['x7fe00008'] || dataSet.elements['x7fe00009']
        ? 'IMAGING_DISPLAY_UNSUPPORTED_PIXELS'
        : 'IMAGING_DISPLAY_NOT_AN_IMAGE',
    );
  }
  const rows = reader.uint16(PIXEL_TAGS.rows) ?? 0;
  const columns = reader.uint16(PIXEL_TAGS.columns) ?? 0;
  const samplesPerPixel = reader.uint16(PIXEL_TAGS.samplesPerPixel) ?? 1;
  const bitsAllocated = reader.uint16(PIXEL_TAGS.bitsAllocated) ?? 0;
  const bitsStored = reader.uint16(PIXEL_TAGS.bitsStored) ?? bitsAllocated;
  const highBit = reader.uint16(PIXEL_TAGS.highBit) ?? bitsStored - 1;
  const pixelRepresentation = reader.uint16(PIXEL_TAGS.pixelRepresentation) ?? 0;
  const photometric = (
    reader.ascii(PIXEL_TAGS.photometric) ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2')
  ).toUpperCase();
  const frames = reader.numbers(PIXEL_TAGS.numberOfFrames)[0] ?? 1;
  if (rows === 0 || columns === 0) throw new ImagingDisplayError('IMAGING_DISPLAY_NOT_AN_IMAGE');
  const bitsOk =
    bitsAllocated === 1 ||
    bitsAllocated === 8 ||
    bitsAllocated === 16 ||
    (bitsAllocated === 32 && samplesPerPixel === 1);
  const samplesOk = samplesPerPixel === 1 || samplesPerPixel === 3;
  if (
    !bitsOk ||
    !samplesOk ||
    !SUPPORTED_PHOTOMETRIC.has(photometric) ||
    bitsStored < 1 ||
    bitsStored > bitsAllocated ||
    highBit < bitsStored - 1 ||
    highBit >= bitsAllocated ||
    (samplesPerPixel === 3) !== !['MONOCHROME1', 'MONOCHROME2', 'PALETTE COLOR'].includes(photometric) ||
    rows * columns > 16384 * 16384
  ) {
    throw new ImagingDisplayError('IMAGING_DISPLAY_UNSUPPORTED_PIXELS', {
      photometric,
      bitsAllocated,
      samplesPerPixel,
    });
  }
  const centers = reader.numbers(PIXEL_TAGS.windowCenter);
  const widths = reader.numbers(PIXEL_TAGS.windowWidth);
  const explanations = reader.text(PIXEL_TAGS.windowExplanation)?.split('\\') ?? [];
  const windows: WindowPreset[] = [];
  centers.forEach((center, i) => {
    const width = widths[i];
    if (width !== undefined && width >= 1) {
      const explanation = explanations[i]?.trim();
      windows.push(explanation ? { center, width, explanation } : { center, width });
    }
  });
  const slope = reader.numbers(PIXEL_TAGS.rescaleSlope)[0];
  const intercept = reader.numbers(PIXEL_TAGS.rescaleIntercept)[0];
  let palette: PixelModule['palette'];
  if (photometric === 'PALETTE COLOR') {
    const red = paletteLut(dataSet, PIXEL_TAGS.redDescriptor, PIXEL_TAGS.redData);
    const green = paletteLut(dataSet, PIXEL_TAGS.greenDescriptor, PIXEL_TAGS.greenData);
    const blue = paletteLut(dataSet, PIXEL_TAGS.blueDescriptor, PIXEL_TAGS.blueData);
    // Segmented palettes (0028,1221…) are not read: without plain LUT data the colours are unknown.
    if (!red || !green || !blue)
      throw new ImagingDisplayError('IMAGING_DISPLAY_UNSUPPORTED_PIXELS', { photometric });
    palette = { red, green, blue };
  }
  return {
    transferSyntaxUid,
    rows,
    columns,
    samplesPerPixel,
    photometric,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation,
    planarConfiguration: reader.uint16(PIXEL_TAGS.planarConfiguration) ?? 0,
    numberOfFrames: Math.max(1, Math.floor(frames)),
    slope: slope !== undefined && slope !== 0 ? slope : 1,
    intercept: intercept ?? 0,
    windows,
    ...(palette ? { palette } : {}),
  };
}
