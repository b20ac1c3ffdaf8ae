import fc from 'fast-check';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyFile } from './key-file';
import { KEY_FILE_FORMAT, parseKeyFile, parseKeyFileBytes, serializeKeyFile } from './key-file';
import { MIN_KDF, newKdfParams, seal } from './key-wrap';

function sample(): KeyFile {
  const vaultId = crypto.randomUUID();
  const kek = crypto.randomBytes(32);
  const createdAt = new Date(0).toISOString();
  return {
    format: KEY_FILE_FORMAT,
    version: 1,
    vaultId,
    createdAt,
    wraps: [
      {
        kind: 'passphrase',
        createdAt,
        kdf: newKdfParams(MIN_KDF),
        aead: seal(kek, crypto.randomBytes(32), Buffer.from('a')),
      },
      {
        kind: 'os-keystore',
        createdAt,
        backend: 'dpapi',
        protectedKek: crypto.randomBytes(60),
        aead: seal(kek, crypto.randomBytes(32), Buffer.from('b')),
      },
    ],
  };
}

const json = (f: KeyFile): Record<string, unknown> =>
  JSON.parse(serializeKeyFile(f)) as Record<string, unknown>;

describe('parseKeyFile', () => {
  it('round-trips what serializeKeyFile writes, binary included', () => {
    const file = sample();
    const parsed = parseKeyFileBytes(Buffer.from(serializeKeyFile(file)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(serializeKeyFile(parsed.value)).toBe(serializeKeyFile(file));
    expect(parsed.value.wraps[0]?.aead.ciphertext).toEqual(
      new Uint8Array(file.wraps[0]?.aead.ciphertext ?? []),
    );
  });

  it('reports an unknown version with its number, before looking at anything else', () => {
    expect(parseKeyFile({ format: KEY_FILE_FORMAT, version: 2 })).toEqual({
      ok: false,
      error: { code: 'VAULT_KEYFILE_UNSUPPORTED_VERSION', params: { version: 2 } },
    });
    expect(parseKeyFile({ ...json(sample()), version: 99 })).toMatchObject({
      error: { code: 'VAULT_KEYFILE_UNSUPPORTED_VERSION' },
    });
  });

  it.each([
    ['null', null],
    ['array', []],
    ['other format', { ...json(sample()), format: 'something-else' }],
    ['version as string', { ...json(sample()), version: '1' }],
    ['version 0', { ...json(sample()), version: 0 }],
    ['no wraps', { ...json(sample()), wraps: [] }],
    ['vault id not a uuid', { ...json(sample()), vaultId: 'abc' }],
    ['extra top-level field', { ...json(sample()), note: 'x' }],
  ])('refuses %s as VAULT_KEYFILE_CORRUPT', (_name, input) => {
    expect(parseKeyFile(input)).toMatchObject({ ok: false, error: { code: 'VAULT_KEYFILE_CORRUPT' } });
  });

  it('refuses wrong binary lengths, invalid base64, two passphrase wraps and a cheap KDF', () => {
    const mutate = (edit: (w: Record<string, unknown>[]) => void) => {
      const j = json(sample()) as { wraps: Record<string, unknown>[] };
      edit(j.wraps);
      return parseKeyFile(j);
    };
    const p = (w: Record<string, unknown>[]) =>
      w[0] as { aead: Record<string, unknown>; kdf: Record<string, unknown> };
    expect(mutate((w) => (p(w).aead.nonce = Buffer.alloc(11).toString('base64'))).ok).toBe(false);
    expect(mutate((w) => (p(w).aead.ciphertext = Buffer.alloc(31).toString('base64'))).ok).toBe(false);
    expect(mutate((w) => (p(w).aead.tag = 'not base64!')).ok).toBe(false);
    expect(mutate((w) => (p(w).kdf.salt = Buffer.alloc(8).toString('base64'))).ok).toBe(false);
    expect(mutate((w) => (p(w).kdf.memoryKiB = 1024)).ok).toBe(false);
    expect(mutate((w) => (p(w).kdf.algorithm = 'argon2i')).ok).toBe(false);
    expect(mutate((w) => w.push({ ...(w[0] as object) })).ok).toBe(false);
    expect(mutate((w) => w.splice(0, 1)).ok).toBe(false);
    expect(mutate(() => undefined).ok).toBe(true);
  });

  it('never throws on arbitrary input or bytes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(parseKeyFile(v).ok).toBe(false);
      }),
    );
    const text = serializeKeyFile(sample());
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = Buffer.from(text);
        bytes[at] = (bytes[at] ?? 0) ^ xor;
        const r = parseKeyFileBytes(bytes);
        if (r.ok) expect(r.value.format).toBe(KEY_FILE_FORMAT);
      }),
      { numRuns: 300 },
    );
  });
});
