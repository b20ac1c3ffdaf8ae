// The native open dialog of the imaging import, without 'electron': what the renderer may
// ask (files, a folder, a DICOMDIR), the dialog options for it, and the handler that checks
// the sender frame before opening anything. main.ts passes Electron's dialog in.
import type { SenderFrame } from './security';
import { isTrustedSender } from './security';
import { UntrustedSenderError } from './ipc';

/** IPC channel of the dialog (the preload uses the same constant). */
export const IPC_PICK_PATHS = 'clinique:pick-paths';

export const PICK_KINDS = ['files', 'folder', 'dicomdir'] as const;
export type PickKind = (typeof PICK_KINDS)[number];

/** The subset of Electron's OpenDialogOptions used here (kept structural so this module needs no 'electron'). */
export type PickDialogOptions = {
  title: string;
  properties: ('openFile' | 'openDirectory' | 'multiSelections' | 'dontAddToRecent')[];
  filters?: { name: string; extensions: string[] }[];
};

export type PickRequest = { readonly kind: PickKind; readonly title: string };

/** The renderer's request, parsed (it is untrusted input like any IPC message). */
export function parsePickRequest(value: unknown): PickRequest | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, title } = value as { kind?: unknown; title?: unknown };
  if (typeof kind !== 'string' || !(PICK_KINDS as readonly string[]).includes(kind)) return undefined;
  if (typeof title !== 'string' || title.length > 200) return undefined;
  return { kind: kind as PickKind, title };
}

/**
 * Files: several, any name (CDs often have extension-less IM0001 files). Folder: one, walked
 * by the import. DICOMDIR: the one file of a medium's root; not filtered by name either,
 * since some media name it `DICOMDIR.` or in lower case.
 */
export function pickDialogOptions(request: PickRequest): PickDialogOptions {
  switch (request.kind) {
    case 'files':
      return { title: request.title, properties: ['openFile', 'multiSelections', 'dontAddToRecent'] };
    case 'folder':
      return { title: request.title, properties: ['openDirectory', 'dontAddToRecent'] };
    case 'dicomdir':
      return { title: request.title, properties: ['openFile', 'dontAddToRecent'] };
  }
}

export type ShowOpenDialog = (
  options: PickDialogOptions,
) => Promise<{ canceled: boolean; filePaths: string[] }>;

/**
 * The handler of IPC_PICK_PATHS: refuses untrusted frames before anything else, then opens
 * the dialog and answers the chosen paths (empty when cancelled). The paths go back to the
 * page only; the import itself goes through imaging:import-start like any API call.
 */
export function createPickPathsHandler(
  show: ShowOpenDialog,
  onRefused: (frameUrl: string | undefined) => void = () => undefined,
): (senderFrame: SenderFrame | null | undefined, request: unknown) => Promise<string[]> {
  return async (senderFrame, request) => {
    if (!isTrustedSender(senderFrame)) {
      onRefused(senderFrame?.url);
      throw new UntrustedSenderError();
    }
    const parsed = parsePickRequest(request);
    if (!parsed) throw new TypeError('invalid pick-paths request');
    const result = await show(pickDialogOptions(parsed));
    return result.canceled ? [] : result.filePaths.slice(0, 1000);
  };
}
