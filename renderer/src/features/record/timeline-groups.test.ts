import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../../../shared/src/api/contract';
import { groupTimeline } from './timeline-groups';

const AT = '2026-01-01T10:00:00.000Z';
const encounter = (id: string): TimelineItem => ({
  kind: 'encounter',
  at: AT,
  encounter: {
    id,
    patientId: 'p',
    authorRpps: '10003456789',
    start: AT,
    reason: 'r',
    status: 'finished',
    entries: [],
    createdAt: AT,
    updatedAt: AT,
  },
});
const observation = (id: string, encounterId?: string): TimelineItem => ({
  kind: 'observation',
  at: AT,
  observation: {
    id,
    patientId: 'p',
    ...(encounterId ? { encounterId } : {}),
    loincCode: '29463-7',
    display: 'Body weight',
    value: { type: 'quantity', value: 70 },
    unit: 'kg',
    effectiveAt: AT,
    status: 'final',
    createdAt: AT,
    updatedAt: AT,
  },
});

describe('timeline grouping', () => {
  it('puts a consultation’s results inside it and keeps the others as entries, in order', () => {
    const grouped = groupTimeline([
      observation('o1', 'e1'),
      encounter('e1'),
      observation('o2'),
      observation('o3', 'gone'),
    ]);
    expect(
      grouped.map((g) =>
        g.kind === 'encounter' ? `e:${g.observations.map((o) => o.id).join(',')}` : g.item.kind,
      ),
    ).toEqual(['e:o1', 'observation', 'observation']);
  });
});
