import { describe, expect, it } from 'vitest';
import { INS_OID } from '../identifiers/ins';
import { readDicomdir } from './dicomdir';
import { extractFileIndex } from './extract';
import { parseDicomPart10 } from './parse';
import { insOfDicomPatient } from './patient-ids';
import type { TransferSyntaxName } from './test-support/writer';
import { encodeDataSet, imageElements, TS_UID, writeDicomdir, writeImage, writePart10 } from './test-support/writer';
import { rawDataSetTransferSyntax, wrapInPart10 } from './part10';

const index = (bytes: Uint8Array) => {
  const parsed = parseDicomPart10(bytes);
  if (!parsed.ok) throw new Error(parsed.error.code);
  const r = extractFileIndex(parsed.value);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};

describe('extractFileIndex on files made by the test writer', () => {
  it.each<TransferSyntaxName>(['explicit-le', 'implicit-le', 'explicit-be'])('indexes a %s image', (ts) => {
    const bytes = writeImage(
      { imagePosition: [-125.5, -130, 42.25], instanceNumber: 7, frames: 3, rows: 8, columns: 6, pixelSpacing: [0.7, 0.6] },
      { transferSyntax: ts },
    );
    const v = index(bytes);
    expect(v.study).toEqual({
      studyInstanceUid: '1.2.826.0.1.3680043.10.1.1',
      studyDate: '2024-01-15',
      studyTime: '10:15:30',
      description: 'Scanner thoracique',
      accessionNumber: 'ACC001',
    });
    expect(v.series).toEqual({
      seriesInstanceUid: '1.2.826.0.1.3680043.10.1.1.1',
      modality: 'CT',
      description: 'Coupes axiales',
      bodyPart: 'CHEST',
      seriesNumber: 1,
    });
    expect(v.instance).toMatchObject({
      sopInstanceUid: '1.2.826.0.1.3680043.10.1.1.1.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      transferSyntaxUid: TS_UID[ts],
      instanceNumber: 7,
      imagePosition: [-125.5, -130, 42.25],
      frames: 3,
      rows: 8,
      columns: 6,
      photometric: 'MONOCHROME2',
      pixelSpacing: [0.7, 0.6],
      bitsAllocated: 16,
      hasPixelData: true,
    });
    expect(v.patient).toMatchObject({ nameRaw: 'Martin^Paul', displayName: 'Martin, Paul', birthDate: '1970-01-01', sex: 'M' });
    expect(v.warnings).toEqual([]);
  });

  it('decodes the patient name with the character set of the file (Latin-1 and UTF-8)', () => {
    const latin = index(writeImage({ patientName: 'Buc^Jérôme' }, { charset: 'ISO_IR 100' }));
    expect(latin.patient.nameRaw).toBe('Buc^Jérôme');
    expect(latin.characterSet).toEqual(['ISO_IR 100']);
    const utf = index(writeImage({ patientName: 'Äneas^Rüdiger', studyDescription: 'IRM cérébrale – contrôle' }, { charset: 'ISO_IR 192' }));
    expect(utf.patient.name?.alphabetic).toMatchObject({ family: 'Äneas', given: 'Rüdiger' });
    expect(utf.study.description).toBe('IRM cérébrale – contrôle');
  });

  it('reports a truncated file, a file cut inside its pixel data, and bytes that are not DICOM', () => {
    const whole = writeImage({ rows: 16, columns: 16 });
    expect(parseDicomPart10(whole.subarray(0, whole.length - 100))).toMatchObject({ ok: false, error: { code: 'DICOM_TRUNCATED' } });
    expect(parseDicomPart10(whole.subarray(0, 300))).toMatchObject({ ok: false });
    expect(parseDicomPart10(new Uint8Array(64))).toEqual({ ok: false, error: { code: 'DICOM_NOT_DICOM' } });
    expect(parseDicomPart10(new TextEncoderLike().encode('plain text, not an image'.repeat(10)))).toEqual({
      ok: false,
      error: { code: 'DICOM_NOT_DICOM' },
    });
    // The pixel data element says 8 bytes but the image needs 4×4×2 = 32: cut short.
    const short = writePart10(imageElements({ extra: [{ tag: 0x7fe00010, vr: 'OW', value: new Uint16Array(4) }] }));
    const parsed = parseDicomPart10(short);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(extractFileIndex(parsed.value)).toMatchObject({ ok: false, error: { code: 'DICOM_PIXEL_DATA_TRUNCATED' } });
  });

  it('refuses a file without its UIDs, or with a malformed one, naming the tag', () => {
    const noStudy = parseDicomPart10(writeImage({ omit: [0x0020000d] }));
    expect(noStudy.ok && extractFileIndex(noStudy.value)).toEqual({
      ok: false,
      error: { code: 'DICOM_REQUIRED_ELEMENT_MISSING', params: { tag: '(0020,000D)' } },
    });
    const badUid = parseDicomPart10(writeImage({ seriesInstanceUid: '1.2.03.4' }));
    expect(badUid.ok && extractFileIndex(badUid.value)).toEqual({
      ok: false,
      error: { code: 'DICOM_UID_INVALID', params: { tag: '(0020,000E)' } },
    });
  });

  it('keeps the file but ignores values the index cannot hold, with a warning', () => {
    const v = index(writeImage({ studyDate: '20241301', modality: 'c t!' }));
    expect(v.study.studyDate).toBeUndefined();
    expect(v.series.modality).toBe('OT');
    expect(v.warnings.map((w) => w.params?.tag)).toEqual(['(0008,0020)', '(0008,0060)']);
  });
});

describe('INS / NIR in the file', () => {
  const nir = '255081416802538';
  it('is found in Patient ID with the INS-NIR OID as issuer, or in Other Patient IDs with qualifiers', () => {
    expect(insOfDicomPatient(index(writeImage({ patientId: nir, issuerOfPatientId: INS_OID.NIR })).patient)).toEqual({
      matricule: nir,
      oid: INS_OID.NIR,
      index: 0,
    });
    const other = index(
      writeImage({ patientId: 'RIS12345', otherPatientIds: [{ id: 'X1' }, { id: nir, universalEntityId: INS_OID.NIR }] }),
    );
    expect(insOfDicomPatient(other.patient)).toEqual({ matricule: nir, oid: INS_OID.NIR, index: 2 });
    expect(insOfDicomPatient(index(writeImage({ patientId: nir, issuerOfPatientId: 'NIR' })).patient)).toEqual({
      matricule: nir,
      index: 0,
    });
  });

  it('is not guessed from a local number, nor taken when the key is wrong', () => {
    expect(insOfDicomPatient(index(writeImage({ patientId: nir })).patient)).toBeUndefined();
    expect(insOfDicomPatient(index(writeImage({ patientId: '255081416802539', issuerOfPatientId: INS_OID.NIR })).patient)).toBeUndefined();
  });
});

describe('readDicomdir', () => {
  const tree = [
    {
      type: 'PATIENT' as const,
      elements: [
        { tag: 0x00100010, vr: 'PN' as const, value: 'Doe^Jane' },
        { tag: 0x00100020, vr: 'LO' as const, value: 'P1' },
      ],
      children: [
        {
          type: 'STUDY' as const,
          elements: [{ tag: 0x0020000d, vr: 'UI' as const, value: '1.2.3' }],
          children: [
            {
              type: 'SERIES' as const,
              elements: [
                { tag: 0x0020000e, vr: 'UI' as const, value: '1.2.3.1' },
                { tag: 0x00080060, vr: 'CS' as const, value: 'MR' },
              ],
              children: [
                { type: 'IMAGE' as const, elements: [{ tag: 0x00041511, vr: 'UI' as const, value: '1.2.3.1.1' }], fileId: ['DIR1', 'IM1'] },
                { type: 'IMAGE' as const, elements: [{ tag: 0x00041511, vr: 'UI' as const, value: '1.2.3.1.2' }], fileId: ['DIR1', 'IM2'] },
              ],
            },
          ],
        },
      ],
    },
    { type: 'PATIENT' as const, elements: [{ tag: 0x00100020, vr: 'LO' as const, value: 'P2' }], children: [] },
  ];

  it.each([false, true])('lists the referenced files with their patient, study and series (offsets left out: %s)', (withoutOffsets) => {
    const parsed = parseDicomPart10(writeDicomdir(tree, { withoutOffsets }));
    if (!parsed.ok) throw new Error(parsed.error.code);
    const dir = readDicomdir(parsed.value);
    if (!dir.ok) throw new Error(dir.error.code);
    expect(dir.value.fileSetId).toBe('TEST_CD');
    expect(dir.value.roots.map((r) => r.patientId)).toEqual(['P1', 'P2']);
    expect(dir.value.files).toEqual([
      {
        fileId: ['DIR1', 'IM1'],
        recordType: 'IMAGE',
        referencedSopInstanceUid: '1.2.3.1.1',
        patientId: 'P1',
        patientName: 'Doe^Jane',
        studyInstanceUid: '1.2.3',
        seriesInstanceUid: '1.2.3.1',
      },
      {
        fileId: ['DIR1', 'IM2'],
        recordType: 'IMAGE',
        referencedSopInstanceUid: '1.2.3.1.2',
        patientId: 'P1',
        patientName: 'Doe^Jane',
        studyInstanceUid: '1.2.3',
        seriesInstanceUid: '1.2.3.1',
      },
    ]);
  });

  it('refuses an image file given as a DICOMDIR', () => {
    const parsed = parseDicomPart10(writeImage());
    expect(parsed.ok && readDicomdir(parsed.value)).toEqual({ ok: false, error: { code: 'DICOMDIR_MALFORMED' } });
  });
});

class TextEncoderLike {
  encode(s: string): Uint8Array {
    return Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
  }
}

describe('data sets without the Part 10 header', () => {
  it.each([
    ['explicit', { explicit: true, littleEndian: true, text: 'ascii' as const }, '1.2.840.10008.1.2.1'],
    ['implicit', { explicit: false, littleEndian: true, text: 'ascii' as const }, '1.2.840.10008.1.2'],
  ])('are recognised (%s VR), indexed with a warning, and wrapped into a Part 10 file', (_name, options, ts) => {
    const bare = encodeDataSet(imageElements({ sopInstanceUid: '1.2.3.4.5' }), options);
    expect(rawDataSetTransferSyntax(bare)).toBe(ts);
    const parsed = parseDicomPart10(bare, { rawTransferSyntax: ts });
    if (!parsed.ok) throw new Error(parsed.error.code);
    const indexed = extractFileIndex(parsed.value, { rawTransferSyntax: ts });
    expect(indexed).toMatchObject({ ok: true, value: { instance: { sopInstanceUid: '1.2.3.4.5', transferSyntaxUid: ts }, warnings: [{ code: 'DICOM_NO_PART10_HEADER' }] } });
    const wrapped = wrapInPart10(bare, { sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '1.2.3.4.5', transferSyntaxUid: ts });
    const again = parseDicomPart10(wrapped);
    if (!again.ok) throw new Error(again.error.code);
    expect(extractFileIndex(again.value)).toMatchObject({ ok: true, value: { instance: { sopInstanceUid: '1.2.3.4.5', transferSyntaxUid: ts }, warnings: [] } });
  });

  it('are not guessed in text or other binary files', () => {
    expect(rawDataSetTransferSyntax(new TextEncoderLike().encode('\b\0 not a DICOM file at all'))).toBeUndefined();
    expect(rawDataSetTransferSyntax(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]))).toBeUndefined();
  });
});
