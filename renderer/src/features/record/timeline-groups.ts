import type { TimelineItem } from '../../../../shared/src/api/contract';

type Item<K extends TimelineItem['kind']> = Extract<TimelineItem, { kind: K }>;
export type Observation = Item<'observation'>['observation'];
export type Prescription = Item<'prescription'>['prescription'];

export type TimelineEntry =
  | {
      readonly kind: 'encounter';
      readonly at: string;
      readonly item: Item<'encounter'>;
      readonly observations: readonly Observation[];
      readonly prescriptions: readonly Prescription[];
    }
  | { readonly kind: 'single'; readonly at: string; readonly item: Exclude<TimelineItem, Item<'encounter'>> };

/**
 * The host's timeline with what a consultation recorded (its vitals, its prescription)
 * shown inside that consultation rather than as separate entries; results and
 * prescriptions of no consultation on the list stay entries of their own. Order kept.
 */
export function groupTimeline(items: readonly TimelineItem[]): TimelineEntry[] {
  const encounterIds = new Set(items.flatMap((i) => (i.kind === 'encounter' ? [i.encounter.id] : [])));
  const observations = new Map<string, Observation[]>();
  const prescriptions = new Map<string, Prescription[]>();
  for (const i of items) {
    if (
      i.kind === 'observation' &&
      i.observation.encounterId &&
      encounterIds.has(i.observation.encounterId)
    ) {
      const list = observations.get(i.observation.encounterId) ?? [];
      list.push(i.observation);
      observations.set(i.observation.encounterId, list);
    } else if (i.kind === 'prescription' && encounterIds.has(i.prescription.encounterId)) {
      const list = prescriptions.get(i.prescription.encounterId) ?? [];
      list.push(i.prescription);
      prescriptions.set(i.prescription.encounterId, list);
    }
  }
  const out: TimelineEntry[] = [];
  for (const i of items) {
    if (i.kind === 'encounter') {
      out.push({
        kind: 'encounter',
        at: i.at,
        item: i,
        observations: observations.get(i.encounter.id) ?? [],
        prescriptions: prescriptions.get(i.encounter.id) ?? [],
      });
    } else if (
      i.kind === 'observation' &&
      i.observation.encounterId &&
      encounterIds.has(i.observation.encounterId)
    ) {
      continue;
    } else if (i.kind === 'prescription' && encounterIds.has(i.prescription.encounterId)) {
      continue;
    } else {
      out.push({ kind: 'single', at: i.at, item: i });
    }
  }
  return out;
}
