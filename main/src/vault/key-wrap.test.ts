import { hash } from '@node-rs/argon2';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, deriveKek, kdfWithinLimits, MIN_KDF, newKdfParams, open, seal } from './key-wrap';

describe('deriveKek', () => {
  it('is Argon2id v19 with the stored parameters: it equals the raw hash inside the PHC string', async () => {
    const params = newKdfParams(MIN_KDF);
    const kek = await deriveKek('cheval agrafe pile correcte', params);
    const phc = await hash('cheval agrafe pile correcte', {
      memoryCost: params.memoryKiB,
      timeCost: params.iterations,
      parallelism: params.parallelism,
      outputLen: 32,
      salt: params.salt,
    });
    expect(phc.startsWith(`$argon2id$v=19$m=${params.memoryKiB},t=${params.iterations},p=1$`)).toBe(true);
    const raw = Buffer.from(phc.split('$')[5] ?? '', 'base64');
    expect(kek.equals(raw)).toBe(true);
  });

  it('depends on passphrase, salt and cost', async () => {
    const params = newKdfParams(MIN_KDF);
    const base = await deriveKek('phrase de passe longue', params);
    expect(base.equals(await deriveKek('phrase de passe longue', params))).toBe(true);
    expect(base.equals(await deriveKek('phrase de passe longuE', params))).toBe(false);
    expect(
      base.equals(await deriveKek('phrase de passe longue', { ...params, salt: crypto.randomBytes(16) })),
    ).toBe(false);
    expect(base.equals(await deriveKek('phrase de passe longue', { ...params, iterations: 3 }))).toBe(false);
  });

  it('treats composed and decomposed accents as the same passphrase (NFC)', async () => {
    const params = newKdfParams(MIN_KDF);
    const composed = await deriveKek('mot de passe très sûr', params);
    const decomposed = await deriveKek('mot de passe tre\u0300s su\u0302r', params);
    expect(composed.equals(decomposed)).toBe(true);
  });
});

describe('KDF limits', () => {
  it('accepts the defaults and the OWASP floor, refuses anything cheaper or absurd', () => {
    expect(kdfWithinLimits(DEFAULT_KDF)).toBe(true);
    expect(kdfWithinLimits(MIN_KDF)).toBe(true);
    expect(kdfWithinLimits({ ...MIN_KDF, memoryKiB: MIN_KDF.memoryKiB - 1 })).toBe(false);
    expect(kdfWithinLimits({ ...MIN_KDF, iterations: 1 })).toBe(false);
    expect(kdfWithinLimits({ ...MIN_KDF, parallelism: 0 })).toBe(false);
    expect(kdfWithinLimits({ ...MIN_KDF, memoryKiB: 64 * 1024 * 1024 })).toBe(false);
    expect(kdfWithinLimits({ ...MIN_KDF, iterations: 2.5 })).toBe(false);
  });
});

describe('seal / open (AES-256-GCM)', () => {
  const kek = crypto.randomBytes(32);
  const key = crypto.randomBytes(32);
  const aad = Buffer.from('vault-a');

  it('round-trips and uses a fresh nonce each time', () => {
    const a = seal(kek, key, aad);
    const b = seal(kek, key, aad);
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(Buffer.from(open(kek, a, aad) ?? []).equals(key)).toBe(true);
  });

  it('fails closed on another key, another AAD, or any flipped bit', () => {
    const box = seal(kek, key, aad);
    expect(open(crypto.randomBytes(32), box, aad)).toBeUndefined();
    expect(open(kek, box, Buffer.from('vault-b'))).toBeUndefined();
    for (const field of ['nonce', 'ciphertext', 'tag'] as const) {
      const damaged = Buffer.from(box[field]);
      damaged[0] = (damaged[0] ?? 0) ^ 1;
      expect(open(kek, { ...box, [field]: damaged }, aad)).toBeUndefined();
    }
  });
});
