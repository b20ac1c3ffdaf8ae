import { describe, expect, it } from 'vitest';
import { alignSeries, vitalsTable } from './vitals-data';

const sys = {
  kind: 'systolic' as const,
  loincCode: '8480-6',
  unit: 'mm[Hg]',
  points: [
    { at: '2026-01-02T09:00:00.000Z', value: 130, observationId: 'a' },
    { at: '2026-01-01T09:00:00.000Z', value: 120, observationId: 'b' },
  ],
};
const dia = {
  kind: 'diastolic' as const,
  loincCode: '8462-4',
  unit: 'mm[Hg]',
  points: [{ at: '2026-01-02T09:00:00.000Z', value: 80, observationId: 'c' }],
};

describe('vitals data', () => {
  it('aligns series on the union of their instants, nulls where a series has no value', () => {
    const t1 = Date.parse('2026-01-01T09:00:00.000Z') / 1000;
    const t2 = Date.parse('2026-01-02T09:00:00.000Z') / 1000;
    expect(alignSeries([sys, dia])).toEqual([
      [t1, t2],
      [120, 130],
      [null, 80],
    ]);
    expect(alignSeries([])).toEqual([[]]);
  });

  it('gives the table newest first', () => {
    expect(vitalsTable([sys, dia])).toEqual([
      { at: '2026-01-02T09:00:00.000Z', values: [130, 80] },
      { at: '2026-01-01T09:00:00.000Z', values: [120, null] },
    ]);
  });
});
