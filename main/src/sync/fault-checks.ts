import type { SyncConflict } from '../../../shared/src/sync/conflicts';
import type { Model, Who, World } from './fault-model';
import { WHO_NAMES } from './fault-model';

/**
 * The fault model's end-of-run checks: heal, drain (bounded), then compare every
 * workstation with what the server gives its user, look for every write, and count the
 * audit events in the central log.
 */

type Doc = Record<string, unknown>;
const COLLECTIONS = ['patient', 'allergy'] as const;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Strips what only one side has (RxDB's metadata). */
function comparable(doc: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

const sortedJson = (v: unknown): string =>
  JSON.stringify(v, (_k, val: unknown) =>
    val !== null && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Doc).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );

async function pullAll(world: World, token: string, collection: string): Promise<Map<string, Doc>> {
  const out = new Map<string, Doc>();
  let checkpoint: { sequence: number } | null = null;
  for (;;) {
    const page = (await world.server.api.call(token, 'POST', `/v1/replication/${collection}/pull`, { checkpoint, batchSize: 1000 })) as {
      documents: Doc[];
      checkpoint: { sequence: number };
    };
    for (const d of page.documents) out.set(d['id'] as string, d);
    if (page.documents.length === 0) return out;
    checkpoint = page.checkpoint;
  }
}

function runIds(m: Model, collection: (typeof COLLECTIONS)[number]): string[] {
  return collection === 'patient' ? [...m.patients] : [...m.allergies.keys()];
}

/** Differences between a workstation and the server (as its user sees it), for the run's documents. */
async function differences(world: World, m: Model, who: Who): Promise<string[]> {
  const s = world.stations[who];
  if (!s) throw new Error('no station');
  const diffs: string[] = [];
  for (const collection of COLLECTIONS) {
    const server = await pullAll(world, s.user.token, collection);
    for (const id of runIds(m, collection)) {
      const remote = server.get(id);
      const expected = remote === undefined || remote['_deleted'] === true ? null : sortedJson(comparable(remote));
      const local = await s.ws.get<Doc>(collection, id);
      const actual = local === null ? null : sortedJson(comparable(local));
      if (expected !== actual) diffs.push(`${WHO_NAMES[who]} ${collection}/${id.slice(0, 8)}: local ${actual ?? 'absent'} ≠ server ${expected ?? 'absent'}`);
    }
  }
  return diffs;
}

export async function heal(world: World, m: Model, timeoutMs: number): Promise<void> {
  const applied = world.stations.flatMap((s, i) => s.proxy.applied.map((f) => `${WHO_NAMES[i as Who]}:${f}`));
  if (applied.length > 0) m.log.push(`(push faults that met a push: ${applied.join(', ')})`);
  for (const s of world.stations) s.proxy.heal();
  const deadline = Date.now() + timeoutMs;
  let last: string[];
  for (;;) {
    const statuses = await Promise.all(world.stations.map((s) => s.ws.status()));
    const ready = statuses.every((st) => st.connection === 'online' && st.pendingChanges === 0);
    if (ready) {
      await Promise.race([Promise.all(world.stations.map((s) => s.ws.awaitInSync())), delay(Math.max(0, deadline - Date.now()))]);
      last = (await Promise.all(([0, 1, 2] as const).map((w) => differences(world, m, w)))).flat();
      if (last.length === 0) return;
    } else {
      last = statuses.map((st, i) => `${WHO_NAMES[i as Who]}: ${st.connection}, ${st.pendingChanges} pending, error ${JSON.stringify(st.error ?? null)}`);
    }
    if (Date.now() > deadline) throw new Error(`not in sync after ${timeoutMs} ms:\n${last.join('\n')}`);
    await delay(100);
  }
}

/** Everything the brief asks to hold once the queues are drained; returns the failures. */
export async function violations(world: World, m: Model): Promise<string[]> {
  const out: string[] = [];
  const [a, , sec] = world.stations;
  if (!a || !sec) throw new Error('no station');

  // The secretary never receives a clinical document, from the server or on her workstation.
  const secretaryAllergies = await pullAll(world, sec.user.token, 'allergy');
  for (const id of m.allergies.keys()) if (secretaryAllergies.has(id)) out.push(`secretary's pull returned allergy ${id}`);
  const local = new Set(await sec.ws.ids('allergy'));
  for (const id of m.allergies.keys()) if (local.has(id)) out.push(`secretary's workstation holds allergy ${id}`);

  // B sees only the first patients of the pool.
  const bServer = await pullAll(world, world.stations[1]?.user.token as string, 'patient');
  for (const [i, id] of m.patients.entries()) if (i >= 2 && bServer.has(id)) out.push(`practitioner B received ungranted patient p${i}`);

  // Every write is on the server, or recorded as a conflict, or overwritten later by another workstation.
  const truth = new Map<string, Doc>();
  for (const c of ['patient', 'allergy'] as const) for (const [id, d] of await pullAll(world, a.user.token, c)) truth.set(`${c}/${id}`, d);
  const conflicts: SyncConflict[] = (await Promise.all(world.stations.map((s) => s.ws.conflicts()))).flat();
  const runDocs = new Set([...m.patients, ...m.allergies.keys()]);
  const runConflicts = conflicts.filter((c) => runDocs.has(c.documentId));
  if (runConflicts.length > 0) m.log.push(`(conflicts recorded: ${runConflicts.map((c) => `${c.collectionName}.${c.path}`).join(', ')})`);
  const conflictOn = (collection: string, id: string, p: string, value?: string): boolean =>
    conflicts.some(
      (c) =>
        c.collectionName === collection &&
        c.documentId === id &&
        c.path === p &&
        (value === undefined || c.localValue === JSON.stringify(value) || c.serverValue === JSON.stringify(value)),
    );
  for (const [id, created] of m.created) {
    if (!truth.has(`patient/${id}`)) out.push(`created patient ${id} (seq ${created.seq}) missing on the server`);
  }
  for (const id of m.allergies.keys()) if (!truth.has(`allergy/${id}`)) out.push(`created allergy ${id} missing on the server`);
  for (const w of m.writes) {
    const later = m.writes.some((o) => o.collection === w.collection && o.id === w.id && o.field === w.field && o.seq > w.seq);
    if (later) continue;
    const doc = truth.get(`${w.collection}/${w.id}`);
    const value = w.field.split('.').reduce<unknown>((v, k) => (v as Doc | undefined)?.[k], doc);
    if (value === w.value) continue;
    if (conflictOn(w.collection, w.id, w.field, w.value)) continue;
    if (doc?.['_deleted'] === true && m.deletes.some((d) => d.id === w.id)) continue;
    out.push(`write ${w.value} of ${WHO_NAMES[w.who]} to ${w.collection}/${w.id.slice(0, 8)}.${w.field} lost: server has ${JSON.stringify(value)}`);
  }
  for (const d of m.deletes) {
    const doc = truth.get(`${d.collection}/${d.id}`);
    if (doc?.['_deleted'] !== true && !conflictOn(d.collection, d.id, '_deleted')) out.push(`deletion of ${d.collection}/${d.id.slice(0, 8)} neither applied nor recorded as a conflict`);
  }

  // Each workstation audit event once in the central log, and the chain valid.
  const seen = new Map<string, number>();
  for (const patientId of m.patients) {
    let before: number | null = null;
    do {
      const q: string = `/v1/audit/entries?patientId=${patientId}&limit=500${before ? `&before=${before}` : ''}`;
      const page = (await world.server.api.call(world.dpoToken, 'GET', q)) as { entries: { id: string; source: string }[]; nextCursor: number | null };
      for (const e of page.entries) if (e.source === 'workstation') seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
      before = page.nextCursor;
    } while (before !== null);
  }
  for (const id of m.audit) if (seen.get(id) !== 1) out.push(`audit event ${id} found ${seen.get(id) ?? 0} times`);
  const extra = [...seen.keys()].filter((id) => !m.audit.includes(id));
  if (extra.length > 0) out.push(`unexpected workstation audit events: ${extra.join(', ')}`);
  const verify = (await world.server.api.call(world.dpoToken, 'GET', '/v1/audit/verify')) as { valid: boolean; firstBadSequence?: number; kind?: string };
  if (!verify.valid) out.push(`audit chain invalid at ${verify.firstBadSequence ?? '?'} (${verify.kind ?? '?'})`);
  return out;
}
