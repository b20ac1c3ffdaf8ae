import dicomParser from 'dicom-parser';
import type { Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import type { DataSet } from './dataset';
import type { DicomErrorCode } from './errors';
import { TRANSFER_SYNTAX } from './tags';

export type ParseDicomOptions = {
  /**
   * Raw inflate (zlib without header) for the deflated transfer syntax. The host passes
   * Node's zlib, a browser its own; without it a deflated file is DICOM_DEFLATE_FAILED.
   */
  readonly inflateRaw?: (deflated: Uint8Array) => Uint8Array;
  /** Stop before this tag (e.g. 'x7fe00010' to skip reading pixel data). */
  readonly untilTag?: string;
  /**
   * Read bytes without a Part 10 header as a bare data set of this transfer syntax (see
   * rawDataSetTransferSyntax); without it such bytes are DICOM_NOT_DICOM.
   */
  readonly rawTransferSyntax?: string;
};

function messageOf(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null) {
    const { exception, message } = thrown as { exception?: unknown; message?: unknown };
    if (typeof exception === 'string') return exception;
    if (typeof message === 'string') return message;
  }
  return '';
}

const PREAMBLE_LENGTH = 128;

/** True when the bytes start like a DICOM Part 10 file: 128-byte preamble then "DICM". */
export function hasPart10Prefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE_LENGTH + 4 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

/**
 * Parses a DICOM Part 10 file (untrusted bytes) with dicom-parser. Typed errors: not a
 * Part 10 file (no DICM prefix), truncated (an element runs past the end), malformed
 * (anything else dicom-parser refuses), deflate failure. Never throws.
 */
export function parseDicomPart10(
  bytes: Uint8Array,
  options: ParseDicomOptions = {},
): Result<DataSet, DicomErrorCode> {
  if (!hasPart10Prefix(bytes) && options.rawTransferSyntax === undefined) return err('DICOM_NOT_DICOM');
  const { inflateRaw } = options;
  let inflateFailed = false;
  try {
    const dataSet = dicomParser.parseDicom(bytes, {
      ...(options.untilTag === undefined ? {} : { untilTag: options.untilTag }),
      ...(options.rawTransferSyntax === undefined || hasPart10Prefix(bytes) ? {} : { TransferSyntaxUID: options.rawTransferSyntax }),
      inflater: (array: Uint8Array, position: number) => {
        if (!inflateRaw) {
          inflateFailed = true;
          throw new Error('no inflater');
        }
        let inflated: Uint8Array;
        try {
          inflated = inflateRaw(array.subarray(position));
        } catch (cause) {
          inflateFailed = true;
          throw cause;
        }
        const full = new Uint8Array(position + inflated.length);
        full.set(array.subarray(0, position), 0);
        full.set(inflated, position);
        return full;
      },
    } as dicomParser.ParseDicomOptions);
    return ok(dataSet);
  } catch (thrown) {
    if (inflateFailed) return err('DICOM_DEFLATE_FAILED');
    const message = messageOf(thrown);
    if (/DICM prefix not found/i.test(message)) return err('DICOM_NOT_DICOM');
    // dicom-parser's words for "an element or item runs past the end of the bytes".
    if (/buffer over(?:run|read)|maxP ?osition|past end|greater than or equal to 'byteArray' length/i.test(message)) {
      return err('DICOM_TRUNCATED');
    }
    return err('DICOM_MALFORMED');
  }
}

export { TRANSFER_SYNTAX };
