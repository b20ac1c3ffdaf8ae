import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../shared/src/errors';
import { writeImage, writePart10 } from '../../../../../shared/src/dicom/test-support/writer';
import type { WasmSource } from './codecs';
import type { ColourFrame, GreyFrame } from './decode';
import { decodeFrame, parseInstance } from './decode';
import { ImagingDisplayError } from './errors';
import type { CornerstoneLike, VaultImage } from './loader';
import { getInstanceMetadata, registerVaultImageLoaderWith } from './loader';
import { pixelImage, rleFrame, writeDeflated, writeEncapsulated } from './test-dicom';

// Files made in code for every syntax and pixel layout that code can make (the compressed
// JPEG family is checked against real files in the Chromium test, renderer/e2e/imaging-pipeline.e2e.ts).

const noWasm: WasmSource = () => Promise.reject(new Error('no codec needed here'));
const RLE = '1.2.840.10008.1.2.5';
const expected = Array.from({ length: 16 }, (_, i) => (i * 37) % 4096);

async function grey(bytes: Uint8Array, frame = 0): Promise<GreyFrame> {
  const out = await decodeFrame(await parseInstance(bytes), frame, noWasm);
  if (out.kind !== 'grey') throw new Error('expected grey');
  return out;
}
async function colour(bytes: Uint8Array, frame = 0): Promise<ColourFrame> {
  const out = await decodeFrame(await parseInstance(bytes), frame, noWasm);
  if (out.kind !== 'rgba') throw new Error('expected colour');
  return out;
}
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ImagingDisplayError);
    return (error as ImagingDisplayError).code;
  }
  return 'resolved';
}

describe('native transfer syntaxes', () => {
  it.each(['explicit-le', 'implicit-le', 'explicit-be'] as const)(
    '%s: 12 bits stored in 16, values as written',
    async (ts) => {
      const frame = await grey(writeImage({}, { transferSyntax: ts }));
      expect([...frame.pixels]).toEqual(expected);
      expect(frame.pixels).toBeInstanceOf(Uint16Array);
      expect([frame.min, frame.max]).toEqual([Math.min(...expected), Math.max(...expected)]);
    },
  );

  it('deflated explicit VR little endian, with bytes after the deflate stream (as image_dfl.dcm)', async () => {
    const deflated = await writeDeflated(pixelImage({ rows: 4, columns: 4 }));
    const frame = await grey(Uint8Array.from([...deflated, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect([...frame.pixels]).toEqual(expected);
  });

  it('masks bits above Bits Stored and sign-extends signed pixels', async () => {
    // 12 bits stored, signed: -5 is 0xFFB in 12 bits; garbage in the top 4 bits must go.
    const raw = Uint16Array.from([0xfffb, 0x07ff, 0x0800, 0xa001]);
    const frame = await grey(
      writePart10(pixelImage({ rows: 2, columns: 2, bitsStored: 12, pixelRepresentation: 1, data: raw })),
    );
    expect(frame.pixels).toBeInstanceOf(Int16Array);
    expect([...frame.pixels]).toEqual([-5, 2047, -2048, 1]);
    expect([frame.min, frame.max]).toEqual([-2048, 2047]);
  });

  it('a single-frame aligned image is used in place, and decoding it again gives the same values', async () => {
    const raw = Uint16Array.from([0xfffb, 0x07ff, 0x0800, 0xa001]);
    const instance = await parseInstance(
      writePart10(pixelImage({ rows: 2, columns: 2, bitsStored: 12, pixelRepresentation: 1, data: raw })),
    );
    const first = await decodeFrame(instance, 0, noWasm);
    const again = await decodeFrame(instance, 0, noWasm);
    if (first.kind !== 'grey' || again.kind !== 'grey') throw new Error('expected grey');
    // No copy of the pixel bytes: a view into the file's buffer (DICOM values start at even offsets).
    expect(first.pixels.buffer).toBe(instance.dataSet.byteArray.buffer);
    expect([...first.pixels]).toEqual([-5, 2047, -2048, 1]);
    expect([...again.pixels]).toEqual([-5, 2047, -2048, 1]);
  });

  it('signed 16-bit in big endian', async () => {
    const raw = Uint16Array.from([0xfc18, 1000, 0x8000, 0x7fff]); // -1000, 1000, -32768, 32767
    const frame = await grey(
      writePart10(pixelImage({ rows: 2, columns: 2, pixelRepresentation: 1, data: raw }), {
        transferSyntax: 'explicit-be',
      }),
    );
    expect([...frame.pixels]).toEqual([-1000, 1000, -32768, 32767]);
  });

  it('8-bit and 1-bit pixels', async () => {
    const eight = await grey(
      writePart10(
        pixelImage({ rows: 2, columns: 2, bitsAllocated: 8, data: Uint8Array.from([0, 10, 200, 255]) }),
      ),
    );
    expect([...eight.pixels]).toEqual([0, 10, 200, 255]);
    // 1-bit, two 3x3 frames packed without byte alignment between frames (as in DICOM SEG).
    const bits = [1, 0, 0, 1, 1, 0, 0, 0, 1, /* frame 2 */ 0, 1, 1, 0, 0, 1, 1, 1, 0];
    const packed = new Uint8Array(Math.ceil(bits.length / 8) + 1);
    bits.forEach((b, i) => (packed[i >> 3] = (packed[i >> 3] ?? 0) | (b << (i & 7))));
    const file = writePart10(
      pixelImage({ rows: 3, columns: 3, bitsAllocated: 1, bitsStored: 1, frames: 2, data: packed }),
    );
    expect([...(await grey(file, 0)).pixels]).toEqual(bits.slice(0, 9));
    expect([...(await grey(file, 1)).pixels]).toEqual(bits.slice(9));
  });

  it('multi-frame: each frame at its offset; a frame past the end is FRAME_NOT_FOUND', async () => {
    const file = writeImage({ rows: 2, columns: 2, frames: 3 });
    const all = Array.from({ length: 12 }, (_, i) => (i * 37) % 4096);
    expect([...(await grey(file, 2)).pixels]).toEqual(all.slice(8, 12));
    expect(await codeOf(grey(file, 3))).toBe('IMAGING_DISPLAY_FRAME_NOT_FOUND');
  });
});

describe('colour', () => {
  const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
  const rgba = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255];

  it('RGB, planar configuration 0 and 1', async () => {
    const interleaved = await colour(
      writePart10(
        pixelImage({
          rows: 2,
          columns: 2,
          samplesPerPixel: 3,
          photometric: 'RGB',
          bitsAllocated: 8,
          planarConfiguration: 0,
          data: Uint8Array.from(rgb),
        }),
      ),
    );
    expect([...interleaved.pixels]).toEqual(rgba);
    const planes = [0, 1, 2].flatMap((s) => [0, 1, 2, 3].map((p) => rgb[p * 3 + s] ?? 0));
    const planar = await colour(
      writePart10(
        pixelImage({
          rows: 2,
          columns: 2,
          samplesPerPixel: 3,
          photometric: 'RGB',
          bitsAllocated: 8,
          planarConfiguration: 1,
          data: Uint8Array.from(planes),
        }),
      ),
    );
    expect([...planar.pixels]).toEqual(rgba);
  });

  it('YBR_FULL and YBR_FULL_422 are converted to RGB', async () => {
    // Pure red in YCbCr (JFIF): Y 76, Cb 85, Cr 255; grey 128 stays grey.
    const full = await colour(
      writePart10(
        pixelImage({
          rows: 1,
          columns: 2,
          samplesPerPixel: 3,
          photometric: 'YBR_FULL',
          bitsAllocated: 8,
          planarConfiguration: 0,
          data: Uint8Array.from([76, 85, 255, 128, 128, 128]),
        }),
      ),
    );
    expect(full.pixels[0]).toBeGreaterThanOrEqual(253);
    expect(full.pixels[1]).toBeLessThanOrEqual(1);
    expect(full.pixels[2]).toBeLessThanOrEqual(1);
    expect([...full.pixels.subarray(4, 8)]).toEqual([128, 128, 128, 255]);
    // 4:2:2: Y1 Y2 Cb Cr for two pixels sharing their chroma.
    const half = await colour(
      writePart10(
        pixelImage({
          rows: 1,
          columns: 2,
          samplesPerPixel: 3,
          photometric: 'YBR_FULL_422',
          bitsAllocated: 8,
          planarConfiguration: 0,
          data: Uint8Array.from([100, 200, 128, 128]),
        }),
      ),
    );
    expect([...half.pixels]).toEqual([100, 100, 100, 255, 200, 200, 200, 255]);
  });

  it('PALETTE COLOR through 16-bit LUT entries', async () => {
    const lut = (values: number[]) => Uint16Array.from(values.map((v) => v * 257));
    const file = writePart10(
      pixelImage({
        rows: 1,
        columns: 3,
        photometric: 'PALETTE COLOR',
        bitsAllocated: 8,
        data: Uint8Array.from([10, 11, 12, 0]),
        extra: [
          { tag: 0x00281101, vr: 'US', value: [3, 10, 16] },
          { tag: 0x00281102, vr: 'US', value: [3, 10, 16] },
          { tag: 0x00281103, vr: 'US', value: [3, 10, 16] },
          { tag: 0x00281201, vr: 'OW', value: lut([255, 0, 0]) },
          { tag: 0x00281202, vr: 'OW', value: lut([0, 255, 0]) },
          { tag: 0x00281203, vr: 'OW', value: lut([0, 0, 255]) },
        ],
      }),
    );
    expect([...(await colour(file)).pixels]).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
  });
});

describe('RLE lossless', () => {
  it('16-bit grey, signed, two frames', async () => {
    const f0 = [-1000, 0, 1000, 1000, 1000, 1000, 32767, -32768];
    const f1 = [1, 2, 3, 4, 5, 6, 7, 8];
    const file = writeEncapsulated(
      pixelImage({ rows: 2, columns: 4, pixelRepresentation: 1, frames: 2 }),
      [
        rleFrame(
          f0.map((v) => v & 0xffff),
          1,
          16,
        ),
        rleFrame(f1, 1, 16),
      ],
      RLE,
    );
    expect([...(await grey(file, 0)).pixels]).toEqual(f0);
    expect([...(await grey(file, 1)).pixels]).toEqual(f1);
  });

  it('8-bit RGB', async () => {
    const rgb = [255, 0, 0, 255, 0, 0, 255, 0, 0, 1, 2, 3];
    const file = writeEncapsulated(
      pixelImage({
        rows: 2,
        columns: 2,
        samplesPerPixel: 3,
        photometric: 'RGB',
        bitsAllocated: 8,
        planarConfiguration: 1,
      }),
      [rleFrame(rgb, 3, 8)],
      RLE,
    );
    expect([...(await colour(file)).pixels]).toEqual([
      255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 1, 2, 3, 255,
    ]);
  });

  it('a broken RLE header is CORRUPT', async () => {
    const bad = rleFrame([1, 2, 3, 4], 1, 16);
    new DataView(bad.buffer).setUint32(0, 9, true);
    expect(await codeOf(grey(writeEncapsulated(pixelImage({ rows: 2, columns: 2 }), [bad], RLE)))).toBe(
      'IMAGING_DISPLAY_CORRUPT',
    );
  });
});

describe('files that cannot be shown', () => {
  it('not DICOM, truncated pixel data, no pixel data, unsupported syntax', async () => {
    expect(await codeOf(parseInstance(new Uint8Array(200)))).toBe('IMAGING_DISPLAY_UNREADABLE');
    // Pixel data shorter than its rows × columns say (the element's length matches what is there).
    const short = writePart10(pixelImage({ rows: 4, columns: 4, data: new Uint16Array(10) }));
    expect(await codeOf(grey(short))).toBe('IMAGING_DISPLAY_TRUNCATED');
    // Cut inside the pixel data element (its length runs past the end of the file).
    expect(
      await codeOf(
        parseInstance(writeImage({ pixelBytesMissing: 6 })).then((i) => decodeFrame(i, 0, noWasm)),
      ),
    ).toBe('IMAGING_DISPLAY_TRUNCATED');
    const noPixels = await parseInstance(writeImage({ omit: [0x7fe00010] }));
    expect(noPixels.pixel).toBeInstanceOf(ImagingDisplayError);
    expect(await codeOf(decodeFrame(noPixels, 0, noWasm))).toBe('IMAGING_DISPLAY_NOT_AN_IMAGE');
    const rle = await parseInstance(
      writeEncapsulated(pixelImage({ rows: 2, columns: 2 }), [rleFrame([1, 2, 3, 4], 1, 16)], RLE),
    );
    expect(
      await codeOf(decodeFrame({ ...rle, transferSyntaxUid: '1.2.840.10008.1.2.4.100' }, 0, noWasm)),
    ).toBe('IMAGING_DISPLAY_UNSUPPORTED_SYNTAX');
    const float = await parseInstance(
      writePart10(pixelImage({ rows: 2, columns: 2, bitsAllocated: 64 as 16 })),
    );
    expect(await codeOf(decodeFrame(float, 0, noWasm))).toBe('IMAGING_DISPLAY_UNSUPPORTED_PIXELS');
  });
});

describe('the vault loader', () => {
  function setUp(files: Record<string, Uint8Array | Error>) {
    let loader: ((id: string) => { promise: Promise<unknown> }) | undefined;
    const fetched: string[] = [];
    const cornerstone: CornerstoneLike = {
      registerImageLoader: (scheme, fn) => scheme === 'vault' && (loader = fn),
    };
    registerVaultImageLoaderWith(
      cornerstone,
      async (studyId, sop) => {
        fetched.push(`${studyId}/${sop}`);
        const file = files[sop];
        if (file instanceof Error) throw file;
        if (!file) throw new AppError('IMAGING_STUDY_NOT_FOUND');
        return file.slice().buffer;
      },
      { wasm: noWasm },
    );
    const load = (id: string) => {
      if (!loader) throw new Error('no vault loader registered');
      return loader(id).promise as Promise<VaultImage>;
    };
    return { load, fetched };
  }

  it('makes Cornerstone images with the file window, modality LUT and spacing; one fetch per instance', async () => {
    const ct = writePart10(
      pixelImage(
        {
          rows: 2,
          columns: 2,
          frames: 2,
          data: Uint16Array.from([0, 100, 200, 300, 1, 2, 3, 4]),
          extra: [
            { tag: 0x00281050, vr: 'DS', value: '40\\-600' },
            { tag: 0x00281051, vr: 'DS', value: '400\\1500' },
            { tag: 0x00281052, vr: 'DS', value: '-1024' },
            { tag: 0x00281053, vr: 'DS', value: '1' },
          ],
        },
        { patientName: 'Buc^Jérôme', pixelSpacing: [0.7, 0.6] },
      ),
      { charset: 'ISO_IR 100' },
    );
    const { load, fetched } = setUp({ '1.2.3': ct });
    const image = await load('vault:study-1/1.2.3?frame=0');
    expect(image).toMatchObject({
      rows: 2,
      columns: 2,
      color: false,
      invert: false,
      slope: 1,
      intercept: -1024,
      windowCenter: 40,
      windowWidth: 400,
      minPixelValue: 0,
      maxPixelValue: 300,
      rowPixelSpacing: 0.7,
      columnPixelSpacing: 0.6,
    });
    expect(Array.from(image.getPixelData())).toEqual([0, 100, 200, 300]);
    expect(Array.from((await load('vault:study-1/1.2.3?frame=1')).getPixelData())).toEqual([1, 2, 3, 4]);
    expect(fetched).toEqual(['study-1/1.2.3']);
    const meta = await getInstanceMetadata('vault:study-1/1.2.3?frame=1');
    expect(meta.patient.name).toBe('Buc^Jérôme');
    expect(meta.numberOfFrames).toBe(2);
    expect(meta.windowPresets).toEqual([
      { center: 40, width: 400 },
      { center: -600, width: 1500 },
    ]);
    expect(meta.pixelSpacing).toEqual({ row: 0.7, column: 0.6 });
    expect(meta.tags).toContainEqual({
      tag: '(0010,0010)',
      vr: 'PN',
      name: 'PatientName',
      value: 'Buc^Jérôme',
      depth: 0,
    });
    expect(meta.tags).toContainEqual(expect.objectContaining({ tag: '(0028,0010)', value: '2' }));
  });

  it('MONOCHROME1 is inverted; without a window the window spans the modality values', async () => {
    const file = writePart10(
      pixelImage({
        rows: 1,
        columns: 2,
        photometric: 'MONOCHROME1',
        bitsStored: 12,
        data: Uint16Array.from([100, 4000]),
        extra: [{ tag: 0x00281053, vr: 'DS', value: '2' }],
      }),
    );
    const { load } = setUp({ '1.2.4': file });
    const image = await load('vault:s/1.2.4');
    expect(image).toMatchObject({ invert: true, slope: 2, windowWidth: 7800, windowCenter: 4100 });
  });

  it('rejects with catalogue codes: undisplayable files, and the byte route’s own errors as they are', async () => {
    const { load } = setUp({
      '1.2.5': writeImage({ omit: [0x7fe00010] }),
      '1.2.6': new AppError('VAULT_LOCKED'),
    });
    await expect(load('vault:s/1.2.5')).rejects.toMatchObject({ code: 'IMAGING_DISPLAY_NOT_AN_IMAGE' });
    await expect(load('vault:s/1.2.6')).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    await expect(load('vault:s/9.9')).rejects.toMatchObject({ code: 'IMAGING_STUDY_NOT_FOUND' });
    await expect(load('vault:s/1.2.5?frame=x')).rejects.toMatchObject({ code: 'IMAGING_DISPLAY_UNREADABLE' });
    // The tags of a file without image stay browsable.
    expect((await getInstanceMetadata('vault:s/1.2.5')).displayError).toBe('IMAGING_DISPLAY_NOT_AN_IMAGE');
  });
});

describe('image ids', () => {
  it('parses the agreed forms and nothing else', async () => {
    const { imageIdsForInstance, parseImageId } = await import('./image-id');
    expect(parseImageId('vault:st-1/1.2.3')).toEqual({ studyId: 'st-1', sopInstanceUid: '1.2.3', frame: 0 });
    expect(parseImageId('vault:st-1/1.2.3?frame=12')).toEqual({
      studyId: 'st-1',
      sopInstanceUid: '1.2.3',
      frame: 12,
    });
    for (const bad of [
      'vault:st-1/1.2.3?frame=01',
      'vault:st-1/1.2.3?frame=-1',
      'vault:/1.2',
      'vault:st/x',
      'wadouri:st/1.2',
      'vault:st/1.2?frame=1?x',
      'vault:a/b/1.2',
    ]) {
      expect(parseImageId(bad), bad).toBeUndefined();
    }
    expect(imageIdsForInstance('s', '1.2', 1)).toEqual(['vault:s/1.2']);
    expect(imageIdsForInstance('s', '1.2', 2)).toEqual(['vault:s/1.2?frame=0', 'vault:s/1.2?frame=1']);
  });
});
