import { describe, expect, it } from 'vitest';
import type { ClinicalDocument, Encounter, EncounterEntry } from '../../../shared/src/schemas';
import { serverUnavailable } from './test-server';
import { PASSWORD, RPPS, useSyncServer } from './test-suite';
import { eventually, newPatient } from './test-workstation';

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(unavailable);
if (unavailable !== undefined) console.warn(`replication client tests skipped: ${unavailable}`);

const RPPS_B = '10000000002';

describe.skipIf(unavailable !== undefined)('replication client against the real sync server: encounters and documents', () => {
  const t = useSyncServer();
  const secretaryWorkstation = () => t.workstation();

  it('signed entries added to one encounter on two workstations are both kept, without a conflict', async () => {
    const [ua, ub] = [t.nextName('medecin'), t.nextName('medecin')];
    await t.admin.createUser({ username: ua, role: 'practitioner', rpps: RPPS, password: PASSWORD });
    const userB = await t.admin.createUser({ username: ub, role: 'practitioner', rpps: RPPS_B, password: PASSWORD });
    const [a, b] = await Promise.all([t.workstation(ua), t.workstation(ub)]);
    const p = newPatient('CONSULT');
    const at = new Date().toISOString();
    const signed = (id: string, text: string, rpps: string): EncounterEntry => ({
      id,
      kind: 'note',
      text,
      authorRpps: rpps,
      createdAt: at,
      signedAt: at,
      contentHash: 'd'.repeat(64),
    });
    const encounter: Encounter = {
      id: `enc${Date.now()}`,
      patientId: p.id,
      authorRpps: RPPS,
      start: at,
      reason: 'Suivi',
      status: 'in-progress',
      entries: [signed('n1', 'Première note.', RPPS)],
      createdAt: at,
      updatedAt: at,
    };
    await a.insert('patient', p);
    await a.insert('encounter', encounter);
    await a.awaitInSync();
    // B had already pulled past these documents: the stream's access event brings them.
    await t.admin.grant(userB, p.id);
    await eventually(() => b.get<Encounter>('encounter', encounter.id), (e) => e !== null, 15_000);

    await b.stopClient();
    await b.patch('encounter', encounter.id, { entries: [...encounter.entries, signed('n2', 'Note de B.', RPPS_B)] });
    await a.patch('encounter', encounter.id, {
      entries: [...encounter.entries, signed('n3', 'Note de A.', RPPS)],
      reason: 'Suivi diabète',
    });
    await a.awaitInSync();
    await b.startClient();
    await b.awaitInSync();
    for (const ws of [a, b]) {
      const merged = await eventually(
        () => ws.get<Encounter>('encounter', encounter.id),
        (e) => e?.entries.length === 3,
      );
      expect(merged?.entries.map((e) => e.id)).toEqual(['n1', 'n3', 'n2']);
      expect(merged?.entries.find((e) => e.id === 'n2')).toEqual(signed('n2', 'Note de B.', RPPS_B));
      expect(merged?.reason).toBe('Suivi diabète');
    }
    expect(await b.conflicts()).toEqual([]);
  }, 60_000);

  it('a document pulled back keeps its local file (the server stores no attachments)', async () => {
    const [a, b] = await Promise.all([secretaryWorkstation(), secretaryWorkstation()]);
    const p = newPatient('PIECE');
    const at = new Date().toISOString();
    const doc: ClinicalDocument = {
      id: `doc${Date.now()}`,
      patientId: p.id,
      title: "Carte d'identité",
      type: { system: 'local', code: 'ID' },
      category: 'administrative',
      mimeType: 'text/plain',
      size: 5,
      attachmentId: 'scan',
      createdAt: at,
      updatedAt: at,
    };
    await a.insert('patient', p);
    await a.insert('document', doc);
    await a.putAttachment('document', doc.id, 'scan', 'RECTO');
    await a.awaitInSync();
    await eventually(() => b.get('document', doc.id), (d) => d !== null);
    await b.patch('document', doc.id, { title: "Carte d'identité (recto)", updatedAt: new Date().toISOString() });
    await eventually(() => a.get<ClinicalDocument>('document', doc.id), (d) => d?.title === "Carte d'identité (recto)");
    expect(await a.getAttachment('document', doc.id, 'scan')).toBe('RECTO');
  }, 60_000);
});
