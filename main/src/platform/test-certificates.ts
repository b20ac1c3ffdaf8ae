/* eslint-disable security/detect-non-literal-fs-filename -- files in the folder the test gives. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// For the tests of this folder only: a clinic CA and a server certificate, made by openssl
// (throws when openssl is missing or fails; the caller skips or fails, see CI=true).

const ec = (keyout: string): string[] => [
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-keyout',
  keyout,
];
const run = (args: readonly string[]): void => {
  execFileSync('openssl', args, { stdio: 'ignore' });
};

/** A self-signed CA valid two days, in `dir`: the PEM paths of its certificate and key. */
export function makeTestCa(dir: string): { readonly certFile: string; readonly keyFile: string } {
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca.key');
  run([
    'req',
    '-x509',
    ...ec(keyFile),
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=Clinique Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  return { certFile, keyFile };
}

/** A CA and a certificate for 127.0.0.1 signed by it, as PEM text. */
export function makeTestServerCertificates(dir: string): {
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
} {
  const ca = makeTestCa(dir);
  const f = (n: string): string => path.join(dir, n);
  run(['req', ...ec(f('srv.key')), '-out', f('srv.csr'), '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run([
    'x509',
    '-req',
    '-in',
    f('srv.csr'),
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    f('srv.pem'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  ]);
  return {
    ca: fs.readFileSync(ca.certFile, 'utf8'),
    key: fs.readFileSync(f('srv.key'), 'utf8'),
    cert: fs.readFileSync(f('srv.pem'), 'utf8'),
  };
}
