/**
 * The zod schemas are the source of truth; the RxDB schemas are derived from them. This
 * test shows the two agree on structure: types, required fields, enums, lengths,
 * patterns, unknown fields.
 *
 * Refinements that JSON Schema cannot express are zod-only, so RxDB's validator accepts
 * documents that break them (the host parses with zod before any write):
 * - patient: NIR and INS keys (parseNir / parseIns), INS required for RECUP/QUAL,
 *   deceasedDate ≥ birthDate, searchKey and usedSearchKey derived from the names;
 * - encounter: end ≥ start, unique entry ids, addendum targets, signedAt ⇔ contentHash;
 * - observation: LOINC check digit, reference range low ≤ high;
 * - prescription: CIP13 check digit; document: LOINC type code; imaging_study: unique
 *   UIDs; audit_event: a reason for break_glass.
 * Lengths: zod counts UTF-16 code units, ajv counts code points, so for text with
 * characters outside the BMP zod is the stricter one: whatever zod accepts, RxDB accepts.
 */
import fc from 'fast-check';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentArbitraries } from './arbitraries';
import { COLLECTIONS } from './collections';
import type { CollectionName } from './names';
import { COLLECTION_NAMES } from './names';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Node = {
  type?: string;
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  enum?: unknown[];
  additionalProperties?: boolean;
};
type Mutation = {
  kind: 'drop-required' | 'wrong-type' | 'bad-enum' | 'extra-key';
  path: (string | number)[];
};

/** Every structural mutation the schema says must be refused, for the parts present in this document. */
function mutationsOf(value: Json, node: Node, path: (string | number)[] = []): Mutation[] {
  const out: Mutation[] = [];
  if (node.enum) out.push({ kind: 'bad-enum', path });
  if (node.type && path.length > 0) out.push({ kind: 'wrong-type', path });
  if (
    node.type === 'object' &&
    node.properties &&
    value &&
    typeof value === 'object' &&
    !Array.isArray(value)
  ) {
    if (node.additionalProperties === false) out.push({ kind: 'extra-key', path });
    for (const [key, child] of Object.entries(node.properties)) {
      const v = value[key];
      if (v === undefined) continue;
      if (node.required?.includes(key)) out.push({ kind: 'drop-required', path: [...path, key] });
      out.push(...mutationsOf(v, child, [...path, key]));
    }
  }
  if (node.type === 'array' && node.items && Array.isArray(value)) {
    value.forEach((v, i) => out.push(...mutationsOf(v, node.items as Node, [...path, i])));
  }
  return out;
}

function wrongTypeValue(current: Json): Json {
  if (typeof current === 'string') return 12345;
  if (typeof current === 'number') return 'not a number';
  if (Array.isArray(current)) return { not: 'an array' };
  if (current && typeof current === 'object') return 'not an object';
  return 'wrong';
}

function applyMutation(doc: Json, m: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  if (m.path.length === 0) {
    if (m.kind === 'extra-key' && copy && typeof copy === 'object' && !Array.isArray(copy))
      copy.unexpectedField = 1;
    return copy;
  }
  let parent = copy as Record<string | number, Json>;
  for (const key of m.path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = m.path[m.path.length - 1] as string | number;
  switch (m.kind) {
    case 'drop-required':
      Reflect.deleteProperty(parent, last);
      break;
    case 'wrong-type':
      parent[last] = wrongTypeValue(parent[last] as Json);
      break;
    case 'bad-enum':
      parent[last] = 'NOT_IN_ENUM';
      break;
    case 'extra-key':
      (parent[last] as Record<string, Json>).unexpectedField = 1;
      break;
  }
  return copy;
}

// 150 runs keep the file near one second; it was also run with 3000 runs per property.
const RUNS = 150;

function acceptProperty(zodSchema: z.ZodType, rxSchema: unknown, arb: fc.Arbitrary<Json>) {
  const rxValidate = getValidator(rxSchema as never);
  return fc.property(arb, (doc) => {
    const parsed = zodSchema.safeParse(doc);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(rxValidate(doc), JSON.stringify(doc)).toEqual([]);
    // What RxDB stores and gives back is JSON: the round trip must still parse.
    expect(zodSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
  });
}

function refuseProperty(zodSchema: z.ZodType, rxSchema: unknown, arb: fc.Arbitrary<Json>, seen: Set<string>) {
  const rxValidate = getValidator(rxSchema as never);
  // Mutations come from zod's own view of the structure, not from the derived schema
  // under test, so a field the derivation lost is still mutated.
  const source = z.toJSONSchema(zodSchema, { target: 'draft-07', io: 'output' }) as Node;
  return fc.property(arb, fc.nat(), (doc, pick) => {
    const mutations = mutationsOf(doc, source);
    const m = mutations[pick % mutations.length] as Mutation;
    seen.add(m.kind);
    const broken = applyMutation(doc, m);
    expect(zodSchema.safeParse(broken).success, `zod accepted ${m.kind} at ${m.path.join('.')}`).toBe(false);
    expect(rxValidate(broken).length, `RxDB accepted ${m.kind} at ${m.path.join('.')}`).toBeGreaterThan(0);
  });
}

describe.each(COLLECTION_NAMES.map((n) => [n]))('%s: zod and RxDB agree', (name: CollectionName) => {
  const entry = COLLECTIONS[name];
  const arb = documentArbitraries[name] as fc.Arbitrary<Json>;

  it('both accept generated documents', () => {
    fc.assert(acceptProperty(entry.zodSchema, entry.rxSchema, arb), { numRuns: RUNS });
  });

  it('both refuse structurally broken documents', () => {
    const seen = new Set<string>();
    fc.assert(refuseProperty(entry.zodSchema, entry.rxSchema, arb, seen), { numRuns: RUNS * 2 });
    const hasEnum = JSON.stringify(entry.rxSchema).includes('"enum"');
    expect([...seen].sort()).toEqual([
      ...(hasEnum ? ['bad-enum'] : []),
      'drop-required',
      'extra-key',
      'wrong-type',
    ]);
  });
});

describe('the agreement harness', () => {
  const patientArb = documentArbitraries.patient as fc.Arbitrary<Json>;
  const derived = () =>
    JSON.parse(JSON.stringify(COLLECTIONS.patient.rxSchema)) as Node & { required: string[] };

  it('notices an RxDB schema that forgot a required field', () => {
    const lax = derived();
    lax.required = lax.required.filter((f) => f !== 'birthDate' && f !== 'sex' && f !== 'contact');
    const out = fc.check(refuseProperty(COLLECTIONS.patient.zodSchema, lax, patientArb, new Set()), {
      numRuns: 500,
    });
    expect(out.failed).toBe(true);
  });

  it('notices an RxDB schema stricter than zod', () => {
    const strict = derived();
    const birthName = strict.properties?.birthName as Node & { maxLength: number };
    birthName.maxLength = 3;
    const out = fc.check(acceptProperty(COLLECTIONS.patient.zodSchema, strict, patientArb), { numRuns: 200 });
    expect(out.failed).toBe(true);
  });
});
