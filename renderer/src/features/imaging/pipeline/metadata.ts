import type { DataSet, DicomReader } from '../../../../../shared/src/dicom';
import { createReader, dicomDateToIso, formatTag } from '../../../../../shared/src/dicom';
import type { ParsedInstance } from './decode';
import { ImagingDisplayError } from './errors';
import type { WindowPreset } from './pixel-module';
import { TAG_DICTIONARY } from './tag-dictionary';

export type TagEntry = {
  /** `(0010,0010)` */
  readonly tag: string;
  readonly vr: string;
  /** PS3.6 keyword, or '' for a tag the built-in dictionary does not name. */
  readonly name: string;
  /** Value as text (decoded with the file's character set); binary values as a size. */
  readonly value: string;
  /** 0 for the data set, n for an item of a sequence n levels down. */
  readonly depth: number;
};

/** What the viewer's overlays and tag browser show of one instance. */
export type InstanceMetadata = {
  readonly studyId: string;
  readonly sopInstanceUid: string;
  readonly numberOfFrames: number;
  readonly transferSyntaxUid: string;
  readonly sopClassUid?: string;
  readonly patient: {
    readonly name?: string;
    readonly id?: string;
    readonly birthDate?: string;
    readonly sex?: string;
  };
  readonly study: {
    readonly instanceUid?: string;
    readonly date?: string;
    readonly time?: string;
    readonly description?: string;
    readonly accessionNumber?: string;
    readonly id?: string;
  };
  readonly series: {
    readonly instanceUid?: string;
    readonly number?: number;
    readonly description?: string;
    readonly modality?: string;
    readonly bodyPart?: string;
  };
  readonly instance: {
    readonly number?: number;
    readonly rows: number;
    readonly columns: number;
    readonly photometric: string;
    readonly bitsAllocated: number;
    readonly bitsStored: number;
    readonly imagePosition?: readonly [number, number, number];
    readonly sliceLocation?: number;
    readonly sliceThickness?: number;
  };
  /** Millimetres between rows and between columns: Pixel Spacing, else Imager Pixel Spacing. */
  readonly pixelSpacing?: { readonly row: number; readonly column: number };
  readonly rescale: { readonly slope: number; readonly intercept: number; readonly type?: string };
  readonly windowPresets: readonly WindowPreset[];
  /** Why this instance cannot be displayed (its tags can still be browsed), when so. */
  readonly displayError?: string;
  readonly tags: readonly TagEntry[];
};

const TEXT_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'UC']);
const ASCII_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'TM', 'UI', 'UR']);
const MAX_VALUE = 256;
const MAX_VALUES = 32;

function binaryNumbers(dataSet: DataSet, tag: string, vr: string, length: number): string {
  const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4;
  const count = Math.min(Math.floor(length / size), MAX_VALUES);
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const v =
      vr === 'US'
        ? dataSet.uint16(tag, i)
        : vr === 'SS'
          ? dataSet.int16(tag, i)
          : vr === 'UL'
            ? dataSet.uint32(tag, i)
            : vr === 'SL'
              ? dataSet.int32(tag, i)
              : vr === 'FL'
                ? dataSet.float(tag, i)
                : dataSet.double(tag, i);
    values.push(String(v));
  }
  return values.join('\\') + (length / size > MAX_VALUES ? '\\…' : '');
}

function valueText(reader: DicomReader, tag: string, vr: string): string {
  const { dataSet } = reader;
  const el = dataSet.elements[tag];
  if (!el) return '';
  if (el.dataOffset + el.length > dataSet.byteArray.length) return '';
  if (tag === 'x7fe00010' || el.encapsulatedPixelData) return `${el.length} bytes`;
  if (vr === 'PN') return reader.personNameText(tag) ?? '';
  if (TEXT_VRS.has(vr)) return reader.text(tag) ?? '';
  if (ASCII_VRS.has(vr)) return reader.asciiValues(tag).join('\\');
  if (['US', 'SS', 'UL', 'SL', 'FL', 'FD'].includes(vr))
    return el.length > 0 ? binaryNumbers(dataSet, tag, vr, el.length) : '';
  if (vr === 'AT' && el.length >= 4) {
    const group = dataSet.uint16(tag, 0) ?? 0;
    const element = dataSet.uint16(tag, 1) ?? 0;
    return formatTag(`x${group.toString(16).padStart(4, '0')}${element.toString(16).padStart(4, '0')}`);
  }
  return `${el.length} bytes`;
}

function flatTags(reader: DicomReader, depth: number, out: TagEntry[]): void {
  const keys = Object.keys(reader.dataSet.elements).sort();
  for (const key of keys) {
    const el = reader.dataSet.elements[key];
    if (!el) continue;
    const known = TAG_DICTIONARY[key];
    const vr = el.vr ?? known?.[0] ?? 'UN';
    const name = known?.[1] ?? '';
    if (vr === 'SQ' || el.items) {
      const items = reader.items(key);
      out.push({ tag: formatTag(key), vr: 'SQ', name, value: `${items.length} item(s)`, depth });
      for (const item of items) {
        out.push({ tag: formatTag('xfffee000'), vr: '', name: 'Item', value: '', depth: depth + 1 });
        flatTags(item, depth + 2, out);
      }
      continue;
    }
    let value = valueText(reader, key, vr);
    if (value.length > MAX_VALUE) value = `${value.slice(0, MAX_VALUE)}…`;
    out.push({ tag: formatTag(key), vr, name, value, depth });
  }
}

function spacingOf(values: readonly number[] | undefined): { row: number; column: number } | undefined {
  const [row, column] = values ?? [];
  return row !== undefined && column !== undefined && row > 0 && column > 0 ? { row, column } : undefined;
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

export function instanceMetadata(
  studyId: string,
  sopInstanceUid: string,
  instance: ParsedInstance,
): InstanceMetadata {
  const reader = instance.reader ?? createReader(instance.dataSet);
  const firstNumber = (tag: string): number | undefined => reader.numbers(tag)[0];
  const pixel = instance.pixel instanceof ImagingDisplayError ? undefined : instance.pixel;
  const spacing = reader.numbers('x00280030');
  const imagerSpacing = reader.numbers('x00181164');
  const usedSpacing = spacing.length === 2 ? spacing : imagerSpacing.length === 2 ? imagerSpacing : undefined;
  const position = reader.numbers('x00200032');
  const studyDate = reader.ascii('x00080020');
  const birthDate = reader.ascii('x00100030');
  const fields: Omit<InstanceMetadata, 'tags'> = {
    studyId,
    sopInstanceUid,
    numberOfFrames: pixel?.numberOfFrames ?? Math.max(1, Math.floor(firstNumber('x00280008') ?? 1)),
    transferSyntaxUid: instance.transferSyntaxUid,
    ...optional('sopClassUid', reader.ascii('x00080016')),
    patient: {
      ...optional('name', reader.personNameText('x00100010')),
      ...optional('id', reader.text('x00100020')),
      ...optional(
        'birthDate',
        birthDate === undefined ? undefined : (dicomDateToIso(birthDate) ?? undefined),
      ),
      ...optional('sex', reader.ascii('x00100040')),
    },
    study: {
      ...optional('instanceUid', reader.ascii('x0020000d')),
      ...optional('date', studyDate === undefined ? undefined : (dicomDateToIso(studyDate) ?? undefined)),
      ...optional('time', reader.ascii('x00080030')),
      ...optional('description', reader.text('x00081030')),
      ...optional('accessionNumber', reader.text('x00080050')),
      ...optional('id', reader.text('x00200010')),
    },
    series: {
      ...optional('instanceUid', reader.ascii('x0020000e')),
      ...optional('number', firstNumber('x00200011')),
      ...optional('description', reader.text('x0008103e')),
      ...optional('modality', reader.ascii('x00080060')),
      ...optional('bodyPart', reader.ascii('x00180015')),
    },
    instance: {
      ...optional('number', firstNumber('x00200013')),
      rows: reader.uint16('x00280010') ?? 0,
      columns: reader.uint16('x00280011') ?? 0,
      photometric: reader.ascii('x00280004') ?? '',
      bitsAllocated: reader.uint16('x00280100') ?? 0,
      bitsStored: reader.uint16('x00280101') ?? 0,
      ...optional(
        'imagePosition',
        position.length === 3
          ? ([position[0], position[1], position[2]] as [number, number, number])
          : undefined,
      ),
      ...optional('sliceLocation', firstNumber('x00201041')),
      ...optional('sliceThickness', firstNumber('x00180050')),
    },
    ...optional('pixelSpacing', spacingOf(usedSpacing)),
    rescale: {
      slope: pixel?.slope ?? 1,
      intercept: pixel?.intercept ?? 0,
      ...optional('type', reader.text('x00281054')),
    },
    windowPresets: pixel?.windows ?? [],
    ...optional(
      'displayError',
      instance.pixel instanceof ImagingDisplayError ? instance.pixel.code : undefined,
    ),
  };
  // The flat tag list costs milliseconds on a CT slice: made when first read (tag browser), not per image shown.
  let tags: TagEntry[] | undefined;
  return Object.defineProperty(fields, 'tags', {
    enumerable: true,
    get(): readonly TagEntry[] {
      if (!tags) {
        tags = [];
        flatTags(reader, 0, tags);
      }
      return tags;
    },
  }) as InstanceMetadata;
}
