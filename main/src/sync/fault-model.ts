import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { Allergy, Patient } from '../../../shared/src/schemas';
import type { FaultProxy, PushFault } from './fault-proxy';
import { startFaultProxy } from './fault-proxy';
import type { FaultServer, FaultServerEngine } from './fault-server';
import { startFaultServer } from './fault-server';
import type { TestWorkstation } from './test-workstation';
import { newPatient, openTestWorkstation } from './test-workstation';

/**
 * The fault model of issue 3 §5: three workstations (two practitioners, one secretary),
 * one server, random writes interleaved with network cuts, lost and duplicated pushes,
 * cut live streams and restarts. The world (server, proxies, workstation processes) lives
 * across runs; each run works on fresh patients, and the checks look at those only.
 */

export const PASSWORD = 'mot-de-passe-modele-2026';
const PATIENTS_PER_RUN = 4;
/** Practitioner B is granted these patients of the pool only: visibility differs from A's. */
const B_PATIENTS = 2;

export type Who = 0 | 1 | 2;
export const WHO_NAMES = ['A(praticien,coffre)', 'B(praticien)', 'S(secretaire)'] as const;

type User = { username: string; id: string; role: 'practitioner' | 'secretary'; token: string };
type Station = { user: User; proxy: FaultProxy; ws: TestWorkstation };

export type World = {
  readonly server: FaultServer;
  readonly stations: readonly Station[];
  readonly dpoToken: string;
  readonly engine: FaultServerEngine['kind'];
  close(): Promise<void>;
};

export type FieldWrite = { who: Who; collection: 'patient' | 'allergy'; id: string; field: string; value: string; seq: number };

export type Model = {
  readonly patients: readonly string[];
  readonly created: Map<string, { who: Who; seq: number }>;
  readonly allergies: Map<string, { patient: number; who: Who; seq: number }>;
  readonly writes: FieldWrite[];
  readonly deletes: { who: Who; collection: 'patient' | 'allergy'; id: string; seq: number }[];
  readonly audit: string[];
  seq: number;
  /** What the commands actually did, printed with a failure. */
  readonly log: string[];
};

export async function openWorld(engine: FaultServerEngine): Promise<World> {
  const server = await startFaultServer(engine);
  const stations: Station[] = [];
  const vaultParent = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-model-vault-'));
  try {
    const users: User[] = [];
    for (const [username, role, rpps] of [
      ['praticien-a', 'practitioner', '10000000001'],
      ['praticien-b', 'practitioner', '10000000002'],
      ['secretaire', 'secretary', undefined],
    ] as const) {
      const id = await server.api.createUser(username, role, PASSWORD, rpps);
      users.push({ username, id, role, token: await server.api.login(username, PASSWORD) });
    }
    await server.api.createUser('dpo', 'dpo', PASSWORD);
    const dpoToken = await server.api.login('dpo', PASSWORD);
    await Promise.all(
      users.map(async (user, i) => {
        const proxy = await startFaultProxy(server.url);
        const workstationId = await server.api.registerWorkstation(`poste-${i}`);
        const ws = await openTestWorkstation({
          serverUrl: proxy.url,
          workstationId,
          username: user.username,
          password: PASSWORD,
          ...(i === 0 ? { vault: { dir: path.join(vaultParent, 'vault'), passphrase: 'cheval agrafe pile correcte' } } : {}),
        });
        stations[i] = { user, proxy, ws };
      }),
    );
    return {
      server,
      stations,
      dpoToken,
      engine: engine.kind,
      async close() {
        await Promise.all(stations.map((s) => s.ws.close()));
        await Promise.all(stations.map((s) => s.proxy.close()));
        await server.stop();
        fs.rmSync(vaultParent, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(stations.filter(Boolean).map((s) => s.ws.close().then(() => s.proxy.close())));
    await server.stop();
    fs.rmSync(vaultParent, { recursive: true, force: true });
    throw error;
  }
}

/** Fresh patients for a run, granted to A (all) and B (the first two). */
export async function newRun(world: World): Promise<Model> {
  const patients = Array.from({ length: PATIENTS_PER_RUN }, () => randomUUID());
  const [a, b] = world.stations;
  for (const [i, p] of patients.entries()) {
    await world.server.api.grant((a as Station).user.id, p);
    if (i < B_PATIENTS) await world.server.api.grant((b as Station).user.id, p);
  }
  const m: Model = { patients, created: new Map(), allergies: new Map(), writes: [], deletes: [], audit: [], seq: 0, log: [] };
  // Two patients exist everywhere from the start, so edits meet edits instead of being skipped.
  for (const p of [0, 1]) await new CreatePatient(0, p).run(m, world);
  const deadline = Date.now() + 10_000;
  for (const s of world.stations) {
    while ((await s.ws.get('patient', patients[1] as string)) === null || (await s.ws.get('patient', patients[0] as string)) === null) {
      if (Date.now() > deadline) throw new Error(`run setup: ${s.user.username} did not receive the first patients`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }
  return m;
}

const mayTouch = (who: Who, patient: number): boolean => who !== 1 || patient < B_PATIENTS;

async function audit(world: World, m: Model, who: Who, action: 'create' | 'update' | 'delete', patientId: string, object: { collection: string; id: string }): Promise<void> {
  const s = world.stations[who] as Station;
  const id = randomUUID();
  const now = new Date().toISOString();
  await s.ws.insert('audit_event', {
    id,
    userId: s.user.id,
    role: s.user.role,
    workstation: s.ws.workstationId,
    action,
    patientId,
    object,
    instant: now,
    outcome: 'success',
    updatedAt: now,
  });
  m.audit.push(id);
}

type Cmd = fc.AsyncCommand<Model, World>;

/**
 * A pause between a command's presence check and its write (FAULT_MODEL_WRITE_GAP_MS, 0 by
 * default): widens the window in which replication changes the document meanwhile, to
 * replay such a race on purpose.
 */
const WRITE_GAP_MS = Number(process.env['FAULT_MODEL_WRITE_GAP_MS'] ?? 0);
const writeGap = (): Promise<void> => (WRITE_GAP_MS > 0 ? new Promise((r) => setTimeout(r, WRITE_GAP_MS)) : Promise.resolve());

/**
 * A document the model looked for is not on the workstation. `removedBy` is the context of
 * the storage write that deleted it there (null: no write did, it never arrived). Never
 * arrived is legitimate (not pulled yet; the final checks catch one that never comes). A
 * removal is legitimate only when a command of the run deleted that document: its own
 * remove, or another workstation's deletion pulled (RxDB's `replication-downstream-…`
 * write). Anything else (a revocation purge, the model never revokes; a deletion nobody
 * made) is a product fault and fails the run with what removed it.
 */
function explainAbsence(m: Model, cmd: Cmd, collection: string, id: string, removedBy: string | null, wasHere: boolean): string {
  if (removedBy === null) {
    if (wasHere) throw new Error(`${String(cmd)}: ${collection}/${id} vanished between the check and the write with no deletion written here`);
    return 'not here';
  }
  const deletion = m.deletes.find((d) => d.collection === collection && d.id === id);
  if (!deletion) throw new Error(`${String(cmd)}: ${collection}/${id} removed by "${removedBy}" though no command deleted it`);
  const how = removedBy.startsWith('replication-downstream-') ? 'deletion pulled' : `removed by ${removedBy}`;
  return `${wasHere ? 'gone' : 'not here'}: ${how} (${WHO_NAMES[deletion.who]}'s delete, seq ${deletion.seq})`;
}

/** A write may carry a fault for its own push (a free-standing fault seldom meets one). */
type WriteFault = PushFault | undefined;
const withFault = (w: World, who: Who, fault: WriteFault): void => {
  if (fault) (w.stations[who] as Station).proxy.arm(fault);
};
const faultSuffix = (fault: WriteFault): string => (fault ? ` [push: ${fault}]` : '');

class CreatePatient implements Cmd {
  constructor(readonly who: Who, readonly patient: number, readonly fault: WriteFault = undefined) {}
  check(m: Readonly<Model>): boolean {
    return mayTouch(this.who, this.patient) && !m.created.has(m.patients[this.patient] as string);
  }
  async run(m: Model, w: World): Promise<void> {
    const id = m.patients[this.patient] as string;
    withFault(w, this.who, this.fault);
    await (w.stations[this.who] as Station).ws.insert('patient', newPatient(`R${this.patient}`, { id }));
    m.created.set(id, { who: this.who, seq: ++m.seq });
    await audit(w, m, this.who, 'create', id, { collection: 'patient', id });
    m.log.push(this.toString());
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.createPatient(p${this.patient})${faultSuffix(this.fault)}`;
  }
}

class AddAllergy implements Cmd {
  constructor(readonly who: 0 | 1, readonly patient: number, readonly fault: WriteFault = undefined) {}
  check(m: Readonly<Model>): boolean {
    return mayTouch(this.who, this.patient) && m.created.has(m.patients[this.patient] as string);
  }
  async run(m: Model, w: World): Promise<void> {
    const patientId = m.patients[this.patient] as string;
    const s = w.stations[this.who] as Station;
    if ((await s.ws.get('patient', patientId)) === null) {
      return void m.log.push(`${this.toString()} skipped: patient ${explainAbsence(m, this, 'patient', patientId, await s.ws.removedBy('patient', patientId), false)}`);
    }
    const now = new Date().toISOString();
    const allergy: Allergy = {
      id: randomUUID(),
      patientId,
      substance: { system: 'text', display: 'Pénicilline' },
      criticality: 'high',
      status: 'active',
      reaction: 'urticaire',
      recordedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    withFault(w, this.who, this.fault);
    await s.ws.insert('allergy', allergy);
    m.allergies.set(allergy.id, { patient: this.patient, who: this.who, seq: ++m.seq });
    await audit(w, m, this.who, 'create', patientId, { collection: 'allergy', id: allergy.id });
    m.log.push(this.toString());
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.addAllergy(p${this.patient})${faultSuffix(this.fault)}`;
  }
}

const PATIENT_FIELDS = ['contact.city', 'usedFirstName'] as const;

class EditPatient implements Cmd {
  constructor(readonly who: Who, readonly patient: number, readonly field: (typeof PATIENT_FIELDS)[number], readonly fault: WriteFault = undefined) {}
  check(m: Readonly<Model>): boolean {
    return mayTouch(this.who, this.patient) && m.created.has(m.patients[this.patient] as string);
  }
  async run(m: Model, w: World): Promise<void> {
    const id = m.patients[this.patient] as string;
    const s = w.stations[this.who] as Station;
    const doc = await s.ws.get<Patient>('patient', id);
    if (doc === null) return void m.log.push(`${this.toString()} skipped: ${explainAbsence(m, this, 'patient', id, await s.ws.removedBy('patient', id), false)}`);
    const seq = ++m.seq;
    const value = `V${seq}`;
    const patch: Record<string, unknown> =
      this.field === 'contact.city' ? { contact: { ...doc.contact, city: value } } : { usedFirstName: value };
    await writeGap();
    withFault(w, this.who, this.fault);
    // Replication may remove the document between the check above and this write (another
    // workstation's deletion pulled): the write does not happen, as for a user. What removed
    // it must be such a deletion (explainAbsence).
    const patched = await s.ws.patchIfPresent('patient', id, { ...patch, updatedAt: new Date().toISOString() });
    if (!patched.patched) return void m.log.push(`${this.toString()} skipped: ${explainAbsence(m, this, 'patient', id, patched.removedBy, true)}`);
    m.writes.push({ who: this.who, collection: 'patient', id, field: this.field, value, seq });
    await audit(w, m, this.who, 'update', id, { collection: 'patient', id });
    m.log.push(`${this.toString()} = ${value}`);
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.edit(p${this.patient}.${this.field})${faultSuffix(this.fault)}`;
  }
}

class EditAllergy implements Cmd {
  constructor(readonly who: 0 | 1, readonly nth: number, readonly fault: WriteFault = undefined) {}
  check(m: Readonly<Model>): boolean {
    return m.allergies.size > 0;
  }
  async run(m: Model, w: World): Promise<void> {
    const ids = [...m.allergies.keys()];
    const id = ids[this.nth % ids.length] as string;
    const patient = m.allergies.get(id)?.patient ?? 0;
    const s = w.stations[this.who] as Station;
    if (!mayTouch(this.who, patient)) return void m.log.push(`${this.toString()} skipped: not granted`);
    if ((await s.ws.get('allergy', id)) === null) return void m.log.push(`${this.toString()} skipped: ${explainAbsence(m, this, 'allergy', id, await s.ws.removedBy('allergy', id), false)}`);
    const seq = ++m.seq;
    const value = `V${seq}`;
    await writeGap();
    withFault(w, this.who, this.fault);
    const patched = await s.ws.patchIfPresent('allergy', id, { reaction: value, updatedAt: new Date().toISOString() });
    if (!patched.patched) return void m.log.push(`${this.toString()} skipped: ${explainAbsence(m, this, 'allergy', id, patched.removedBy, true)}`);
    m.writes.push({ who: this.who, collection: 'allergy', id, field: 'reaction', value, seq });
    await audit(w, m, this.who, 'update', m.patients[patient] as string, { collection: 'allergy', id });
    m.log.push(`${this.toString()} = ${value} (allergy of p${patient})`);
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.editAllergy(#${this.nth})${faultSuffix(this.fault)}`;
  }
}

class DeletePatient implements Cmd {
  constructor(readonly who: Who, readonly patient: number, readonly fault: WriteFault = undefined) {}
  check(m: Readonly<Model>): boolean {
    return mayTouch(this.who, this.patient) && m.created.has(m.patients[this.patient] as string);
  }
  async run(m: Model, w: World): Promise<void> {
    const id = m.patients[this.patient] as string;
    const s = w.stations[this.who] as Station;
    if ((await s.ws.get('patient', id)) === null) return void m.log.push(`${this.toString()} skipped: ${explainAbsence(m, this, 'patient', id, await s.ws.removedBy('patient', id), false)}`);
    withFault(w, this.who, this.fault);
    await s.ws.remove('patient', id);
    m.deletes.push({ who: this.who, collection: 'patient', id, seq: ++m.seq });
    await audit(w, m, this.who, 'delete', id, { collection: 'patient', id });
    m.log.push(this.toString());
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.delete(p${this.patient})${faultSuffix(this.fault)}`;
  }
}

class Network implements Cmd {
  constructor(readonly who: Who, readonly online: boolean) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    (w.stations[this.who] as Station).proxy.setOnline(this.online);
    m.log.push(this.toString());
    return Promise.resolve();
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.${this.online ? 'online' : 'offline'}()`;
  }
}

class Fault implements Cmd {
  constructor(readonly who: Who, readonly fault: PushFault | 'cut-stream') {}
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    const proxy = (w.stations[this.who] as Station).proxy;
    if (this.fault === 'cut-stream') proxy.cutStreams();
    else proxy.arm(this.fault);
    m.log.push(this.toString());
    return Promise.resolve();
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.fault(${this.fault})`;
  }
}

class RestartWorkstation implements Cmd {
  constructor(readonly who: Who) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    await (w.stations[this.who] as Station).ws.reopen();
    m.log.push(this.toString());
  }
  toString(): string {
    return `${WHO_NAMES[this.who]}.restart()`;
  }
}

class RestartServer implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    await w.server.restart();
    m.log.push(this.toString());
  }
  toString(): string {
    return 'server.restart()';
  }
}

const who = fc.constantFrom<Who>(0, 1, 2);
const practitioner = fc.constantFrom<0 | 1>(0, 1);
const patient = fc.integer({ min: 0, max: PATIENTS_PER_RUN - 1 });
const fault: fc.Arbitrary<WriteFault> = fc.option(fc.constantFrom<PushFault>('drop-request', 'drop-response', 'duplicate'), { nil: undefined, freq: 2 });

export function commandArbitrary(options: { restartServerWeight: number; restartWorkstationWeight: number }): fc.Arbitrary<Cmd> {
  return fc.oneof(
    { arbitrary: fc.tuple(who, patient, fault).map(([w, p, f]) => new CreatePatient(w, p, f)), weight: 3 },
    { arbitrary: fc.tuple(who, patient, fc.constantFrom(...PATIENT_FIELDS), fault).map(([w, p, fi, f]) => new EditPatient(w, p, fi, f)), weight: 8 },
    { arbitrary: fc.tuple(practitioner, patient, fault).map(([w, p, f]) => new AddAllergy(w, p, f)), weight: 2 },
    { arbitrary: fc.tuple(practitioner, fc.nat(7), fault).map(([w, n, f]) => new EditAllergy(w, n, f)), weight: 2 },
    { arbitrary: fc.tuple(who, patient, fault).map(([w, p, f]) => new DeletePatient(w, p, f)), weight: 1 },
    { arbitrary: fc.tuple(who, fc.boolean()).map(([w, on]) => new Network(w, on)), weight: 4 },
    {
      arbitrary: fc.tuple(who, fc.constantFrom<PushFault | 'cut-stream'>('drop-request', 'drop-response', 'duplicate', 'cut-stream')).map(([w, f]) => new Fault(w, f)),
      weight: 2,
    },
    { arbitrary: who.map((w) => new RestartWorkstation(w)), weight: options.restartWorkstationWeight },
    { arbitrary: fc.constant(new RestartServer()), weight: options.restartServerWeight },
  );
}
