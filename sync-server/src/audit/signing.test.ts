/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from './chain';
import { checkpointSignatureValid, loadOrCreateSigningKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, signCheckpoint } from './signing';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-key-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('checkpoint signing key', () => {
  it('is generated on first start with mode 0600 and reused afterwards', () => {
    const dir = tempDir();
    const first = loadOrCreateSigningKey({ dir });
    const file = path.join(dir, PRIVATE_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.chmodSync(file, 0o644);
    const again = loadOrCreateSigningKey({ dir });
    expect(again.keyId).toBe(first.keyId);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(fs.readFileSync(path.join(dir, PUBLIC_KEY_FILE), 'utf8')).toBe(first.publicKeyPem);
  });

  it('signs (sequence, head, instant) so that any change or another key fails verification', () => {
    const signer = loadOrCreateSigningKey({ dir: tempDir() });
    const other = loadOrCreateSigningKey({ dir: tempDir() });
    const cp = signCheckpoint(signer, { sequence: 42, hash: 'ab'.repeat(32) }, '2026-01-01T00:00:00.000Z');
    expect(checkpointSignatureValid(cp, signer.publicKeyPem)).toBe(true);
    expect(checkpointSignatureValid({ ...cp, sequence: 43 }, signer.publicKeyPem)).toBe(false);
    expect(checkpointSignatureValid({ ...cp, headHash: GENESIS_HASH }, signer.publicKeyPem)).toBe(false);
    expect(checkpointSignatureValid({ ...cp, signedAt: '2026-01-01T00:00:01.000Z' }, signer.publicKeyPem)).toBe(false);
    expect(checkpointSignatureValid(cp, other.publicKeyPem)).toBe(false);
    const forged = signCheckpoint(other, { sequence: 42, hash: cp.headHash }, cp.signedAt);
    expect(checkpointSignatureValid({ ...forged, keyId: signer.keyId }, signer.publicKeyPem)).toBe(false);
    expect(checkpointSignatureValid({ ...cp, signature: 'AAAA' }, signer.publicKeyPem)).toBe(false);
    expect(checkpointSignatureValid(cp, 'not a key')).toBe(false);
  });

  it('refuses a key file that is not Ed25519', async () => {
    const dir = tempDir();
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.writeFileSync(path.join(dir, PRIVATE_KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    expect(() => loadOrCreateSigningKey({ dir })).toThrow(/Ed25519/);
  });
});
