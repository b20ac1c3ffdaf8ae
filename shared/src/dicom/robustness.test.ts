import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isErrorCode } from '../errors';
import { readDicomdir } from './dicomdir';
import { extractFileIndex } from './extract';
import { parseDicomPart10 } from './parse';
import { writeDicomdir, writeImage } from './test-support/writer';

// Files from a CD are untrusted input: whatever the bytes, reading them gives a typed
// result (a catalogue code), never an exception.

const image = writeImage({ patientName: 'Buc^Jérôme', otherPatientIds: [{ id: 'X', universalEntityId: '1.2.3' }] }, { charset: 'ISO_IR 100' });
const dicomdir = writeDicomdir([
  { type: 'PATIENT', elements: [{ tag: 0x00100020, vr: 'LO', value: 'P1' }], children: [{ type: 'STUDY', elements: [], children: [{ type: 'SERIES', elements: [], children: [{ type: 'IMAGE', elements: [], fileId: ['A', 'B'] }] }] }] },
]);

const mutated = (base: Uint8Array) =>
  fc
    .record({
      cut: fc.integer({ min: 0, max: base.length }),
      flips: fc.array(fc.tuple(fc.integer({ min: 132, max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    })
    .map(({ cut, flips }) => {
      const out = Uint8Array.from(base.subarray(0, Math.max(132, cut)));
      for (const [at, value] of flips) if (at < out.length) out[at] = value;
      return out;
    });

const readAll = (bytes: Uint8Array): string[] => {
  const codes: string[] = [];
  const parsed = parseDicomPart10(bytes);
  if (!parsed.ok) return [parsed.error.code];
  const index = extractFileIndex(parsed.value);
  codes.push(index.ok ? 'ok' : index.error.code);
  if (index.ok) codes.push(...index.value.warnings.map((w) => w.code));
  const dir = readDicomdir(parsed.value);
  codes.push(dir.ok ? 'ok' : dir.error.code);
  return codes;
};

describe('reading damaged files', () => {
  it.each([
    ['an image', image],
    ['a DICOMDIR', dicomdir],
  ])('%s, cut and with bytes changed, gives catalogue codes and never throws', (_name, base) => {
    fc.assert(
      fc.property(mutated(base), (bytes) => {
        for (const code of readAll(bytes)) if (code !== 'ok') expect(isErrorCode(code), code).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
