import net from 'node:net';
import { expect, it } from 'vitest';
import { parseHl7, segment, value } from '../../../shared/src/hl7';
import { computeNirKey } from '../../../shared/src/identifiers';
import { patientSearchKeys } from '../../../shared/src/schemas';
import { readDocumentRows } from '../replication/repository';
import { forEachEngine } from '../testing/engines';
import { signIn, startTestServer } from '../testing/server';
import type { Principal } from '../types';
import { createHl7Feed, labObservationId } from './feed';
import { mllpFrame, startMllpListener } from './mllp';

const nir = (first13: string) => first13 + String(computeNirKey(first13)).padStart(2, '0');
const INS = nir('2690549588157');

const oru = (pid: string, control: string, value = '5.2') =>
  [
    `MSH|^~\\&|LABO|BIOMED|CLINIQUE|CAB|20240315083000||ORU^R01^ORU_R01|${control}|P|2.5|||||FRA|UNICODE UTF-8`,
    pid,
    'OBR|1|CMD42|LAB-42|24331-1^Bilan lipidique^LN|||20240314073000',
    `OBX|1|NM|2093-3^Cholestérol total^LN||${value}|mmol/L|3.5-6.5|N|||F`,
  ].join('\r');

/** Sends frames on one connection and collects the acknowledgements (MSA-1, MSA-2). */
async function exchange(
  port: number,
  frames: Buffer[],
): Promise<{ code: string; control: string; err: string }[]> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = Buffer.alloc(0);
  const acks: { code: string; control: string; err: string }[] = [];
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf(0x1c);
        if (end < 0) break;
        const text = buffer.subarray(1, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        const m = parseHl7(text);
        if (!m.ok) throw new Error(m.error.code);
        acks.push({
          code: value(segment(m.value, 'MSA'), 1),
          control: value(segment(m.value, 'MSA'), 2),
          err: value(segment(m.value, 'ERR'), 8),
        });
        if (acks.length === frames.length) resolve();
      }
    });
  });
  for (const f of frames) socket.write(f);
  await done;
  socket.end();
  return acks;
}

forEachEngine('HL7 lab feed over MLLP', (getEngine) => {
  it('imports a matched ORU^R01 as observations the granted practitioner pulls; keeps the others in hl7_inbox with ACK AE/AR', async () => {
    const engine = getEngine();
    const server = await startTestServer(engine);
    const doctor = await signIn(server.services, 'practitioner');
    const other = await signIn(server.services, 'practitioner');
    await server.close();
    const now = '2026-03-02T08:00:00.000Z';
    const base = {
      id: 'pat-1',
      birthName: 'MÜLLER',
      firstNames: ['Hélène'],
      birthDate: '1969-05-12',
      sex: 'F',
      nir: INS,
      ins: { matricule: INS, oid: '1.2.250.1.213.1.4.8' },
      identityStatus: 'QUAL',
      contact: { addressLines: [], phones: [] },
      createdAt: now,
      updatedAt: now,
    };
    const patient = { ...base, ...patientSearchKeys(base) };
    await engine.execute(
      `INSERT INTO documents (collection, id, sequence, patient_id, data_class, deleted, data, updated_at, updated_by) VALUES ('patient', 'pat-1', 1, 'pat-1', 'administrative', $1, $2, $3, 'u')`,
      [false, JSON.stringify(patient), now],
    );
    await engine.execute(
      'INSERT INTO patient_grants (id, user_id, patient_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)',
      ['g1', doctor.userId, 'pat-1', doctor.userId, now],
    );

    const feed = createHl7Feed({ engine, audit: server.services.audit, clock: () => Date.parse(now) });
    const mllp = await startMllpListener({ host: '127.0.0.1', port: 0, feed });
    try {
      const pid = `PID|1||${INS}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||MÜLLER^Hélène^^^^^L||19690512|F`;
      const acks = await exchange(mllp.port, [
        mllpFrame(oru(pid, 'M1')),
        mllpFrame(oru('PID|1||X^^^L^PI||INCONNU^Jean^^^^^L||19500101|M', 'M2')),
        mllpFrame('MSH|^^\\&|broken'),
        mllpFrame(oru(pid, 'M3', '5.6')),
      ]);
      expect(acks).toEqual([
        { code: 'AA', control: 'M1', err: '' },
        { code: 'AE', control: 'M2', err: 'HL7_PATIENT_UNMATCHED' },
        { code: 'AR', control: '', err: 'HL7_SEPARATORS_INVALID' },
        { code: 'AA', control: 'M3', err: '' },
      ]);
      // The granted practitioner's pull has the (corrected) result; another practitioner's has none.
      const scope = { dataClasses: ['clinical'] as const, patients: 'granted' as const };
      const asDoctor: Principal = {
        userId: doctor.userId,
        username: doctor.username,
        role: 'practitioner',
        workstationId: doctor.workstationId,
        sessionId: 's',
      };
      const read = await readDocumentRows(
        engine,
        asDoctor,
        scope,
        'observation',
        { after: 0, limit: 100 },
        now,
      );
      expect(read.rows.map((r) => JSON.parse(r.data))).toEqual([
        expect.objectContaining({
          id: labObservationId('pat-1', 'BIOMED|LAB-42|2093-3|'),
          patientId: 'pat-1',
          loincCode: '2093-3',
          value: { type: 'quantity', value: 5.6 },
        }),
      ]);
      const none = await readDocumentRows(
        engine,
        { ...asDoctor, userId: other.userId },
        scope,
        'observation',
        { after: 0, limit: 100 },
        now,
      );
      expect(none.rows).toEqual([]);
      // Never lost: the unmatched and the unreadable message are in the inbox, bytes included.
      const inbox = await engine.query<{ status: string; reason_code: string; raw: string }>(
        'SELECT status, reason_code, raw FROM hl7_inbox ORDER BY reason_code',
      );
      expect(inbox.map((r) => [r.status, r.reason_code])).toEqual([
        ['quarantined', 'HL7_PATIENT_UNMATCHED'],
        ['rejected', 'HL7_SEPARATORS_INVALID'],
      ]);
      expect(Buffer.from(inbox[1]?.raw ?? '', 'base64').toString()).toBe('MSH|^^\\&|broken');
      // Audited: two imports of the observation (with the patient), two kept messages.
      const audit = await engine.query<{ action: string; outcome: string; patient_id: string | null }>(
        "SELECT action, outcome, patient_id FROM audit_log WHERE user_id = 'hl7-feed' ORDER BY sequence",
      );
      expect(audit.map((a) => `${a.action}:${a.outcome}:${a.patient_id ?? ''}`)).toEqual([
        'import:success:pat-1',
        'import:denied:',
        'import:error:',
        'import:success:pat-1',
      ]);
    } finally {
      await mllp.close();
    }
  });

  it('practitioners list the open inbox and claim a message once; other roles are refused', async () => {
    const engine = getEngine();
    const server = await startTestServer(engine);
    try {
      const doctor = await signIn(server.services, 'practitioner');
      const secretary = await signIn(server.services, 'secretary');
      const feed = createHl7Feed({ engine, audit: server.services.audit, clock: () => Date.now() });
      await feed.receive(
        new TextEncoder().encode(oru('PID|1||X^^^L^PI||INCONNU^Jean^^^^^L||19500101|M', 'Q1')),
      );
      await feed.receive(new TextEncoder().encode('MSH|^^\\&|broken'));
      const get = (token: string) =>
        fetch(`${server.url}/v1/hl7/inbox`, { headers: { authorization: `Bearer ${token}` } });
      expect((await get(secretary.accessToken)).status).toBe(403);
      const list = (await (await get(doctor.accessToken)).json()) as {
        items: { id: string; reasonCode: string; controlId: string; rawBase64: string }[];
      };
      expect(list.items.map((i) => i.reasonCode).sort()).toEqual([
        'HL7_PATIENT_UNMATCHED',
        'HL7_SEPARATORS_INVALID',
      ]);
      const item = list.items.find((i) => i.controlId === 'Q1');
      expect(Buffer.from(item?.rawBase64 ?? '', 'base64').toString()).toContain('INCONNU^Jean');
      const claim = () =>
        fetch(`${server.url}/v1/hl7/inbox/${item?.id ?? ''}/claim`, {
          method: 'POST',
          headers: { authorization: `Bearer ${doctor.accessToken}` },
        });
      expect((await claim()).status).toBe(200);
      const again = await claim();
      expect(again.status).toBe(409);
      expect(await again.json()).toEqual({ code: 'HL7_QUARANTINE_RESOLVED' });
      const after = (await (await get(doctor.accessToken)).json()) as { items: unknown[] };
      expect(after.items).toHaveLength(1);
      const events = await engine.query<{ action: string; user_id: string }>(
        "SELECT action, user_id FROM audit_log WHERE object_collection = 'hl7_inbox' ORDER BY sequence",
      );
      expect(events.filter((e) => e.user_id === doctor.userId).map((e) => e.action)).toEqual([
        'read',
        'import',
        'read',
      ]);
    } finally {
      await server.close();
    }
  });

  it('answers AR and closes a connection whose frame exceeds the limit', async () => {
    const engine = getEngine();
    const server = await startTestServer(engine);
    await server.close();
    const feed = createHl7Feed({ engine, audit: server.services.audit, clock: () => Date.now() });
    const mllp = await startMllpListener({ host: '127.0.0.1', port: 0, feed, maxMessageBytes: 1000 });
    try {
      const acks = await exchange(mllp.port, [
        Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(5000, 0x41)]),
      ]);
      expect(acks).toEqual([{ code: 'AR', control: '', err: 'HL7_TOO_LARGE' }]);
    } finally {
      await mllp.close();
    }
  });
});

it('npm run server starts the MLLP listener only when MLLP_PORT is set, and stops it with the server', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { loadConfig } = await import('../config');
  const { startServer } = await import('../server');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-mllp-'));
  try {
    const off = await startServer({
      ...loadConfig({ flags: { port: '0', 'data-dir': dataDir }, env: {} }),
      logLevel: 'silent',
    });
    expect(off.mllp).toBeUndefined();
    await off.stop();
    const config = loadConfig({ flags: { port: '0', 'data-dir': dataDir }, env: { MLLP_PORT: '0' } });
    expect(config.mllpPort).toBe(0);
    const on = await startServer({ ...config, logLevel: 'silent' });
    try {
      expect(on.mllp?.port).toBeGreaterThan(0);
      const acks = await exchange(on.mllp?.port ?? 0, [mllpFrame('not hl7')]);
      expect(acks).toEqual([{ code: 'AR', control: '', err: 'HL7_MSH_MISSING' }]);
    } finally {
      await on.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
