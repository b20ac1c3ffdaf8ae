import { describe, expect, it } from 'vitest';
import type { PatientRow } from '../../../shared/src/api';
import { duplicateGroups } from './duplicates';
import { traitsKey } from './patient-index';

const row = (id: string, birthName: string, extra: Partial<PatientRow> = {}): PatientRow => ({
  id,
  birthName,
  firstNames: ['Marie'],
  birthDate: '1980-01-01',
  sex: 'F',
  identityStatus: 'PROV',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

/** The index's two lookups, built the way patient-index.ts builds them. */
function lookups(rows: readonly PatientRow[]) {
  const nirs = new Map<string, string[]>();
  const traits = new Map<string, string[]>();
  for (const r of rows) {
    if (r.nir) nirs.set(r.nir, [...(nirs.get(r.nir) ?? []), r.id]);
    const k = traitsKey(r);
    traits.set(k, [...(traits.get(k) ?? []), r.id]);
  }
  return [(r: PatientRow) => nirs.get(r.nir ?? '') ?? [], (r: PatientRow) => traits.get(traitsKey(r)) ?? []] as const;
}

describe('duplicateGroups', () => {
  it('groups the same NIR and the same traits (accents and case aside), leaves the others out', () => {
    const rows = [
      row('a', 'Durand'),
      row('b', 'DURAND'),
      row('c', 'Martin', { nir: '280017511300186' }),
      row('d', 'Martin-Dupont', { firstNames: ['Léa'], nir: '280017511300186' }),
      row('e', 'Petit'),
      row('f', 'Durand', { birthDate: '1980-01-02' }),
    ];
    const groups = duplicateGroups(rows, ...lookups(rows));
    expect(groups.map((g) => [g.match, g.patients.map((p) => p.id)])).toEqual([
      ['traits', ['a', 'b']],
      ['nir', ['c', 'd']],
    ]);
  });

  it('joins chains into one group (A~B by NIR, B~C by traits) and calls it a NIR match', () => {
    const rows = [row('a', 'Roux', { nir: '280017511300186', firstNames: ['Anne'] }), row('b', 'Roux', { nir: '280017511300186' }), row('c', 'Roux')];
    const groups = duplicateGroups(rows, ...lookups(rows));
    expect(groups).toHaveLength(1);
    expect(groups[0]?.match).toBe('nir');
    expect(groups[0]?.patients.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('has no group when every identity is distinct', () => {
    const rows = [row('a', 'Durand'), row('b', 'Dupont')];
    expect(duplicateGroups(rows, ...lookups(rows))).toEqual([]);
  });
});
