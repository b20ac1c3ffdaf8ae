import { describe, expect, it } from 'vitest';
import type { Patient } from '../../../shared/src/schemas';
import { serverUnavailable } from './test-server';
import { useSyncServer } from './test-suite';
import { eventually, newPatient, statusWhere } from './test-workstation';

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(unavailable);
if (unavailable !== undefined) console.warn(`replication client tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('replication client against the real sync server: live, offline, conflicts, crashes', () => {
  const t = useSyncServer();
  const secretaryWorkstation = () => t.workstation();
  const patientOn = t.patientOn;

  it('a patient written on one workstation reaches another live, and edits made offline sync after reconnecting', async () => {
    const [a, b] = await Promise.all([secretaryWorkstation(), secretaryWorkstation()]);
    const p = newPatient('LIVE');
    await a.insert('patient', p);
    await patientOn(b, p.id, (d) => d !== null);

    await t.server.kill();
    await statusWhere(a, (s) => s.connection === 'offline');
    await a.patch('patient', p.id, { contact: { ...p.contact, city: 'Le Havre' }, updatedAt: new Date().toISOString() });
    const offline = await statusWhere(a, (s) => s.pendingChanges === 1);
    expect(offline.connection).toBe('offline');
    expect(offline.error?.code).toBe('SYNC_CLIENT_OFFLINE');

    await t.server.restart();
    await a.awaitInSync();
    const seen = await patientOn(b, p.id, (d) => d?.contact.city === 'Le Havre');
    expect(seen?.contact.city).toBe('Le Havre');
    const after = await statusWhere(a, (s) => s.pendingChanges === 0 && s.connection === 'online');
    expect(after.error).toBeUndefined();
    expect(after.lastSyncAt).toBeDefined();
  }, 60_000);

  it('the same field changed on two workstations keeps the server value and records a conflict with both values', async () => {
    const [a, b] = await Promise.all([secretaryWorkstation(), secretaryWorkstation()]);
    const p = newPatient('CONFLIT');
    await a.insert('patient', p);
    await a.awaitInSync();
    await patientOn(b, p.id, (d) => d !== null);

    // B's sync is stopped (app closed) while both edit the same field.
    await b.stopClient();
    await b.patch('patient', p.id, { contact: { ...p.contact, city: 'Caen' }, updatedAt: new Date().toISOString() });
    await a.patch('patient', p.id, { contact: { ...p.contact, city: 'Dieppe' }, updatedAt: new Date().toISOString() });
    await a.awaitInSync();

    await b.startClient();
    await b.awaitInSync();
    await statusWhere(b, (s) => s.unresolvedConflicts === 1);
    const [conflict, ...others] = await b.conflicts();
    expect(others).toEqual([]);
    expect(conflict).toMatchObject({
      collectionName: 'patient',
      documentId: p.id,
      patientId: p.id,
      path: 'contact.city',
      localValue: '"Caen"',
      serverValue: '"Dieppe"',
      baseValue: '"Rouen"',
      status: 'open',
    });
    expect((await b.get<Patient>('patient', p.id))?.contact.city).toBe('Dieppe');
    await a.awaitInSync();
    expect((await a.get<Patient>('patient', p.id))?.contact.city).toBe('Dieppe');
    expect(await a.conflicts()).toEqual([]);

    // A person chooses B's value: it becomes the document everywhere.
    await b.resolve(conflict?.id as string, 'local');
    await b.awaitInSync();
    await patientOn(a, p.id, (d) => d?.contact.city === 'Caen');
    await statusWhere(b, (s) => s.unresolvedConflicts === 0);
  }, 60_000);

  it('edits of different fields on two workstations merge without a conflict', async () => {
    const [a, b] = await Promise.all([secretaryWorkstation(), secretaryWorkstation()]);
    const p = newPatient('FUSION');
    await a.insert('patient', p);
    await a.awaitInSync();
    await patientOn(b, p.id, (d) => d !== null);

    await b.stopClient();
    await b.patch('patient', p.id, { contact: { ...p.contact, phones: [{ kind: 'mobile', number: '+33 6 12 34 56 78' }] } });
    await a.patch('patient', p.id, { usedName: 'MARTIN', usedSearchKey: 'martin helene' });
    await a.awaitInSync();

    await b.startClient();
    await b.awaitInSync();
    for (const ws of [a, b]) {
      const merged = await patientOn(ws, p.id, (d) => d?.usedName === 'MARTIN' && d.contact.phones.length === 1);
      expect(merged?.contact.phones).toEqual([{ kind: 'mobile', number: '+33 6 12 34 56 78' }]);
    }
    expect(await b.conflicts()).toEqual([]);
    expect((await b.status()).unresolvedConflicts).toBe(0);
  }, 60_000);

  it('the server killed in the middle of a push loses nothing: everything arrives after it restarts', async () => {
    // Small push batches: many round trips, so the kill lands between acknowledged and unsent ones.
    const [a, b] = await Promise.all([t.workstation('secretaire', false, 5), secretaryWorkstation()]);
    const patients = Array.from({ length: 400 }, (_, i) => newPatient(`LOT${i}`));
    await a.killAfterPushes(t.server.pid, 10);
    await a.insert('patient', ...patients);
    await t.server.exited();
    const midway = await statusWhere(a, (s) => s.connection === 'offline' && s.pendingChanges > 0);
    expect(midway.pendingChanges).toBeLessThanOrEqual(patients.length);
    await t.server.restart();
    await a.awaitInSync();
    await statusWhere(a, (s) => s.pendingChanges === 0);
    const ids = new Set(patients.map((p) => p.id));
    const onB = await eventually(
      async () => (await b.ids('patient')).filter((id) => ids.has(id)).length,
      (count) => count === ids.size,
      20_000,
    );
    expect(onB).toBe(400);
    // Rows the server committed before dying but never answered are pushed again; the
    // server already holds them and accepts the retry: nothing for a person to resolve.
    expect(await a.conflicts()).toEqual([]);
  }, 60_000);
});
