import { describe, expect, it } from 'vitest';
import { auditRecordId } from './record-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('auditRecordId', () => {
  it('is a version 7 UUID whose first 48 bits are the millisecond given', () => {
    const at = Date.UTC(2026, 10, 28, 14, 0, 0, 123);
    const id = auditRecordId(at + 10_000_000);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 10_000_000);
  });

  it('increases strictly, in string order, within one millisecond, across milliseconds and when the clock steps back', () => {
    const base = Date.UTC(2030, 0, 1);
    const ids = [
      ...Array.from({ length: 5_000 }, () => auditRecordId(base)), // more than one counter's worth
      ...Array.from({ length: 10 }, (_, i) => auditRecordId(base + 2 + i)),
      ...Array.from({ length: 10 }, () => auditRecordId(base - 60_000)), // the clock went back a minute
      auditRecordId(base + 100_000),
    ];
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('differs in its random bits between ids of the same millisecond', () => {
    const at = Date.UTC(2031, 0, 1);
    const tails = new Set(Array.from({ length: 100 }, () => auditRecordId(at).slice(19)));
    expect(tails.size).toBe(100);
  });
});
