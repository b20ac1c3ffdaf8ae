import type { ErrorPayload } from '../../../shared/src/errors';
import type { DicomFileIndex } from '../../../shared/src/dicom';

/** Messages between the import (main process) and the DICOM worker thread. Plain, structured-cloneable data. */

/** One input file as the scan saw it. */
export type ScannedFile =
  | {
      readonly path: string;
      readonly status: 'indexed';
      readonly size: number;
      /** SHA-256 of the bytes that were indexed: the commit checks the file still has them. */
      readonly sha256: string;
      readonly index: DicomFileIndex;
      /** How the file was found: its DICOMDIR record, or a folder walk / a named file. */
      readonly via: 'dicomdir' | 'path';
      /** A data set without Part 10 header, of this transfer syntax: a header is added when it is stored. */
      readonly raw?: string;
    }
  | {
      readonly path: string;
      /** skipped: not DICOM (a CD's viewer, a README); failed: DICOM that cannot be imported. */
      readonly status: 'skipped' | 'failed';
      readonly error: ErrorPayload;
      readonly via: 'dicomdir' | 'path';
    };

/** A file to read again for storing; `wrap` gives a bare data set its Part 10 header. */
export type LoadRequest = {
  readonly path: string;
  readonly sha256: string;
  readonly wrap?: { readonly sopClassUid: string; readonly sopInstanceUid: string; readonly transferSyntaxUid: string };
};

export type OwnerToDicomWorker =
  | {
      readonly type: 'scan';
      readonly id: number;
      readonly paths: readonly string[];
      readonly maxFileBytes: number;
    }
  | { readonly type: 'cancel'; readonly id: number }
  | {
      readonly type: 'load';
      readonly id: number;
      readonly files: readonly LoadRequest[];
    };

export type DicomWorkerToOwner =
  | { readonly type: 'ready' }
  /** Inputs expanded: how many files the scan will look at. */
  | { readonly type: 'scan-total'; readonly id: number; readonly total: number }
  | { readonly type: 'scan-file'; readonly id: number; readonly file: ScannedFile }
  | { readonly type: 'scan-done'; readonly id: number; readonly cancelled: boolean }
  | {
      readonly type: 'loaded';
      readonly id: number;
      readonly path: string;
      /** The file's bytes (transferred), or why they could not be given. */
      readonly bytes?: Uint8Array;
      readonly error?: ErrorPayload;
    }
  | { readonly type: 'load-done'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly error: ErrorPayload };
