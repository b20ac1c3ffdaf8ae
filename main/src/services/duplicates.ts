import type { DuplicateGroup } from '../../../shared/src/api';
import type { PatientRow } from '../../../shared/src/api';
import type { Services } from './services';

/**
 * Likely duplicates among the patients of this workstation: the same NIR, or the same
 * traits (birth name, first name, birth date, sex; the patient form's duplicate check).
 * Computed from the patient index, which follows every local write and every pulled
 * document: after a sync brings another workstation's patients, their duplicates show
 * here. Groups are connected components (A~B by NIR, B~C by traits: one group of three);
 * the group's `match` is `nir` when any pair in it shares a NIR. Reading the list reads
 * identities: audited as a search.
 */
export async function listDuplicateGroups(services: Pick<Services, 'access' | 'patients'>): Promise<DuplicateGroup[]> {
  const { access, patients } = services;
  return access.run({ action: 'search', dataClass: 'administrative', object: { collection: 'patient', id: 'duplicate_list' } }, async () => {
    const index = patients.index;
    await index.ready;
    const all = index.search({ words: [] }, 0, Number.MAX_SAFE_INTEGER).rows;
    return duplicateGroups(all, (row) => index.byNir(row.nir ?? ''), (row) => index.byTraits(row));
  });
}

/** Pure part, for tests: rows plus the index's two lookups. */
export function duplicateGroups(
  rows: readonly PatientRow[],
  byNir: (row: PatientRow) => readonly string[],
  byTraits: (row: PatientRow) => readonly string[],
): DuplicateGroup[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  const nirLinked = new Set<string>();
  const union = (a: string, b: string) => {
    if (!parent.has(b)) return;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const row of rows) parent.set(row.id, row.id);
  for (const row of rows) {
    if (row.nir !== undefined) {
      for (const other of byNir(row)) {
        if (other !== row.id && parent.has(other)) {
          union(row.id, other);
          nirLinked.add(row.id);
          nirLinked.add(other);
        }
      }
    }
    for (const other of byTraits(row)) if (other !== row.id) union(row.id, other);
  }
  const groups = new Map<string, PatientRow[]>();
  for (const row of rows) {
    const root = find(row.id);
    const list = groups.get(root);
    if (list) list.push(row);
    else groups.set(root, [row]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => ({
      match: g.some((r) => nirLinked.has(r.id)) ? ('nir' as const) : ('traits' as const),
      patients: g.slice(0, 100).sort((a, b) => a.birthName.localeCompare(b.birthName, 'fr') || a.id.localeCompare(b.id)),
    }))
    .sort((a, b) => (a.patients[0]?.birthName ?? '').localeCompare(b.patients[0]?.birthName ?? '', 'fr'));
}
