import { AppError } from '../../../shared/src/errors';
import type { ImagingStudy } from '../../../shared/src/schemas';
import type { Access } from '../services/access';
import { refusalFor } from '../services/access';
import type { ServiceDeps } from '../services/context';
import { plain } from '../services/plain';

export type ImagingStudyService = {
  /** The patient's studies, newest first, as plain validated documents (no file bytes). */
  list(patientId: string): Promise<ImagingStudy[]>;
  /**
   * The stored DICOM file of one instance (for the viewer's image loader). Audited once per
   * study, actor and service (one service per unlock): the first read of a study is a `read`
   * event on imaging_study/<studyId>; later reads of the same study in the session are
   * covered by it (a 300-slice CT would otherwise write 300 events per scroll through).
   * Refusals and failures are audited every time.
   */
  readInstance(studyId: string, sopInstanceUid: string): Promise<Uint8Array>;
};

/** Files this workstation lacks, from the sync server (../sync/attachment-sync.ts); undefined when not signed in. */
export type RemoteFiles = () => { download(collection: 'imaging_study', documentId: string, attachmentId: string): Promise<Uint8Array> } | undefined;

export function createImagingStudyService(deps: ServiceDeps & { readonly access: Access; readonly remoteFiles?: RemoteFiles }): ImagingStudyService {
  const { db, access } = deps;
  const auditedStudies = new Set<string>();
  return {
    list(patientId) {
      return access.run(
        { action: 'read', dataClass: 'clinical', patientId, object: { collection: 'imaging_study', id: patientId } },
        async () => {
          const docs = await db.imaging_study.find({ selector: { patientId }, sort: [{ createdAt: 'desc' }] }).exec();
          return docs.map((d) => plain<ImagingStudy>(d.toJSON()));
        },
      );
    },
    async readInstance(studyId, sopInstanceUid) {
      const doc = await db.imaging_study.findOne(studyId).exec();
      const read = async (): Promise<Uint8Array> => {
        const known = doc?.series.some((s) => s.instances.some((i) => i.sopInstanceUid === sopInstanceUid));
        const attachment = known ? doc?.getAttachment(sopInstanceUid) : null;
        if (doc && known && !attachment) {
          // A study pulled from another workstation: its files come from the server on demand
          // (checked against their digest, then kept in this vault).
          const remote = deps.remoteFiles?.();
          if (remote) return remote.download('imaging_study', studyId, sopInstanceUid);
          throw new AppError('SYNC_ATTACHMENT_NOT_UPLOADED');
        }
        if (!doc || !attachment) throw new AppError('IMAGING_STUDY_NOT_FOUND');
        return new Uint8Array(await (await attachment.getData()).arrayBuffer());
      };
      const actor = deps.actor();
      const key = `${actor.userId}\u0000${studyId}`;
      if (doc && auditedStudies.has(key) && refusalFor(actor.role, 'clinical') === null) {
        try {
          return await read();
        } catch {
          // A failure is on record like any other: through the choke point below.
        }
      }
      const bytes = await access.run(
        {
          action: 'read',
          dataClass: 'clinical',
          ...(doc ? { patientId: doc.patientId } : {}),
          object: { collection: 'imaging_study', id: studyId },
        },
        read,
      );
      auditedStudies.add(key);
      return bytes;
    },
  };
}
