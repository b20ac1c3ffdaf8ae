import { describe, expect, it } from 'vitest';
import { formatConflictValue, initialCombination, parseCombination, valueKind } from './conflict-values';

describe('conflict values', () => {
  it('shows text as is, phone lists readably and other structures as JSON', () => {
    expect(formatConflictValue('06 12 34 56 78')).toBe('06 12 34 56 78');
    const words = { phoneKind: (k: string) => (k === 'mobile' ? 'portable' : k), yes: 'oui', no: 'non' };
    expect(formatConflictValue([{ kind: 'mobile', number: '0612345678' }], words)).toBe(
      '0612345678 (portable)',
    );
    expect(formatConflictValue(true, words)).toBe('oui');
    expect(formatConflictValue({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatConflictValue({ id: 'e1', kind: 'note', text: 'Toux sèche.' })).toBe('Toux sèche.');
    expect(formatConflictValue(undefined)).toBe('');
    expect(valueKind(undefined)).toBe('absent');
  });

  it('starts a combination from both sides', () => {
    expect(initialCombination('Allergie A', 'Allergie B')).toBe('Allergie A\nAllergie B');
    expect(JSON.parse(initialCombination([{ n: 1 }], [{ n: 1 }, { n: 2 }]))).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('reads text combinations as text and structured ones as JSON', () => {
    expect(parseCombination('a\nb', 'a', 'b')).toEqual({ ok: true, value: 'a\nb' });
    expect(parseCombination('[1,2]', [1], [2])).toEqual({ ok: true, value: [1, 2] });
    expect(parseCombination('[1,', [1], [2])).toEqual({ ok: false });
  });
});
