/* eslint-disable security/detect-non-literal-fs-filename -- paths are the ones the user chose to import and what lies under them */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { ErrorPayload } from '../../../shared/src/errors';
import {
  extractFileIndex,
  hasPart10Prefix,
  parseDicomPart10,
  rawDataSetTransferSyntax,
  readDicomdir,
  wrapInPart10,
} from '../../../shared/src/dicom';
import type { LoadRequest, ScannedFile } from './protocol';

/**
 * The file-system half of the import, run inside the DICOM worker thread: expanding the
 * user's inputs (files, folders, DICOMDIR media) into files, then reading and indexing
 * each one. Nothing here writes anywhere.
 */

export type Candidate = {
  readonly path: string;
  readonly via: 'dicomdir' | 'path';
  /** Known failure before reading (a DICOMDIR record whose file is not on the medium, a path that does not exist). */
  readonly error?: ErrorPayload;
};

const MAX_DEPTH = 32;
const MAX_FILES = 200_000;

const isDicomdirName = (name: string): boolean => name.toUpperCase() === 'DICOMDIR' || name.toUpperCase() === 'DICOMDIR.';

/** A CD file name as ISO 9660 may show it: case, a trailing dot, a ";1" version. */
function mediaName(name: string): string {
  return name.replace(/;\d+$/, '').replace(/\.$/, '').toUpperCase();
}

/**
 * Resolves Referenced File ID components under `base` whatever the case of the names on
 * the medium (and an ISO 9660 ";1" version or trailing dot). Where several entries match a
 * component (a copy on a case-sensitive disk), each is tried.
 */
export async function resolveFileId(
  base: string,
  components: readonly string[],
  listing: Map<string, Dirent[]> = new Map(),
): Promise<string | undefined> {
  const [component, ...rest] = components;
  if (component === undefined) return base;
  let entries = listing.get(base);
  if (!entries) {
    entries = await fs.readdir(base, { withFileTypes: true }).catch(() => [] as Dirent[]);
    listing.set(base, entries);
  }
  const last = rest.length === 0;
  const wanted = mediaName(component);
  const matches = entries
    .filter((e) => (last ? e.isFile() : e.isDirectory()) && mediaName(e.name) === wanted)
    .sort((a, b) => Number(b.name === component) - Number(a.name === component));
  for (const match of matches) {
    const found = await resolveFileId(path.join(base, match.name), rest, listing);
    if (found !== undefined) return found;
  }
  return undefined;
}

async function fromDicomdir(file: string): Promise<Candidate[] | ErrorPayload> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch {
    return { code: 'IMAGING_FILE_UNREADABLE' };
  }
  const parsed = parseDicomPart10(bytes, { inflateRaw: (b) => inflateRawSync(b) });
  if (!parsed.ok) return { code: 'DICOMDIR_MALFORMED' };
  const dir = readDicomdir(parsed.value);
  if (!dir.ok) return dir.error;
  const base = path.dirname(file);
  const listing = new Map<string, Dirent[]>();
  const out: Candidate[] = [];
  for (const ref of dir.value.files) {
    const resolved = await resolveFileId(base, ref.fileId, listing);
    out.push(
      resolved === undefined
        ? { path: path.join(base, ...ref.fileId), via: 'dicomdir', error: { code: 'DICOMDIR_FILE_MISSING', params: { fileId: ref.fileId.join('/') } } }
        : { path: resolved, via: 'dicomdir' },
    );
  }
  return out;
}

/**
 * Files to look at, in a stable order. A folder holding a DICOMDIR is read through it
 * (a CD also carries viewers and readme files that are not part of the set); a DICOMDIR
 * that cannot be read gets its own failed entry and its folder is walked instead.
 */
export async function expandInputs(paths: readonly string[], cancelled: () => boolean): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (c: Candidate): void => {
    const key = path.resolve(c.path);
    if (seen.has(key) || out.length >= MAX_FILES) return;
    seen.add(key);
    out.push(c);
  };
  const useDicomdir = async (file: string): Promise<boolean> => {
    const listed = await fromDicomdir(file);
    if (Array.isArray(listed)) {
      listed.forEach(add);
      return true;
    }
    add({ path: file, via: 'path', error: listed });
    return false;
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || cancelled()) return;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
    const dicomdir = entries.find((e) => e.isFile() && isDicomdirName(e.name));
    if (dicomdir && (await useDicomdir(path.join(dir, dicomdir.name)))) return;
    const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of sorted) {
      // Symbolic links are not followed: a link loop or a link out of the medium is not the user's choice.
      if (entry.isFile() && !(dicomdir && entry.name === dicomdir.name)) add({ path: path.join(dir, entry.name), via: 'path' });
      else if (entry.isDirectory()) await walk(path.join(dir, entry.name), depth + 1);
    }
  };
  for (const input of paths) {
    if (cancelled()) break;
    const stat = await fs.lstat(input).catch(() => undefined);
    if (!stat) add({ path: input, via: 'path', error: { code: 'IMAGING_PATH_NOT_FOUND' } });
    else if (stat.isDirectory()) await walk(input, 0);
    else if (stat.isFile() && isDicomdirName(path.basename(input))) {
      if (!(await useDicomdir(input))) await walk(path.dirname(input), 0);
    } else if (stat.isFile()) add({ path: input, via: 'path' });
    else add({ path: input, via: 'path', error: { code: 'IMAGING_PATH_NOT_FOUND' } });
  }
  return out;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readHead(file: string, length: number): Promise<Uint8Array | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Reads and indexes one file. Never throws: every outcome is a ScannedFile. */
export async function scanFile(candidate: Candidate, maxFileBytes: number): Promise<ScannedFile> {
  const { path: file, via } = candidate;
  if (candidate.error) return { path: file, via, status: 'failed', error: candidate.error };
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return { path: file, via, status: 'failed', error: { code: 'IMAGING_FILE_UNREADABLE' } };
  if (stat.size > maxFileBytes) {
    return { path: file, via, status: 'failed', error: { code: 'IMAGING_FILE_TOO_LARGE', params: { maxMiB: Math.floor(maxFileBytes / 2 ** 20) } } };
  }
  // The first bytes tell whether the file can be DICOM: a CD's installer or video is not read whole.
  const head = await readHead(file, 132);
  if (head === undefined) return { path: file, via, status: 'failed', error: { code: 'IMAGING_FILE_UNREADABLE' } };
  if (!hasPart10Prefix(head) && rawDataSetTransferSyntax(head) === undefined) {
    return { path: file, via, status: 'skipped', error: { code: 'DICOM_NOT_DICOM' } };
  }
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch {
    return { path: file, via, status: 'failed', error: { code: 'IMAGING_FILE_UNREADABLE' } };
  }
  if (!hasPart10Prefix(bytes)) {
    // Perhaps a bare data set (old media): indexed only if it reads as a whole instance.
    const raw = rawDataSetTransferSyntax(bytes);
    const parsed = raw === undefined ? undefined : parseDicomPart10(bytes, { rawTransferSyntax: raw });
    const indexed = parsed?.ok ? extractFileIndex(parsed.value, { rawTransferSyntax: raw }) : undefined;
    if (raw === undefined || !indexed?.ok) return { path: file, via, status: 'skipped', error: { code: 'DICOM_NOT_DICOM' } };
    return { path: file, via, status: 'indexed', size: bytes.length, sha256: sha256(bytes), index: indexed.value, raw };
  }
  const parsed = parseDicomPart10(bytes, { inflateRaw: (b) => inflateRawSync(b) });
  if (!parsed.ok) {
    return { path: file, via, status: parsed.error.code === 'DICOM_NOT_DICOM' ? 'skipped' : 'failed', error: parsed.error };
  }
  const indexed = extractFileIndex(parsed.value);
  if (!indexed.ok) return { path: file, via, status: 'failed', error: indexed.error };
  return { path: file, via, status: 'indexed', size: bytes.length, sha256: sha256(bytes), index: indexed.value };
}

/** The bytes of a file to store, if they are still the ones that were indexed. */
export async function loadVerified(request: LoadRequest): Promise<{ bytes: Uint8Array } | { error: ErrorPayload }> {
  let buffer: Buffer;
  try {
    buffer = await fs.readFile(request.path);
  } catch {
    return { error: { code: 'IMAGING_FILE_UNREADABLE' } };
  }
  if (sha256(buffer) !== request.sha256) return { error: { code: 'IMAGING_FILE_CHANGED' } };
  if (request.wrap) return { bytes: wrapInPart10(buffer, request.wrap) };
  // A copy that owns its ArrayBuffer, so it can be transferred (a Buffer may share a pool).
  return { bytes: new Uint8Array(buffer) };
}
