import type { TagRow } from './viewer-types';

/** Case- and accent-insensitive match on tag number, keyword, VR or value. */
export function filterTags(rows: readonly TagRow[], query: string): TagRow[] {
  const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const text = fold(`${r.tag} ${r.tag.replace(/[(),]/g, '')} ${r.name} ${r.vr} ${r.value}`);
    return words.every((w) => text.includes(w));
  });
}
