import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchTrustingCa } from './ca-fetch';
import { makeTestServerCertificates } from './test-certificates';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-ca-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A clinic CA and a server certificate for 127.0.0.1 signed by it, or undefined without openssl. */
function makeCerts(): { ca: string; key: string; cert: string } | undefined {
  try {
    return makeTestServerCertificates(tmp);
  } catch {
    return undefined;
  }
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
