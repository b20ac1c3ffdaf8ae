import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../types';
import type { AuditEntry, ChainHead } from './chain';
import { canonicalJson, chainEntries, chainEntry, EMPTY_HEAD, entryCanonicalJson, entryHash, GENESIS_HASH, hashedContent, verifyEntries } from './chain';

function record(i: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `evt-${i}`,
    source: i % 2 === 0 ? 'server' : 'workstation',
    userId: `user-${i % 3}`,
    role: 'practitioner',
    workstation: 'ws-1',
    action: 'read',
    patientId: `patient-${i % 5}`,
    instant: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    outcome: 'success',
    ...extra,
  };
}

function buildChain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let head: ChainHead = EMPTY_HEAD;
  for (let i = 0; i < n; i++) {
    const e = chainEntry(head, record(i), '2026-01-02T00:00:00.000Z');
    out.push(e);
    head = { sequence: e.sequence, hash: e.hash };
  }
  return out;
}

describe('canonical JSON and entry hash', () => {
  it('follows RFC 8785: sorted keys, no spaces, ES number form, minimal escapes', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.1, -0], é: 'é"\n' })).toBe('{"a":[1e+21,0.1,0],"b":1,"é":"é\\"\\n"}');
  });

  it('hashes SHA-256(previous hash bytes ‖ canonical JSON), independent of key order', () => {
    const e = { ...record(1), sequence: 1, receivedAt: '2026-01-02T00:00:00.000Z' };
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as typeof e;
    expect(entryHash(GENESIS_HASH, reordered)).toBe(entryHash(GENESIS_HASH, e));
    // Known value computed independently: sha256 of 32 zero bytes followed by the canonical text.
    const text =
      '{"action":"read","id":"evt-1","instant":"2026-01-01T00:00:01.000Z","outcome":"success","patientId":"patient-1",' +
      '"receivedAt":"2026-01-02T00:00:00.000Z","role":"practitioner","sequence":1,"source":"workstation","userId":"user-1","workstation":"ws-1"}';
    const expected = createHash('sha256').update(Buffer.concat([Buffer.alloc(32), Buffer.from(text)])).digest('hex');
    expect(entryHash(GENESIS_HASH, e)).toBe(expected);
  });

  it('refuses a malformed previous hash and values without a JSON form', () => {
    const e = { ...record(1), sequence: 1, receivedAt: 'x' };
    expect(() => entryHash('abc', e)).toThrow();
    expect(() => entryHash(GENESIS_HASH, { ...e, details: { n: Number.NaN } })).toThrow();
  });
});

describe('chainEntries', () => {
  it('gives exactly the entries of chainEntry applied one by one, from any head', () => {
    const records = Array.from({ length: 30 }, (_, i) =>
      record(i, i % 4 === 0 ? { details: { count: i, ok: true }, reason: `r"${i}` } : i % 4 === 1 ? { object: { collection: 'c', id: `o${i}` } } : {}),
    );
    const fromGenesis = chainEntries(EMPTY_HEAD, records, '2026-01-02T00:00:00.000Z');
    const oneByOne: AuditEntry[] = [];
    let head: ChainHead = EMPTY_HEAD;
    for (const r of records) {
      const e = chainEntry(head, r, '2026-01-02T00:00:00.000Z');
      oneByOne.push(e);
      head = { sequence: e.sequence, hash: e.hash };
    }
    expect(fromGenesis).toEqual(oneByOne);
    expect(verifyEntries(fromGenesis)).toMatchObject({ ok: true, head: { sequence: 30 } });
    const middle: ChainHead = { sequence: 41, hash: createHash('sha256').update('x').digest('hex') };
    const [first, second] = chainEntries(middle, [record(1), record(2)], '2026-01-02T00:00:00.000Z');
    const one = chainEntry(middle, record(1), '2026-01-02T00:00:00.000Z');
    expect(first).toEqual(one);
    expect(second).toEqual(chainEntry({ sequence: one.sequence, hash: one.hash }, record(2), '2026-01-02T00:00:00.000Z'));
    expect(() => chainEntries({ sequence: 0, hash: 'zz' }, [record(1)], '2026-01-02T00:00:00.000Z')).toThrow(TypeError);
  });
});

describe('verifyEntries over in-memory chains', () => {
  it('accepts an intact chain and reports its head', () => {
    const chain = buildChain(20);
    const report = verifyEntries(chain);
    expect(report).toEqual({ ok: true, head: { sequence: 20, hash: chain[19]?.hash } });
    expect(verifyEntries([])).toEqual({ ok: true, head: EMPTY_HEAD });
  });

  it('catches any single-character edit of any field at that entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.constantFrom('userId', 'action', 'patientId', 'instant', 'receivedAt', 'role'), (index, field) => {
        const chain = buildChain(12);
        const victim = chain[index] as AuditEntry;
        const value = String(victim[field as keyof AuditEntry]);
        chain[index] = { ...victim, [field]: value.slice(0, -1) + (value.endsWith('x') ? 'y' : 'x') };
        const report = verifyEntries(chain);
        expect(report.ok).toBe(false);
        if (!report.ok) expect(report.fault).toEqual({ sequence: index + 1, kind: 'hash' });
      }),
      { numRuns: 60 },
    );
  });

  it('catches a deleted entry at its sequence, a swap at the first swapped place, an inserted entry where it breaks the link', () => {
    const chain = buildChain(10);
    const deleted = chain.filter((e) => e.sequence !== 4);
    expect(verifyEntries(deleted)).toMatchObject({ ok: false, fault: { sequence: 4, kind: 'missing' } });

    const swapped = [...chain];
    const a = chain[2] as AuditEntry;
    const b = chain[6] as AuditEntry;
    swapped[2] = { ...b, sequence: 3 };
    swapped[6] = { ...a, sequence: 7 };
    expect(verifyEntries(swapped)).toMatchObject({ ok: false, fault: { sequence: 3 } });

    // An inserted entry correctly hashed onto entry 5, the old entries renumbered after it.
    const forged = chainEntry({ sequence: 5, hash: (chain[4] as AuditEntry).hash }, record(99), 'x');
    const inserted = [...chain.slice(0, 5), forged, ...chain.slice(5).map((e) => ({ ...e, sequence: e.sequence + 1 }))];
    expect(verifyEntries(inserted)).toMatchObject({ ok: false, fault: { sequence: 7, kind: 'link' }, lastGood: { sequence: 6 } });
  });

  it('finds the first tampered place for deletions, swaps and insertions anywhere (property)', () => {
    const n = 15;
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.integer({ min: 1, max: n - 1 }) }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.integer({ min: 1, max: n - 1 }), gap: fc.integer({ min: 1, max: n - 1 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.integer({ min: 1, max: n }) }),
    );
    fc.assert(
      fc.property(tamper, (t) => {
        const chain = buildChain(n);
        let tampered: AuditEntry[];
        let expected: number;
        if (t.kind === 'delete') {
          tampered = chain.filter((e) => e.sequence !== t.at);
          expected = t.at;
        } else if (t.kind === 'swap') {
          const j = Math.min(n, t.at + t.gap);
          if (j === t.at) return;
          tampered = chain.map((e) => {
            if (e.sequence === t.at) return { ...(chain[j - 1] as AuditEntry), sequence: t.at };
            if (e.sequence === j) return { ...(chain[t.at - 1] as AuditEntry), sequence: j };
            return e;
          });
          expected = t.at;
        } else {
          // A naive insertion: a copy of the previous entry with another patient, its hash kept.
          const prev = chain[t.at - 2] ?? (chain[0] as AuditEntry);
          const inserted = { ...prev, id: 'inserted', patientId: 'victim', sequence: t.at, previousHash: t.at === 1 ? GENESIS_HASH : prev.hash };
          tampered = [...chain.slice(0, t.at - 1), inserted, ...chain.slice(t.at - 1).map((e) => ({ ...e, sequence: e.sequence + 1 }))];
          expected = t.at;
        }
        const report = verifyEntries(tampered);
        expect(report.ok).toBe(false);
        if (!report.ok) expect(report.fault.sequence).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('canonicalJson equals the canonicalize package (RFC 8785)', () => {
  it('on arbitrary JSON values, odd strings and keys included', () => {
    const text = fc.string({ unit: 'binary' });
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(tie('v'), { maxLength: 5 }),
        fc.dictionary(text, tie('v'), { maxKeys: 6 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        let expected: string | undefined;
        let expectedError = false;
        try {
          expected = canonicalize(v);
        } catch {
          expectedError = true;
        }
        if (expectedError) {
          expect(() => canonicalJson(v)).toThrow();
        } else if (expected === undefined) {
          expect(() => canonicalJson(v)).toThrow(TypeError);
        } else {
          expect(canonicalJson(v)).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('on what the general serializer handles: toJSON, boxed values, deep nesting, lone surrogates', () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 60; i++) cur = (cur['n'] = { i }) as Record<string, unknown>;
    const cases: unknown[] = [
      { at: new Date(Date.UTC(2026, 0, 1)), n: Object(1) as unknown, s: Object('x') as unknown, b: Object(true) as unknown },
      [undefined, () => 1, Symbol('s')],
      { a: undefined, b: () => 1, c: 1 },
      Object.assign(Object.create(null) as object, { z: 1, a: 2 }),
      deep,
      { e: -0, big: 1e21, small: 1e-7 },
      { 10: 'a', 9: 'b', '01': 'c', b: { 2: 1, 1: 2 } },
      JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as unknown,
    ];
    for (const v of cases) expect(canonicalJson(v)).toBe(canonicalize(v));
    expect(() => canonicalJson({ s: '\ud800' })).toThrow();
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow();
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow();
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});

describe('entryCanonicalJson', () => {
  it('is canonicalize(hashedContent(entry)) for any entry, every optional field included', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const entry = fc.record({
      sequence: fc.integer({ min: 1, max: 2 ** 40 }),
      id: text,
      source: fc.constantFrom('server', 'workstation'),
      userId: text,
      role: text,
      workstation: text,
      action: text,
      instant: text,
      receivedAt: text,
      outcome: fc.constantFrom('success', 'denied', 'failure'),
      patientId: optional(text),
      object: optional(fc.record({ collection: text, id: text })),
      reason: optional(text),
      details: optional(fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })),
      deliveredBy: optional(text),
      serverRole: optional(text),
    });
    fc.assert(
      fc.property(entry, (raw) => {
        const e = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as unknown as Parameters<typeof hashedContent>[0];
        expect(entryCanonicalJson(e)).toBe(canonicalize(hashedContent(e)));
      }),
      { numRuns: 500 },
    );
    const e = { ...record(1), sequence: 1, receivedAt: 'x' };
    expect(() => entryCanonicalJson({ ...e, reason: '\ud800' })).toThrow();
    expect(() => entryCanonicalJson({ ...e, details: { n: Number.NaN } })).toThrow();
    expect(entryCanonicalJson({ ...e, details: { 2: 'a', 10: 'b', at: new Date(0) } as never })).toBe(canonicalize(hashedContent({ ...e, details: { 2: 'a', 10: 'b', at: new Date(0) } as never })));
  });
});
