import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/src/errors';
import type { DataClass } from '../../../shared/src/schemas';
import type { AttachmentRef } from '../../../shared/src/sync/attachments-protocol';
import { ATTACHMENT_CHUNK_BYTES, declaredAttachments } from '../../../shared/src/sync/attachments-protocol';
import type { Engine, Queryable } from '../db/engine';
import { toBoolean } from '../db/engine';
import type { AccessService, AuditLog, AuditRecord, Clock, Principal } from '../types';

/**
 * Files of replicated documents on the server (migration 0007). Same permission rules as the
 * documents they belong to: uploading needs the right to write the document (as a push),
 * downloading the right to read its patient's data of its class (a secretary never gets a
 * clinical file, a practitioner only with a grant). Each completed upload and each download
 * is a server event of the audit chain; refusals too.
 */
export type AttachmentStoreDeps = {
  readonly engine: Engine;
  readonly access: AccessService;
  readonly audit: AuditLog;
  readonly clock: Clock;
};

type DocRow = { data: string; deleted: unknown; patient_id: string | null; data_class: string };
type AttRow = { length: number; content_type: string; received: number; complete: unknown; patient_id: string | null; data_class: string; digest: string };

export type AttachmentKey = Pick<AttachmentRef, 'collection' | 'documentId' | 'attachmentId' | 'digest'>;

export type StatusItem = { attachmentId: string; documentId: string; state: 'complete' | 'partial' | 'missing' | 'refused'; received: number; code?: string };

export type DownloadTarget = {
  readonly length: number;
  readonly contentType: string;
  readonly digest: string;
  /** The bytes chunk by chunk, each read in its own query (a file is never whole in memory). */
  chunks(): AsyncGenerator<Uint8Array>;
};

function record(principal: Principal, clock: Clock, fields: Pick<AuditRecord, 'action' | 'outcome'> & Partial<Pick<AuditRecord, 'patientId' | 'object' | 'details'>>): AuditRecord {
  const instant = new Date(clock()).toISOString();
  return {
    id: `attachment:${randomUUID()}`,
    source: 'server',
    userId: principal.userId,
    role: principal.role,
    workstation: principal.workstationId,
    instant,
    ...fields,
  };
}

export function createAttachmentStore(deps: AttachmentStoreDeps) {
  const { engine, access, audit, clock } = deps;

  const documentOf = async (q: Queryable, collection: string, id: string): Promise<DocRow | undefined> => {
    const [row] = await q.query<DocRow>('SELECT data, deleted, patient_id, data_class FROM documents WHERE collection = $1 AND id = $2', [collection, id]);
    return row;
  };

  /** May this principal upload this file? The document must be on the server, declare the file, and be writable by them. */
  const uploadDecision = async (q: Queryable, principal: Principal, ref: AttachmentKey & { length: number }): Promise<{ ok: true; doc: DocRow } | { ok: false; code: string; doc?: DocRow }> => {
    const doc = await documentOf(q, ref.collection, ref.documentId);
    if (!doc || toBoolean(doc.deleted)) return { ok: false, code: 'SYNC_ATTACHMENT_UNKNOWN' };
    const declared = declaredAttachments(ref.collection, JSON.parse(doc.data) as Record<string, unknown>);
    if (!declared.has(ref.attachmentId)) return { ok: false, code: 'SYNC_ATTACHMENT_UNKNOWN', doc };
    const size = declared.get(ref.attachmentId);
    if (size !== undefined && size !== ref.length) return { ok: false, code: 'SYNC_ATTACHMENT_UNKNOWN', doc };
    const decision = await access.canWrite(q, principal, ref.collection as never, {
      id: ref.documentId,
      patientId: doc.patient_id ?? undefined,
      dataClass: doc.data_class as DataClass,
    });
    return decision.allowed ? { ok: true, doc } : { ok: false, code: decision.code, doc };
  };

  const refuse = async (principal: Principal, ref: AttachmentKey, code: string, action: string, patientId: string | null | undefined): Promise<never> => {
    await engine.transaction(async (tx) =>
      audit.append(tx, [
        record(principal, clock, {
          action,
          outcome: 'denied',
          object: { collection: ref.collection, id: ref.documentId },
          ...(patientId ? { patientId } : {}),
          details: { code, attachment: ref.attachmentId },
        }),
      ]),
    );
    throw new AppError(code);
  };

  return {
    /** Where each file stands on the server, for a workstation about to upload (no audit: no patient data moves). */
    async status(principal: Principal, items: readonly AttachmentRef[]): Promise<StatusItem[]> {
      const out: StatusItem[] = [];
      for (const ref of items) {
        const decision = await uploadDecision(engine, principal, ref);
        if (!decision.ok) {
          out.push({ attachmentId: ref.attachmentId, documentId: ref.documentId, state: 'refused', received: 0, code: decision.code });
          continue;
        }
        const [row] = await engine.query<AttRow>(
          'SELECT length, received, complete FROM attachments WHERE collection = $1 AND document_id = $2 AND attachment_id = $3 AND digest = $4',
          [ref.collection, ref.documentId, ref.attachmentId, ref.digest],
        );
        out.push({
          attachmentId: ref.attachmentId,
          documentId: ref.documentId,
          state: !row ? 'missing' : toBoolean(row.complete) ? 'complete' : 'partial',
          received: row ? Number(row.received) : 0,
        });
      }
      return out;
    },

    /**
     * Stores one chunk at `offset`, which must be the bytes already received (else
     * SYNC_ATTACHMENT_OFFSET with the received count: the client resumes there). Once every
     * byte is stored, the SHA-256 over the stored chunks (read one by one, outside any write
     * transaction, so a 1 GiB file does not hold the database's writer while it is hashed)
     * must equal the digest: a mismatch removes the upload (SYNC_ATTACHMENT_DIGEST); a match
     * marks it complete and records the upload in the audit chain. A server that stops between
     * the last chunk and the check leaves every byte stored and the file incomplete: the
     * client's next PUT at offset = length (an empty chunk) runs the check.
     */
    async putChunk(principal: Principal, ref: AttachmentKey, query: { offset: number; length: number; type: string }, bytes: Uint8Array): Promise<{ received: number; complete: boolean }> {
      if (bytes.byteLength > ATTACHMENT_CHUNK_BYTES) throw new AppError('SYNC_ATTACHMENT_TOO_LARGE');
      const decision = await uploadDecision(engine, principal, { ...ref, length: query.length });
      if (!decision.ok) return refuse(principal, ref, decision.code, 'create', decision.doc?.patient_id);
      const key = [ref.collection, ref.documentId, ref.attachmentId, ref.digest];
      const where = 'collection = $1 AND document_id = $2 AND attachment_id = $3 AND digest = $4';
      const lock = `attachment:${ref.collection}:${ref.documentId}:${ref.attachmentId}`;
      const stored = await engine.transaction(
        async (tx) => {
          const [row] = await tx.query<AttRow>(`SELECT length, received, complete FROM attachments WHERE ${where}`, key);
          if (row && toBoolean(row.complete)) return { received: Number(row.length), complete: true };
          if (row && Number(row.length) !== query.length) throw new AppError('SYNC_ATTACHMENT_OFFSET', { received: Number(row.received) });
          const received = row ? Number(row.received) : 0;
          if (query.offset !== received) throw new AppError('SYNC_ATTACHMENT_OFFSET', { received });
          if (received + bytes.byteLength > query.length) throw new AppError('SYNC_ATTACHMENT_TOO_LARGE');
          if (bytes.byteLength === 0 && received < query.length) throw new AppError('SYNC_ATTACHMENT_OFFSET', { received });
          if (!row) {
            await tx.execute(
              `INSERT INTO attachments (collection, document_id, attachment_id, digest, length, content_type, received, complete, patient_id, data_class, created_by, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11)`,
              [...key, query.length, query.type, tx.kind === 'postgres' ? false : 0, decision.doc.patient_id, decision.doc.data_class, principal.userId, new Date(clock()).toISOString()],
            );
          }
          if (bytes.byteLength > 0) {
            await tx.execute('INSERT INTO attachment_chunks (collection, document_id, attachment_id, digest, chunk_offset, data) VALUES ($1, $2, $3, $4, $5, $6)', [...key, received, bytes]);
            await tx.execute(`UPDATE attachments SET received = $5 WHERE ${where}`, [...key, received + bytes.byteLength]);
          }
          return { received: received + bytes.byteLength, complete: false };
        },
        { lock },
      );
      if (stored.complete || stored.received < query.length) return stored;

      // Every byte is there: the digest, chunk by chunk, without a write transaction.
      const hash = createHash('sha256');
      const offsets = await engine.query<{ chunk_offset: number }>(`SELECT chunk_offset FROM attachment_chunks WHERE ${where} ORDER BY chunk_offset`, key);
      for (const o of offsets) {
        const [c] = await engine.query<{ data: Uint8Array }>(`SELECT data FROM attachment_chunks WHERE ${where} AND chunk_offset = $5`, [...key, Number(o.chunk_offset)]);
        if (c) hash.update(c.data);
      }
      if (hash.digest('hex') !== ref.digest) {
        // Nothing of a file whose bytes do not match its digest stays: the client starts again.
        await engine.transaction(
          async (tx) => {
            await tx.execute(`DELETE FROM attachment_chunks WHERE ${where}`, key);
            await tx.execute(`DELETE FROM attachments WHERE ${where} AND complete = $5`, [...key, tx.kind === 'postgres' ? false : 0]);
          },
          { lock },
        );
        throw new AppError('SYNC_ATTACHMENT_DIGEST');
      }
      return engine.transaction(
        async (tx) => {
          const changed = await tx.execute(`UPDATE attachments SET complete = $5, completed_at = $6 WHERE ${where} AND complete = $7`, [
            ...key,
            tx.kind === 'postgres' ? true : 1,
            new Date(clock()).toISOString(),
            tx.kind === 'postgres' ? false : 0,
          ]);
          // Another request completed it meanwhile: recorded once, by that one.
          if (changed > 0) {
            await audit.append(tx, [
              record(principal, clock, {
                action: 'create',
                outcome: 'success',
                object: { collection: ref.collection, id: ref.documentId },
                ...(decision.doc.patient_id ? { patientId: decision.doc.patient_id } : {}),
                details: { attachment: ref.attachmentId, bytes: query.length },
              }),
            ]);
          }
          return { received: query.length, complete: true };
        },
        { lock },
      );
    },

    /**
     * A complete file for a download (the latest completed digest of that attachment id),
     * after the read check; the download is recorded in the audit chain, a refusal too.
     */
    async openDownload(principal: Principal, ref: Omit<AttachmentKey, 'digest'>): Promise<DownloadTarget> {
      const doc = await documentOf(engine, ref.collection, ref.documentId);
      const patientId = doc?.patient_id ?? null;
      if (doc) {
        const decision = patientId === null ? { allowed: false as const, code: 'ACCESS_PATIENT_REQUIRED' } : await access.canRead(engine, principal, patientId, doc.data_class as DataClass);
        if (!decision.allowed) return refuse(principal, { ...ref, digest: '' }, decision.code, 'read', patientId);
      }
      const [row] = doc
        ? await engine.query<AttRow>(
            `SELECT digest, length, content_type, complete FROM attachments
             WHERE collection = $1 AND document_id = $2 AND attachment_id = $3 AND complete = $4
             ORDER BY completed_at DESC LIMIT 1`,
            [ref.collection, ref.documentId, ref.attachmentId, engine.kind === 'postgres' ? true : 1],
          )
        : [];
      if (!doc || toBoolean(doc.deleted) || !row) throw new AppError('SYNC_ATTACHMENT_NOT_UPLOADED');
      await engine.transaction(async (tx) =>
        audit.append(tx, [
          record(principal, clock, {
            action: 'read',
            outcome: 'success',
            object: { collection: ref.collection, id: ref.documentId },
            ...(patientId ? { patientId } : {}),
            details: { attachment: ref.attachmentId },
          }),
        ]),
      );
      const key = [ref.collection, ref.documentId, ref.attachmentId, row.digest];
      return {
        length: Number(row.length),
        contentType: row.content_type,
        digest: row.digest,
        async *chunks() {
          const offsets = await engine.query<{ chunk_offset: number }>(
            'SELECT chunk_offset FROM attachment_chunks WHERE collection = $1 AND document_id = $2 AND attachment_id = $3 AND digest = $4 ORDER BY chunk_offset',
            key,
          );
          for (const o of offsets) {
            const [c] = await engine.query<{ data: Uint8Array }>(
              'SELECT data FROM attachment_chunks WHERE collection = $1 AND document_id = $2 AND attachment_id = $3 AND digest = $4 AND chunk_offset = $5',
              [...key, Number(o.chunk_offset)],
            );
            if (c) yield new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength);
          }
        },
      };
    },
  };
}

export type AttachmentStore = ReturnType<typeof createAttachmentStore>;
