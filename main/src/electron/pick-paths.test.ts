import { describe, expect, it } from 'vitest';
import { UntrustedSenderError } from './ipc';
import type { PickDialogOptions } from './pick-paths';
import { createPickPathsHandler, parsePickRequest, pickDialogOptions } from './pick-paths';

const top = { url: 'app://clinique/index.html', parent: null };

describe('imaging import open dialog', () => {
  it('parses only the known kinds with a short title', () => {
    expect(parsePickRequest({ kind: 'folder', title: 'Choisir' })).toEqual({
      kind: 'folder',
      title: 'Choisir',
    });
    expect(parsePickRequest({ kind: 'anything', title: 'x' })).toBeUndefined();
    expect(parsePickRequest({ kind: 'files', title: 'x'.repeat(201) })).toBeUndefined();
    expect(parsePickRequest('files')).toBeUndefined();
    expect(parsePickRequest(null)).toBeUndefined();
  });

  it('asks for several files, one folder, or one DICOMDIR file', () => {
    expect(pickDialogOptions({ kind: 'files', title: 't' }).properties).toEqual([
      'openFile',
      'multiSelections',
      'dontAddToRecent',
    ]);
    expect(pickDialogOptions({ kind: 'folder', title: 't' }).properties).toEqual([
      'openDirectory',
      'dontAddToRecent',
    ]);
    expect(pickDialogOptions({ kind: 'dicomdir', title: 't' }).properties).toEqual([
      'openFile',
      'dontAddToRecent',
    ]);
  });

  it('opens the dialog for the app frame only and answers the chosen paths', async () => {
    const shown: PickDialogOptions[] = [];
    const refused: (string | undefined)[] = [];
    const handler = createPickPathsHandler(
      async (o) => {
        shown.push(o);
        return { canceled: false, filePaths: ['/media/cdrom'] };
      },
      (url) => refused.push(url),
    );
    await expect(handler(top, { kind: 'folder', title: 'Dossier' })).resolves.toEqual(['/media/cdrom']);
    await expect(
      handler({ url: 'app://clinique/index.html', parent: {} }, { kind: 'folder', title: 'x' }),
    ).rejects.toBeInstanceOf(UntrustedSenderError);
    await expect(
      handler({ url: 'https://evil.example/', parent: null }, { kind: 'folder', title: 'x' }),
    ).rejects.toBeInstanceOf(UntrustedSenderError);
    await expect(handler(top, { kind: 'rm -rf', title: 'x' })).rejects.toThrow(TypeError);
    expect(shown).toHaveLength(1);
    expect(refused).toEqual(['app://clinique/index.html', 'https://evil.example/']);
  });

  it('answers nothing when the user cancels', async () => {
    const handler = createPickPathsHandler(async () => ({ canceled: true, filePaths: ['/ignored'] }));
    await expect(handler(top, { kind: 'files', title: 'x' })).resolves.toEqual([]);
  });
});
