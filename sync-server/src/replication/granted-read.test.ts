import { expect, it } from 'vitest';
import { forEachEngine } from '../testing/engines';
import { signIn, startTestServer } from '../testing/server';
import type { Principal } from '../types';
import { readDocumentRows } from './repository';

/** The 'granted' read scope, with patient ids an array literal or a JSON list must carry intact. */
forEachEngine('pull of a practitioner: the patients granted, read once, filter the documents', (getEngine) => {
  const patients = ['plain', 'quote"d', 'back\\slash', 'com,ma', '{brace}', 'sp ace', 'NULL', 'ungranted'];

  it('returns the documents of granted patients only, in sequence order, whatever the ids hold', async () => {
    const engine = getEngine();
    const server = await startTestServer(engine);
    const user = await signIn(server.services, 'practitioner');
    await server.close();
    const doctor: Principal = { userId: user.userId, username: user.username, role: 'practitioner', workstationId: user.workstationId, sessionId: 's' };
    const now = '2026-03-02T08:00:00.000Z';
    for (const [i, patientId] of patients.entries()) {
      await engine.execute(
        `INSERT INTO documents (collection, id, sequence, patient_id, data_class, deleted, data, updated_at, updated_by)
         VALUES ('allergy', $1, $2, $3, 'clinical', $4, $5, $6, 'u')`,
        [`a${i}`, 100 - i, patientId, false, JSON.stringify({ id: `a${i}` }), now],
      );
      if (patientId !== 'ungranted') {
        await engine.execute('INSERT INTO patient_grants (id, user_id, patient_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)', [
          `g${i}`,
          user.userId,
          patientId,
          user.userId,
          now,
        ]);
      }
    }
    const scope = { dataClasses: ['clinical'] as const, patients: 'granted' as const };
    const read = await readDocumentRows(engine, doctor, scope, 'allergy', { after: 0, limit: 100 }, now);
    expect(read.rows.map((r) => JSON.parse(r.data).id)).toEqual(['a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0']);
    expect(new Set(read.patientIds)).toEqual(new Set(patients.filter((p) => p !== 'ungranted')));
    expect(read.checkpoint).toEqual({ sequence: 100 });
    const none = await readDocumentRows(engine, { ...doctor, userId: 'nobody' }, scope, 'allergy', { after: 0, limit: 100 }, now);
    expect(none).toEqual({ rows: [], checkpoint: { sequence: 0 }, patientIds: [] });
  });
});
