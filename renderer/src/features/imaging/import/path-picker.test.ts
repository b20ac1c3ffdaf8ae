import { describe, expect, it } from 'vitest';
import { pathPickerOf } from './path-picker';

describe('path picker', () => {
  it('is the preload’s pickPaths in Electron, keeping only non-empty strings', async () => {
    const asked: unknown[] = [];
    const win = {
      clinique: {
        pickPaths: async (r: unknown) => {
          asked.push(r);
          return ['/media/cdrom', '', 42, '/home/u/IRM'];
        },
      },
    } as unknown as Window;
    const pick = pathPickerOf(win);
    expect(pick).toBeDefined();
    await expect(pick?.('folder', 'Dossier')).resolves.toEqual(['/media/cdrom', '/home/u/IRM']);
    expect(asked).toEqual([{ kind: 'folder', title: 'Dossier' }]);
  });
  it('is absent in browser mode (no bridge, or a bridge without the dialog)', async () => {
    expect(pathPickerOf({} as Window)).toBeUndefined();
    expect(pathPickerOf({ clinique: { invoke: () => undefined } } as unknown as Window)).toBeUndefined();
    const odd = pathPickerOf({ clinique: { pickPaths: async () => 'nope' } } as unknown as Window);
    await expect(odd?.('files', 't')).resolves.toEqual([]);
  });
});
