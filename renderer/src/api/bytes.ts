import { AppError } from '../../../shared/src/errors';
import type { ApiTransport } from './transport';

/**
 * Byte routes of the host (outside the JSON envelope): `/imaging/<studyId>/<sopInstanceUid>`
 * answers an instance's DICOM Part 10 file. Only these paths are fetched: a transport never
 * builds a URL from anything else.
 */
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, each group starts with a fixed character: linear
const BYTES_PATH = /^\/imaging\/[0-9A-Za-z][0-9A-Za-z_-]{0,63}\/[0-9]+(?:\.[0-9]+)*$/;

export function isBytesPath(path: string): boolean {
  return BYTES_PATH.test(path) && path.length <= 200;
}

/** The route of one instance's file. */
export function instanceBytesPath(studyId: string, sopInstanceUid: string): string {
  return `/imaging/${encodeURIComponent(studyId)}/${encodeURIComponent(sopInstanceUid)}`;
}

/**
 * The DICOM file of one instance, for the Cornerstone image loader. Rejects with an AppError
 * whose code is from the catalogue (IMAGING_STUDY_NOT_FOUND, ACCESS_CLINICAL_DENIED,
 * VAULT_LOCKED, RENDERER_HOST_UNREACHABLE…).
 */
export function fetchInstanceBytes(api: Pick<ApiTransport, 'fetchBytes'>, studyId: string, sopInstanceUid: string): Promise<ArrayBuffer> {
  return api.fetchBytes(instanceBytesPath(studyId, sopInstanceUid));
}

const CODE = /^[A-Z][A-Z0-9_]{2,63}$/;

/**
 * Runs one fetch of a byte route and turns the answer into bytes or an AppError: the error
 * body is `{ "code": … }` (imaging-route.ts on the host); a network failure is
 * RENDERER_HOST_UNREACHABLE, an answer of another shape RENDERER_RESPONSE_INVALID.
 */
export async function fetchBytesWith(doFetch: () => Promise<Response>, path: string): Promise<ArrayBuffer> {
  if (!isBytesPath(path)) throw new AppError('IMAGING_STUDY_NOT_FOUND');
  let res: Response;
  try {
    res = await doFetch();
  } catch {
    throw new AppError('RENDERER_HOST_UNREACHABLE');
  }
  if (res.ok) {
    try {
      return await res.arrayBuffer();
    } catch {
      throw new AppError('RENDERER_HOST_UNREACHABLE');
    }
  }
  let code: unknown;
  try {
    code = ((await res.json()) as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  if (typeof code === 'string' && CODE.test(code)) throw new AppError(code);
  throw new AppError('RENDERER_RESPONSE_INVALID', { channel: 'imaging' });
}
