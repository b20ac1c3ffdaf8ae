import { randomFillSync } from 'node:crypto';

/**
 * Ids of the audit entries the server writes itself: UUID version 7 (RFC 9562), a 48-bit
 * millisecond timestamp, then a 12-bit counter and 62 random bits. The audit log has a
 * UNIQUE index on `id`; random (version 4) ids put each new entry on a random page of that
 * index, and a pull appends one entry per patient, so every pull rewrote pages all over it
 * (in PostgreSQL, a full-page image in the WAL for each page first touched after a
 * checkpoint). Time-ordered ids land on the index's last page, as the sequence does.
 *
 * The counter (RFC 9562 §6.2, method 1) keeps ids of one process strictly increasing within
 * a millisecond and across a clock step back; ids from several server instances interleave
 * but stay unique through the random bits. An id reveals when it was made, which the entry
 * says anyway (`instant`). Events from workstations keep the ids the workstation gave them.
 */
const POOL_BYTES = 8 * 1024;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function randomBytes10(): Buffer {
  if (poolOffset + 10 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  return bytes;
}

let lastMs = -1;
let counter = 0;

/** `now` in milliseconds since the epoch (tests pass their own). */
export function auditRecordId(now: number = Date.now()): string {
  const random = randomBytes10();
  let ms = Math.floor(now);
  if (ms > lastMs) {
    lastMs = ms;
    // A random start (below 2^11) leaves room for at least 2,048 ids in the same millisecond.
    counter = random.readUInt16BE(0) & 0x07ff;
  } else {
    ms = lastMs;
    counter += 1;
    if (counter > 0x0fff) {
      // 4,096 ids in one millisecond: borrow the next one, as RFC 9562 allows.
      lastMs += 1;
      ms = lastMs;
      counter = 0;
    }
  }
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  random.copy(bytes, 8, 2, 10);
  bytes.writeUInt8(0x80 | (bytes.readUInt8(8) & 0x3f), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
