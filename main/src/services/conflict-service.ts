import type { ConflictView } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
import type { CollectionName, Encounter, PatientNameParts } from '../../../shared/src/schemas';
import { checkEncounterUpdate, dataClassOf, parseDocument, patientSearchKeys } from '../../../shared/src/schemas';
import type { SyncConflict } from '../../../shared/src/sync/conflicts';
import type { Access } from './access';
import { refusalFor } from './access';
import type { ServiceDeps } from './context';
import { instantOf } from './context';
import { plain } from './plain';

export type ConflictChoice = 'local' | 'server' | 'combined';

export type ConflictService = {
  /** Open conflicts the actor may see (a secretary: administrative documents only), oldest first. */
  list(): Promise<ConflictView[]>;
  resolve(id: string, choice: ConflictChoice, value?: unknown): Promise<void>;
};

function decode(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sets a dotted path of a plain document (objects created as needed); undefined removes the field. */
function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    const next = Object.hasOwn(cur, part) ? cur[part] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] as string;
  if (value === undefined) Reflect.deleteProperty(cur, last);
  else cur[last] = value;
}

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * The conflicts inbox: lists the fields the replication could not merge (both values, the
 * common base) and resolves them with the local value, the server's, or a value the user
 * combined from both. The resolution is a normal local edit of the document, validated by
 * its schema and the signed-entries rule, audited, and pushed by the replication.
 */
export function createConflictService(
  deps: ServiceDeps & { readonly access: Access; readonly label?: (patientId: string) => string | undefined },
): ConflictService {
  const { db, access } = deps;

  const classOf = async (c: SyncConflict): Promise<'administrative' | 'clinical'> => {
    let doc: unknown;
    if (c.collectionName === 'document') doc = (await db.document.findOne(c.documentId).exec())?.toJSON();
    const cls = dataClassOf(c.collectionName, doc);
    return cls === 'administrative' ? 'administrative' : 'clinical';
  };

  return {
    async list() {
      const actor = deps.actor();
      const records = await db.sync_conflict.find({ selector: { status: 'open' }, sort: [{ detectedAt: 'asc' }] }).exec();
      const out: ConflictView[] = [];
      const patients = new Set<string>();
      for (const r of records) {
        const c = plain<SyncConflict>(r.toJSON());
        if (refusalFor(actor.role, await classOf(c)) !== null) continue;
        const patientId = c.patientId;
        if (patientId !== undefined) patients.add(patientId);
        const label = patientId === undefined ? undefined : deps.label?.(patientId);
        const local = decode(c.localValue);
        const server = decode(c.serverValue);
        const base = decode(c.baseValue);
        out.push({
          id: c.id,
          collection: c.collectionName,
          documentId: c.documentId,
          ...(patientId === undefined ? {} : { patientId }),
          ...(label === undefined ? {} : { patientLabel: label }),
          path: c.path,
          ...(base === undefined ? {} : { baseValue: base as never }),
          ...(local === undefined ? {} : { localValue: local as never }),
          ...(server === undefined ? {} : { serverValue: server as never }),
          detectedAt: c.detectedAt,
        });
      }
      // Both values of each field are patient data shown on screen: one read event per patient.
      await access.record(
        actor,
        [...patients].map((patientId) => ({
          action: 'read' as const,
          dataClass: 'administrative' as const,
          patientId,
          object: { collection: 'sync_conflict', id: patientId },
        })),
      );
      return out;
    },

    async resolve(id, choice, value) {
      const recordDoc = await db.sync_conflict.findOne(id).exec();
      if (recordDoc === null || recordDoc.status !== 'open') throw new AppError('SYNC_CLIENT_CONFLICT_NOT_FOUND');
      const record = plain<SyncConflict>(recordDoc.toJSON());
      if (choice === 'combined' && value === undefined) throw new AppError('CONFLICT_VALUE_REQUIRED');
      const collection: CollectionName = record.collectionName;
      const dataClass = await classOf(record);
      await access.run(
        { action: 'update', dataClass, patientId: record.patientId, object: { collection, id: record.documentId } },
        async () => {
          const at = instantOf(deps.clock);
          if (choice !== 'server') {
            const chosen = choice === 'local' ? decode(record.localValue) : value;
            const coll = db.collections[collection] as unknown as {
              findOne(id: string): { exec(): Promise<{ toJSON(): unknown; remove(): Promise<unknown>; incrementalModify(f: (d: unknown) => unknown): Promise<unknown> } | null> };
            };
            const doc = await coll.findOne(record.documentId).exec();
            if (record.path === '_deleted') {
              // The merge kept the document whichever side deleted it: choosing the deletion deletes it now.
              if (chosen === true && doc !== null) await doc.remove();
            } else {
              if (doc === null) throw new AppError('SYNC_CLIENT_CONFLICT_DOCUMENT_MISSING');
              if (record.path.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) throw new AppError('CONFLICT_VALUE_INVALID', { path: record.path });
              const before = plain<Record<string, unknown>>(doc.toJSON());
              const next = structuredClone(before);
              if (record.path.startsWith('entries.') && collection === 'encounter') {
                const entryId = record.path.slice('entries.'.length);
                const entries = (next['entries'] as { id: string; signedAt?: string }[] | undefined) ?? [];
                const i = entries.findIndex((e) => e.id === entryId);
                if (i >= 0 && entries[i]?.signedAt !== undefined) throw new AppError('CONFLICT_SIGNED_ENTRY');
                if (chosen === undefined) {
                  if (i >= 0) entries.splice(i, 1);
                } else if (i >= 0) entries[i] = chosen as { id: string };
                else entries.push(chosen as { id: string });
                next['entries'] = entries;
              } else {
                setPath(next, record.path, chosen);
              }
              const prev = String(before['updatedAt'] ?? '');
              next['updatedAt'] = at > prev ? at : new Date(Date.parse(prev) + 1).toISOString();
              if (collection === 'patient') Object.assign(next, patientSearchKeys(next as unknown as PatientNameParts));
              const parsed = parseDocument(collection, next);
              if (!parsed.ok) throw new AppError('CONFLICT_VALUE_INVALID', { path: record.path });
              if (collection === 'encounter') {
                const checked = checkEncounterUpdate(before as unknown as Encounter, parsed.value as Encounter);
                if (!checked.ok) throw new AppError(checked.error.code, checked.error.params);
              }
              await doc.incrementalModify(() => parsed.value);
            }
          }
          // The record's schema knows local and server: a combined value is a local edit.
          await recordDoc.incrementalPatch({ status: 'resolved', resolvedAt: at, resolution: choice === 'server' ? 'server' : 'local' });
        },
      );
    },
  };
}
