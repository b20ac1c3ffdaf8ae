import { createHash } from 'node:crypto';
import type { RxCollection, RxDocument } from 'rxdb';
import { AppError, isAppError } from '../../../shared/src/errors';
import type { AttachmentRef } from '../../../shared/src/sync/attachments-protocol';
import {
  ATTACHMENT_API_PATHS,
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_COLLECTIONS,
  ATTACHMENT_DIGEST_HEADER,
  ATTACHMENT_STATUS_BATCH,
  AttachmentChunkResponseSchema,
  AttachmentRefSchema,
  AttachmentStatusResponseSchema,
  declaredAttachments,
} from '../../../shared/src/sync/attachments-protocol';
import type { ClinicDatabase } from '../db/clinic-database';
import { endpointUrl } from './endpoints';
import type { FetchLike, SyncSession } from './session';
import { errorOf, fetchOrOffline, readJson } from './session';

/**
 * Files of documents (RxDB attachments: DICOM instances, scans) between this workstation and
 * the sync server, beside the document replication (which carries no `_attachments`).
 *
 * - Upload: every local file of a document the server has is offered (status in batches);
 *   what the server lacks is sent in chunks from the byte it holds, so an upload cut by a
 *   vanished server resumes there at the next run. The local copy is never touched: nothing
 *   is lost whatever happens to the server mid-upload. A document not yet pushed is refused
 *   (SYNC_ATTACHMENT_UNKNOWN) and offered again at the next run.
 * - Download: on demand (the viewer asks for an instance this workstation lacks), streamed,
 *   checked against the digest the server sends, then stored in the local vault (encrypted
 *   like any attachment) on the document, so the next read is local.
 */
export type AttachmentSync = {
  /** Offers every local file to the server and uploads what it lacks. */
  uploadPending(): Promise<{ readonly offered: number; readonly uploaded: number; readonly refused: number }>;
  /** Downloads one file, checks its digest, stores it on the local document; resolves with its bytes. */
  download(collection: (typeof ATTACHMENT_COLLECTIONS)[number], documentId: string, attachmentId: string): Promise<Uint8Array>;
};

export type AttachmentSyncOptions = {
  readonly db: ClinicDatabase;
  readonly serverUrl: string;
  readonly session: SyncSession;
  readonly fetch?: FetchLike;
  readonly chunkBytes?: number;
};

type LocalFile = { ref: AttachmentRef; type: string; doc: RxDocument<unknown> };

const path = (template: string, params: Record<string, string>): string =>
  template.replace(/:([a-zA-Z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));

export function createAttachmentSync(options: AttachmentSyncOptions): AttachmentSync {
  const f = options.fetch ?? fetch;
  const chunkBytes = Math.min(options.chunkBytes ?? ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES);
  const { session } = options;
  // Files the server already holds completely, or this user may not upload (this session:
  // one per login): not offered again, so a workstation with thousands of instances does not
  // ask about all of them every run.
  const known = new Set<string>();
  const keyOf = (r: AttachmentRef): string => `${r.collection}\u0000${r.documentId}\u0000${r.attachmentId}\u0000${r.digest}`;

  /** One request with the session's access token; one refresh and retry after a 401. */
  const request = async (url: string, init: RequestInit): Promise<Response> => {
    const once = async (): Promise<Response> => {
      const token = await session.accessToken();
      const res = await fetchOrOffline(f, url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
      if (res.status === 401) session.invalidate(token);
      return res;
    };
    let res = await once();
    if (res.status === 401) {
      await res.body?.cancel();
      res = await once();
    }
    return res;
  };

  const localFiles = async (): Promise<LocalFile[]> => {
    const out: LocalFile[] = [];
    for (const name of ATTACHMENT_COLLECTIONS) {
      const collection = options.db.collections[name] as unknown as RxCollection<unknown>;
      for (const doc of await collection.find().exec()) {
        const declared = declaredAttachments(name, doc.toJSON() as Record<string, unknown>);
        for (const att of doc.allAttachments()) {
          if (!declared.has(att.id)) continue;
          const ref = AttachmentRefSchema.safeParse({ collection: name, documentId: doc.primary, attachmentId: att.id, digest: att.digest, length: att.length });
          if (ref.success) out.push({ ref: ref.data, type: att.type || 'application/octet-stream', doc });
        }
      }
    }
    return out;
  };

  const upload = async (file: LocalFile, from: number): Promise<void> => {
    const attachment = file.doc.getAttachment(file.ref.attachmentId);
    if (!attachment) return;
    const blob = await attachment.getData();
    let offset = from;
    for (let guard = 0; guard < 100_000; guard++) {
      const chunk = new Uint8Array(await blob.slice(offset, offset + chunkBytes).arrayBuffer());
      const url = `${endpointUrl(options.serverUrl, path(ATTACHMENT_API_PATHS.chunk, { collection: file.ref.collection, documentId: file.ref.documentId, attachmentId: file.ref.attachmentId, digest: file.ref.digest }))}?offset=${offset}&length=${file.ref.length}&type=${encodeURIComponent(file.type)}`;
      const res = await request(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: chunk });
      if (res.status === 409) {
        // Out of step (another run of this workstation, or an answer lost): resume where the server is.
        const error = await errorOf(res);
        const received = Number(error.params?.['received']);
        if (!Number.isInteger(received) || received < 0 || received > file.ref.length) throw error;
        offset = received;
        continue;
      }
      if (!res.ok) throw await errorOf(res);
      const answer = await readJson(res, AttachmentChunkResponseSchema, 'attachments');
      if (answer.complete) return;
      offset = answer.received;
    }
  };

  return {
    async uploadPending() {
      const files = (await localFiles()).filter((f) => !known.has(keyOf(f.ref)));
      let uploaded = 0;
      let refused = 0;
      for (let i = 0; i < files.length; i += ATTACHMENT_STATUS_BATCH) {
        const batch = files.slice(i, i + ATTACHMENT_STATUS_BATCH);
        const res = await request(endpointUrl(options.serverUrl, ATTACHMENT_API_PATHS.status), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ items: batch.map((b) => b.ref) }),
        });
        if (!res.ok) throw await errorOf(res);
        const status = await readJson(res, AttachmentStatusResponseSchema, 'attachments');
        for (const [k, item] of status.items.entries()) {
          const file = batch[k];
          if (!file) continue;
          if (item.state === 'refused') {
            refused += 1;
            // Not this user's to upload (another user's files on a shared workstation, a role
            // without write rights): not asked again this session. A document the server does
            // not have yet (SYNC_ATTACHMENT_UNKNOWN) is offered again at the next run.
            if (item.code !== undefined && item.code.startsWith('ACCESS_')) known.add(keyOf(file.ref));
            continue;
          }
          if (item.state !== 'complete') {
            await upload(file, item.received);
            uploaded += 1;
          }
          known.add(keyOf(file.ref));
        }
      }
      return { offered: files.length, uploaded, refused };
    },

    async download(collection, documentId, attachmentId) {
      const res = await request(endpointUrl(options.serverUrl, path(ATTACHMENT_API_PATHS.file, { collection, documentId, attachmentId })), { method: 'GET' });
      if (!res.ok) throw await errorOf(res);
      const digest = res.headers.get(ATTACHMENT_DIGEST_HEADER) ?? '';
      const type = res.headers.get('content-type') ?? 'application/octet-stream';
      const bytes = new Uint8Array(await res.arrayBuffer());
      // A truncated or altered transfer is never stored.
      if (createHash('sha256').update(bytes).digest('hex') !== digest) throw new AppError('SYNC_ATTACHMENT_DIGEST');
      const docs = options.db.collections[collection] as unknown as RxCollection<unknown>;
      const doc = await docs.findOne(documentId).exec();
      if (!doc) throw new AppError('SYNC_ATTACHMENT_UNKNOWN');
      try {
        await doc.putAttachment({ id: attachmentId, data: new Blob([bytes], { type }), type });
        known.add(keyOf({ collection, documentId, attachmentId, digest, length: bytes.byteLength }));
      } catch (error) {
        // Stored or not, the bytes are good for this read; the next read downloads again.
        if (!isAppError(error)) return bytes;
        throw error;
      }
      return bytes;
    },
  };
}

/**
 * Runs `uploadPending` in the background: at start, every `intervalMs`, and when kicked
 * (the host kicks after each sync that left nothing pending, so files follow their freshly
 * pushed documents). One run at a time; a failed run (server gone, offline) waits for the
 * next tick, where the upload resumes at the bytes the server holds.
 */
export function scheduleUploads(
  sync: AttachmentSync,
  options: { readonly intervalMs?: number; readonly log?: (message: string, error?: unknown) => void } = {},
): { kick(): void; stop(): Promise<void>; readonly runs: number } {
  const intervalMs = options.intervalMs ?? 15_000;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let runs = 0;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = sync
      .uploadPending()
      .then(
        () => undefined,
        (e: unknown) => {
          if (!(isAppError(e) && (e.code === 'SYNC_CLIENT_OFFLINE' || e.code === 'SYNC_CLIENT_LOGIN_REQUIRED'))) options.log?.('attachment upload failed', e);
        },
      )
      .finally(() => {
        runs += 1;
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref?.();
  setTimeout(run, 0);
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    get runs() {
      return runs;
    },
  };
}
