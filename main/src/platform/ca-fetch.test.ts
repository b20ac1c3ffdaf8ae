/* eslint-disable security/detect-non-literal-fs-filename -- temp folder the test creates. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchTrustingCa } from './ca-fetch';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-ca-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A clinic CA and a server certificate for 127.0.0.1 signed by it (openssl). */
function makeCerts(): { ca: string; key: string; cert: string } | undefined {
  const f = (n: string) => path.join(tmp, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  try {
    run([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=Clinique Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    run([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('srv.key'),
      '-out',
      f('srv.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]);
    fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    run([
      'x509',
      '-req',
      '-in',
      f('srv.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f('srv.pem'),
      '-days',
      '2',
      '-extfile',
      f('ext.cnf'),
    ]);
  } catch {
    return undefined;
  }
  return {
    ca: fs.readFileSync(f('ca.pem'), 'utf8'),
    key: fs.readFileSync(f('srv.key'), 'utf8'),
    cert: fs.readFileSync(f('srv.pem'), 'utf8'),
  };
}

describe('fetch trusting the policy CA bundle', () => {
  it('reaches a server whose certificate the clinic CA signed; plain fetch refuses it', async (ctx) => {
    const certs = makeCerts();
    if (!certs) {
      if (process.env['CI'] === 'true') throw new Error('openssl is needed to make the test certificates');
      ctx.skip('openssl not found');
      return;
    }
    const server = https.createServer({ key: certs.key, cert: certs.cert }, (_req, res) =>
      res.end('{"status":"ok"}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
      await expect(fetch(url)).rejects.toThrow();
      const res = await fetchTrustingCa(certs.ca)(url);
      expect(await res.json()).toEqual({ status: 'ok' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
