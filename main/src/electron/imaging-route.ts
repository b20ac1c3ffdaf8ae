// The image byte route of both transports: `GET /imaging/<studyId>/<sopInstanceUid>` answers
// the stored DICOM Part 10 file of one instance. Electron serves it on app://clinique (main.ts),
// browser mode on http://127.0.0.1:<port> (../browser-mode/server.ts). Both call the host's
// readImagingInstance; this module holds the path checks and the status/header mapping, and
// imports no 'electron', so it is tested under plain Node.
import type { ErrorPayload } from '../../../shared/src/errors';
import { DocumentIdSchema } from '../../../shared/src/schemas';
import { DicomUidSchema } from '../../../shared/src/schemas/imaging-study';
import type { SenderFrame } from './security';
import { APP_HOST, isTrustedSender } from './security';

export const IMAGING_ROUTE_PREFIX = '/imaging/';

export type ImagingBytesResult = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: ErrorPayload };

/** What the route needs of the host (main/src/host: `host.readImagingInstance`). */
export type ImagingInstanceReader = (studyId: string, sopInstanceUid: string) => Promise<ImagingBytesResult>;

export type ImagingRouteAnswer = {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The file, or `{ "code": … }` for an error; null for HEAD-less empty answers (405). */
  readonly body: Uint8Array | string | null;
};

/** True when the raw path is under /imaging/ (whether or not it is a valid instance path). */
export function isImagingPath(rawPathname: string): boolean {
  return rawPathname === '/imaging' || rawPathname.startsWith(IMAGING_ROUTE_PREFIX);
}

/**
 * The study id and SOP Instance UID of a raw request path (as sent: no decoding, no query).
 * Exactly two segments after /imaging/, each matching its schema (ids are URL-safe by
 * construction, so a percent sign, a dot segment or any other character is refused).
 */
export function parseImagingPath(rawPathname: string): { studyId: string; sopInstanceUid: string } | undefined {
  if (!rawPathname.startsWith(IMAGING_ROUTE_PREFIX)) return undefined;
  const parts = rawPathname.slice(IMAGING_ROUTE_PREFIX.length).split('/');
  if (parts.length !== 2) return undefined;
  const [studyId, sopInstanceUid] = parts as [string, string];
  if (!DocumentIdSchema.safeParse(studyId).success || !DicomUidSchema.safeParse(sopInstanceUid).success) return undefined;
  return { studyId, sopInstanceUid };
}

/** HTTP status of an error code of readImagingInstance. */
export function statusOfCode(code: string): number {
  switch (code) {
    case 'IMAGING_STUDY_NOT_FOUND':
    case 'SYNC_ATTACHMENT_NOT_UPLOADED':
    case 'SYNC_ATTACHMENT_UNKNOWN':
      return 404;
    case 'SYNC_ATTACHMENT_DIGEST':
      return 502;
    case 'SYNC_CLIENT_OFFLINE':
      return 503;
    case 'ACCESS_CLINICAL_DENIED':
    case 'ACCESS_ROLE_NO_DOCUMENTS':
    case 'ACCESS_NO_GRANT':
      return 403;
    case 'VAULT_LOCKED':
    case 'APP_VAULT_BUSY':
    case 'APP_PROFILE_REQUIRED':
      return 423;
    case 'APP_CLOSED':
      return 503;
    default:
      return 500;
  }
}

const FILE_HEADERS = {
  'Content-Type': 'application/dicom',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

function errorAnswer(status: number, code: string, base: Record<string, string>): ImagingRouteAnswer {
  // Only the code: never data, never a message.
  return { status, headers: { ...base, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify({ code }) };
}

/**
 * Answers one request of the route. `baseHeaders` are the transport's security headers (CSP,
 * nosniff, CORP…). The path is checked before the host is asked anything: a malformed path
 * is 404 without touching the store. Only GET (405 otherwise, with Allow).
 */
export async function answerImagingRequest(
  read: ImagingInstanceReader,
  request: { readonly method: string; readonly rawPathname: string },
  baseHeaders: Record<string, string>,
  log: (line: string) => void = () => undefined,
): Promise<ImagingRouteAnswer> {
  if (request.method !== 'GET') return { status: 405, headers: { ...baseHeaders, Allow: 'GET' }, body: null };
  const target = parseImagingPath(request.rawPathname);
  if (target === undefined) return errorAnswer(404, 'IMAGING_STUDY_NOT_FOUND', baseHeaders);
  let result: ImagingBytesResult;
  try {
    result = await read(target.studyId, target.sopInstanceUid);
  } catch (error) {
    log(`imaging route: read failed (${error instanceof Error ? error.name : typeof error})`);
    return errorAnswer(500, 'APP_INTERNAL_ERROR', baseHeaders);
  }
  if (!result.ok) return errorAnswer(statusOfCode(result.error.code), result.error.code, baseHeaders);
  return { status: 200, headers: { ...baseHeaders, ...FILE_HEADERS, 'Content-Length': String(result.bytes.byteLength) }, body: result.bytes };
}

/**
 * Electron's `webRequest.onBeforeRequest` check for app://clinique/imaging/*: the protocol
 * handler does not see the requesting frame, so the request must come from the main frame of
 * a window of ours on the app origin (as the IPC sender check), and be a fetch/XHR: no
 * `<img>`, navigation, iframe or media element can pull a file. Other URLs: true (not ours to judge here).
 */
export function isImagingRequestAllowed(details: { readonly url: string; readonly resourceType?: string; readonly frame?: SenderFrame | null }): boolean {
  let url: URL;
  try {
    url = new URL(details.url);
  } catch {
    return false;
  }
  if (url.protocol !== 'app:' || url.host !== APP_HOST || !isImagingPath(url.pathname)) return true;
  if (details.resourceType !== 'xhr' && details.resourceType !== 'fetch') return false;
  return isTrustedSender(details.frame ?? null);
}

/** The protocol handler's own checks (Electron): host `clinique` and `Sec-Fetch-Site: same-origin`. */
export function isImagingFetchSameOrigin(headers: { get(name: string): string | null }): boolean {
  return headers.get('sec-fetch-site') === 'same-origin';
}
