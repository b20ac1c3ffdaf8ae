import type { Queryable } from '../db/engine';
import type { ChangeNotice } from '../replication/repository';
import { REPLICATION_CHANNEL } from '../replication/repository';
import type { CollectionName } from '../../../shared/src/schemas';

type Notifier = { notify(tx: Queryable, channel: string, payload: string): Promise<void> };

/**
 * Takes the replication sequence lock inside an access transaction. LOCK ORDER: 'access',
 * then 'replication', then 'audit' (a push takes 'replication' then 'audit' and never
 * 'access'). Taken before the access rows are touched, so a push that creates a patient
 * (and its first grant) cannot wait on a row this transaction holds.
 */
export async function takeReplicationLock(tx: Queryable): Promise<void> {
  if (tx.kind === 'postgres') {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':replication'))");
  }
}

/**
 * Gives every document of these patients a new sequence, after every committed one, and
 * announces them on the replication channel. A user who gains a patient has usually pulled
 * past that patient's documents already (or purged them when an earlier grant was
 * revoked); pulls only return what comes after a checkpoint, so only new sequences bring
 * them back. Every client with access pulls them again, which is harmless: a pull of a
 * document it already holds changes nothing. The caller must hold the replication lock
 * (takeReplicationLock) so sequences stay in commit order.
 */
export async function resequencePatients(
  tx: Queryable,
  notifier: Notifier,
  patientIds: Iterable<string>,
): Promise<number> {
  const ids = [...new Set(patientIds)];
  if (ids.length === 0) return 0;
  let resequenced = 0;
  const [max] = await tx.query<{ m: number | string | null }>('SELECT MAX(sequence) AS m FROM documents');
  let next = Number(max?.m ?? 0) + 1;
  const ranges = new Map<CollectionName, { from: number; to: number }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await tx.query<{ collection: CollectionName; id: string }>(
      `SELECT collection, id FROM documents WHERE patient_id IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})
       ORDER BY collection, sequence`,
      chunk,
    );
    for (const row of rows) {
      const sequence = next;
      next += 1;
      await tx.execute('UPDATE documents SET sequence = $1 WHERE collection = $2 AND id = $3', [sequence, row.collection, row.id]);
      const range = ranges.get(row.collection);
      // One notice per collection: rows are ordered by collection, so each range is contiguous per chunk.
      if (range && range.to === sequence - 1) range.to = sequence;
      else if (!range) ranges.set(row.collection, { from: sequence, to: sequence });
      else {
        await announce(tx, notifier, row.collection, range);
        ranges.set(row.collection, { from: sequence, to: sequence });
      }
      resequenced += 1;
    }
  }
  for (const [collection, range] of ranges) await announce(tx, notifier, collection, range);
  return resequenced;
}

async function announce(tx: Queryable, notifier: Notifier, collection: CollectionName, range: { from: number; to: number }): Promise<void> {
  const notice: ChangeNotice = { collection, from: range.from, to: range.to, at: Date.now() };
  await notifier.notify(tx, REPLICATION_CHANNEL, JSON.stringify(notice));
}
