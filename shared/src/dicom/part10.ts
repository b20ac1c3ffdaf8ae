import { TRANSFER_SYNTAX } from './tags';

/**
 * DICOM data sets written without the Part 10 header (no preamble, no "DICM", no file
 * meta group), as some old media and PACS exports have them. They are recognised by their
 * first element, and given a header on import so the vault only ever holds Part 10 files.
 */

const VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN',
  'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/**
 * The transfer syntax of a data set without a Part 10 header (implicit or explicit VR
 * little endian), or undefined when the bytes do not start like one: the first element
 * must be of group 0008 (Identifying), as every composite instance's first elements are.
 */
export function rawDataSetTransferSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 16) return undefined;
  const group = (bytes[0] as number) | ((bytes[1] as number) << 8);
  if (group !== 0x0008) return undefined;
  const vr = String.fromCharCode(bytes[4] as number, bytes[5] as number);
  if (VRS.has(vr)) return TRANSFER_SYNTAX.ExplicitVrLittleEndian;
  const length = ((bytes[4] as number) | ((bytes[5] as number) << 8) | ((bytes[6] as number) << 16) | ((bytes[7] as number) << 24)) >>> 0;
  return length <= bytes.length - 8 ? TRANSFER_SYNTAX.ImplicitVrLittleEndian : undefined;
}

function element(tag: number, vr: string, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + value.length + (vr === 'OB' ? 4 : 0));
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (vr === 'OB') {
    view.setUint32(8, value.length, true);
    out.set(value, 12);
  } else {
    view.setUint16(6, value.length, true);
    out.set(value, 8);
  }
  return out;
}

function uid(value: string): Uint8Array {
  const bytes = Uint8Array.from([...value].map((c) => c.charCodeAt(0)));
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  return padded;
}

/** This project's implementation class UID (under the UUID-derived 2.25 root). */
export const IMPLEMENTATION_CLASS_UID = '2.25.202611280001';

/** Preamble, "DICM" and a file meta group (explicit VR little endian) in front of a data set. */
export function wrapInPart10(
  dataSet: Uint8Array,
  meta: { readonly sopClassUid: string; readonly sopInstanceUid: string; readonly transferSyntaxUid: string },
): Uint8Array {
  const body = [
    element(0x00020001, 'OB', Uint8Array.from([0, 1])),
    element(0x00020002, 'UI', uid(meta.sopClassUid)),
    element(0x00020003, 'UI', uid(meta.sopInstanceUid)),
    element(0x00020010, 'UI', uid(meta.transferSyntaxUid)),
    element(0x00020012, 'UI', uid(IMPLEMENTATION_CLASS_UID)),
  ];
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, bodyLength, true);
  const parts = [new Uint8Array(128), Uint8Array.from([0x44, 0x49, 0x43, 0x4d]), element(0x00020000, 'UL', groupLength), ...body, dataSet];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
