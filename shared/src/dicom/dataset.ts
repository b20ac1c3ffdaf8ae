import type { DataSet, Element } from 'dicom-parser';
import type { SpecificCharacterSet } from './charset';
import { decodeDicomText, parseSpecificCharacterSet, splitValues } from './charset';
import type { PersonName } from './person-name';
import { parsePersonName } from './person-name';
import { TAG } from './tags';

export type { DataSet, Element };

/**
 * Reading values out of a dicom-parser data set. dicom-parser's own `string()` turns each
 * byte into one code point (Latin-1 whatever the character set); text VRs here are decoded
 * from their bytes with the data set's Specific Character Set instead.
 */
export type DicomReader = {
  readonly dataSet: DataSet;
  readonly charset: SpecificCharacterSet;
  /** Element present with a value (length > 0) that lies inside the bytes. */
  has(tag: string): boolean;
  /** ASCII VRs (UI, CS, DA, TM, IS, DS, AE): the values, trimmed. */
  asciiValues(tag: string): string[];
  ascii(tag: string): string | undefined;
  /** Text VRs (SH, LO, ST, LT, UT, UC): decoded with the character set, trimmed. */
  text(tag: string): string | undefined;
  personName(tag: string): PersonName | undefined;
  /** The raw decoded person name (`Buc^Jérôme`). */
  personNameText(tag: string): string | undefined;
  /** IS / DS values as numbers; non-numeric values are left out. */
  numbers(tag: string): number[];
  uint16(tag: string): number | undefined;
  /** Item data sets of a sequence (readers with the same character set unless the item has its own). */
  items(tag: string): DicomReader[];
};

function bytesOf(dataSet: DataSet, tag: string): Uint8Array | undefined {
   
  const el: Element | undefined = dataSet.elements[tag];
  // Elements dicom-parser made up (the transfer syntax of a data set without header) have no offset.
  if (!el || !Number.isInteger(el.dataOffset) || !(el.length > 0) || el.dataOffset + el.length > dataSet.byteArray.length) {
    return undefined;
  }
  return dataSet.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
}

const ascii = (bytes: Uint8Array): string => {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
};

export function createReader(dataSet: DataSet, inherited?: SpecificCharacterSet): DicomReader {
  const own = bytesOf(dataSet, TAG.SpecificCharacterSet);
  const charset = own ? parseSpecificCharacterSet(ascii(own)) : (inherited ?? parseSpecificCharacterSet(undefined));
  const reader: DicomReader = {
    dataSet,
    charset,
    has: (tag) => bytesOf(dataSet, tag) !== undefined,
    asciiValues(tag) {
      const bytes = bytesOf(dataSet, tag);
      return bytes ? splitValues(ascii(bytes)).filter((v) => v !== '') : [];
    },
    ascii: (tag) => reader.asciiValues(tag)[0],
    text(tag) {
      const bytes = bytesOf(dataSet, tag);
      if (!bytes) return undefined;
      const value = splitValues(decodeDicomText(bytes, charset))[0];
      return value === '' ? undefined : value;
    },
    personNameText(tag) {
      const bytes = bytesOf(dataSet, tag);
      if (!bytes) return undefined;
      const value = splitValues(decodeDicomText(bytes, charset, { personName: true }))[0];
      return value === '' || value === undefined ? undefined : value;
    },
    personName(tag) {
      const raw = reader.personNameText(tag);
      return raw === undefined ? undefined : parsePersonName(raw);
    },
    numbers(tag) {
      return reader
        .asciiValues(tag)
        .map((v) => (/^[-+.0-9eE]+$/.test(v) ? Number(v) : Number.NaN))
        .filter((n) => Number.isFinite(n));
    },
    uint16(tag) {
      const bytes = bytesOf(dataSet, tag);
      return bytes && bytes.length >= 2 ? dataSet.uint16(tag) : undefined;
    },
    items(tag) {
       
      const el = dataSet.elements[tag];
      return (el?.items ?? []).flatMap((item) => (item.dataSet ? [createReader(item.dataSet, charset)] : []));
    },
  };
  return reader;
}
