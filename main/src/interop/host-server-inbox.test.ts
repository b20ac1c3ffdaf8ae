import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../shared/src/identifiers';
import type { Host } from '../host/host';
import { call, signedInHost } from '../host/test-support';
import type { TestSyncServer } from '../sync/test-server';
import { adminApi, serverUnavailable, startSyncServer } from '../sync/test-server';

/**
 * The server's lab feed (MLLP) and the workstation: a message the server could not apply
 * (unknown patient) is claimed by a practitioner's workstation into its quarantine list,
 * through the host channel and the real sync server process.
 */
const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true')
  throw new Error(`server inbox test cannot run: ${unavailable}`);

const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;
const PASSWORD = 'practitioner-password-for-tests-42';
const MLLP_PORT = 20_000 + Math.floor(Math.random() * 20_000);

function sendMllp(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf(0x1c);
      if (end >= 0) {
        socket.end();
        resolve(buffer.subarray(1, end).toString('utf8'));
      }
    });
    socket.write(
      Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'utf8'), Buffer.from([0x1c, 0x0d])]),
    );
  });
}

describe.skipIf(unavailable !== undefined)(
  `sync server HL7 inbox claimed by a workstation${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: TestSyncServer;
    let data: { dir: string; cleanup(): void };
    let host: Host;
    const previous = process.env['MLLP_PORT'];

    beforeAll(async () => {
      process.env['MLLP_PORT'] = String(MLLP_PORT);
      try {
        server = await startSyncServer();
      } finally {
        if (previous === undefined) delete process.env['MLLP_PORT'];
        else process.env['MLLP_PORT'] = previous;
      }
      const admin = await adminApi(server);
      await admin.createUser({ username: 'dr.labo', role: 'practitioner', rpps: RPPS, password: PASSWORD });
      const workstationId = await admin.registerWorkstation('cabinet-labo');
      ({ host, data } = await signedInHost({
        serverUrl: server.url,
        username: 'dr.labo',
        password: PASSWORD,
        workstationId,
        passphrase: 'cheval agrafe pile correcte',
      }));
    }, 120_000);

    afterAll(async () => {
      await host?.close();
      data?.cleanup();
      await server?.stop();
    });

    it('an unmatched lab message (ACK AE on the feed) lands in the practitioner’s quarantine list once', async () => {
      const message = [
        'MSH|^~\\&|LABO|BIOMED|CLINIQUE|CAB|20240315083000||ORU^R01^ORU_R01|SRV1|P|2.5|||||FRA|UNICODE UTF-8',
        'PID|1||X9^^^BIOMED^PI||INCONNU^Jean^^^^^L||19500101|M',
        'OBR|1|CMD42|LAB-42|24331-1^Bilan lipidique^LN|||20240314073000',
        'OBX|1|NM|2093-3^Cholestérol total^LN||5.2|mmol/L|3.5-6.5|N|||F',
      ].join('\r');
      const ack = await sendMllp(MLLP_PORT, message);
      expect(ack).toMatch(/\rMSA\|AE\|SRV1\r/);
      expect(await call(host, 'interop:server-inbox', {})).toEqual({ claimed: 1 });
      const items = (await call(host, 'interop:quarantine-list', { status: 'open' })).items;
      expect(items).toEqual([
        expect.objectContaining({
          source: 'mllp',
          sourceName: 'MLLP SRV1',
          kind: 'lab',
          messageType: 'ORU^R01',
          reason: { code: 'HL7_PATIENT_UNMATCHED' },
          observationCount: 1,
        }),
      ]);
      // Claimed: the server's list is empty now, a second call takes nothing.
      expect(await call(host, 'interop:server-inbox', {})).toEqual({ claimed: 0 });
    }, 60_000);
  },
);
