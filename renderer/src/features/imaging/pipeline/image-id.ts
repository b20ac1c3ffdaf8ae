/**
 * Image ids of the vault loader (agreed in the imaging notes):
 * `vault:<studyId>/<sopInstanceUid>` for a single-frame instance and
 * `vault:<studyId>/<sopInstanceUid>?frame=<n>` (n from 0) for a frame of a multi-frame one.
 */
export const VAULT_SCHEME = 'vault';

export type VaultImageId = {
  readonly studyId: string;
  readonly sopInstanceUid: string;
  /** Frame index from 0 (0 when the id names no frame). */
  readonly frame: number;
};

const STUDY_ID = /^[A-Za-z0-9_.:-]{1,200}$/;
const UID = /^[0-9.]{1,64}$/;
const FRAME = /^(?:0|[1-9][0-9]{0,5})$/;

/** The parts of a vault image id, or undefined for anything else. */
export function parseImageId(id: string): VaultImageId | undefined {
  const prefix = `${VAULT_SCHEME}:`;
  if (!id.startsWith(prefix)) return undefined;
  const [path = '', query, ...more] = id.slice(prefix.length).split('?');
  if (more.length > 0) return undefined;
  const slash = path.lastIndexOf('/');
  const studyId = path.slice(0, slash);
  const sopInstanceUid = path.slice(slash + 1);
  if (slash < 0 || !STUDY_ID.test(studyId) || !UID.test(sopInstanceUid)) return undefined;
  if (query === undefined) return { studyId, sopInstanceUid, frame: 0 };
  const frame = query.startsWith('frame=') ? query.slice('frame='.length) : '';
  return FRAME.test(frame) ? { studyId, sopInstanceUid, frame: Number(frame) } : undefined;
}

/** One image id per frame: a single-frame instance has one id without `?frame=`. */
export function imageIdsForInstance(studyId: string, sopInstanceUid: string, frames = 1): string[] {
  const base = `${VAULT_SCHEME}:${studyId}/${sopInstanceUid}`;
  if (!(frames > 1)) return [base];
  return Array.from({ length: Math.floor(frames) }, (_, i) => `${base}?frame=${i}`);
}

/** The instance part of an image id (cache key of the parsed file). */
export function instanceKey(id: VaultImageId): string {
  return `${id.studyId}/${id.sopInstanceUid}`;
}
