/* eslint-disable security/detect-non-literal-fs-filename -- the only path is the key file under the configured data directory */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from './chain';

/** A signed statement that the chain had this head at this instant. */
export type Checkpoint = {
  readonly sequence: number;
  readonly headHash: string;
  readonly signedAt: string;
  /** Which server key signed it (SHA-256 of the public key's SPKI DER, first 32 hex digits). */
  readonly keyId: string;
  /** Ed25519 signature of `checkpointPayload`, base64. */
  readonly signature: string;
};

export type CheckpointSigner = {
  readonly keyId: string;
  /** SPKI PEM: what workstations and auditors keep to check signatures. */
  readonly publicKeyPem: string;
  sign(payload: Buffer): string;
};

/** Where the server's key pair lives; tests pass a temp dir, the server its DATA_DIR. */
export type SigningKeySource = { readonly dir: string };

export const PRIVATE_KEY_FILE = 'audit-signing-key.pem';
/** Written beside it for IT to hand to auditors (`audit verify --public-key`). */
export const PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

/**
 * The exact bytes signed: canonical JSON with a type tag, so a checkpoint signature can
 * never be replayed as a signature of anything else this key may sign later.
 */
export function checkpointPayload(c: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      type: 'clinic-audit-checkpoint/v1',
      sequence: c.sequence,
      headHash: c.headHash,
      signedAt: c.signedAt,
      keyId: c.keyId,
    }),
    'utf8',
  );
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}

function signerFrom(privateKey: KeyObject): CheckpointSigner {
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (payload) => sign(null, payload, privateKey).toString('base64'),
  };
}

/**
 * Loads the Ed25519 key pair from `dir`, generating it on first start. The private key
 * file is created exclusively with mode 0600, so two processes starting together on one
 * DATA_DIR end with the same key (the loser of the race reads the winner's file).
 */
export function loadOrCreateSigningKey(source: SigningKeySource): CheckpointSigner {
  const file = path.join(source.dir, PRIVATE_KEY_FILE);
  fs.mkdirSync(source.dir, { recursive: true });
  if (!fs.existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  // A umask or a copy may have widened it; the key signs what auditors trust.
  fs.chmodSync(file, 0o600);
  const privateKey = createPrivateKey(fs.readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${file} is not an Ed25519 private key`);
  }
  const signer = signerFrom(privateKey);
  const publicFile = path.join(source.dir, PUBLIC_KEY_FILE);
  if (!fs.existsSync(publicFile) || fs.readFileSync(publicFile, 'utf8') !== signer.publicKeyPem) {
    fs.writeFileSync(publicFile, signer.publicKeyPem, { mode: 0o644 });
  }
  return signer;
}

export function signCheckpoint(signer: CheckpointSigner, head: { sequence: number; hash: string }, signedAt: string): Checkpoint {
  const unsigned = { sequence: head.sequence, headHash: head.hash, signedAt, keyId: signer.keyId };
  return { ...unsigned, signature: signer.sign(checkpointPayload(unsigned)) };
}

/** True when `checkpoint` carries a valid signature by `publicKeyPem` (and names that key). */
export function checkpointSignatureValid(checkpoint: Checkpoint, publicKeyPem: string): boolean {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    return false;
  }
  if (publicKey.asymmetricKeyType !== 'ed25519' || keyIdOf(publicKey) !== checkpoint.keyId) return false;
  const signature = Buffer.from(checkpoint.signature, 'base64');
  if (signature.length !== 64) return false;
  return verify(null, checkpointPayload(checkpoint), publicKey, signature);
}
