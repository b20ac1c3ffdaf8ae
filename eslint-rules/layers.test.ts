import path from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layersRule } from './layers.js';

const root = path.resolve(import.meta.dirname, '..');

function lint(file: string, code: string): string[] {
  const linter = new Linter({ cwd: root });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
        plugins: { house: { rules: { layers: layersRule } } },
        rules: { 'house/layers': 'error' },
      },
    ],
    { filename: path.join(root, file) },
  );
  return messages.map((m) => m.message);
}

describe('house/layers: the layer boundaries of DESIGN.md', () => {
  it('lets each layer import itself and shared', () => {
    expect(lint('main/src/a.ts', "import { x } from './b'; import { y } from '../../shared/src/c';")).toEqual([]);
    expect(lint('renderer/src/a.ts', "import { y } from '../../shared/src/c'; import React from 'react';")).toEqual([]);
    expect(lint('sync-server/src/a.ts', "import { y } from '../../shared/src/c'; import fs from 'node:fs';")).toEqual([]);
    expect(lint('shared/src/a/b.ts', "import { y } from '../c'; import { z } from 'zod';")).toEqual([]);
  });

  it('refuses imports across main, renderer and sync-server', () => {
    expect(lint('main/src/a.ts', "import { x } from '../../renderer/src/b';")[0]).toMatch(/"main" may not import from "renderer"/);
    expect(lint('renderer/src/a.ts', "export { x } from '../../main/src/b';")[0]).toMatch(/may not import from "main"/);
    expect(lint('sync-server/src/a.ts', "const m = import('../../main/src/b');")[0]).toMatch(/may not import from "main"/);
  });

  it('keeps shared free of every other layer, of Node built-ins and of Electron', () => {
    expect(lint('shared/src/a.ts', "import { x } from '../../main/src/b';")[0]).toMatch(/"shared" may not import from "main"/);
    expect(lint('shared/src/a.ts', "import fs from 'node:fs';")[0]).toMatch(/Node built-in/);
    expect(lint('shared/src/a.ts', "import { createHash } from 'crypto';")[0]).toMatch(/Node built-in/);
    expect(lint('shared/src/a.ts', "import { app } from 'electron';")[0]).toMatch(/Electron/);
  });

  it('keeps the renderer free of Node built-ins and Electron', () => {
    expect(lint('renderer/src/a.ts', "import path from 'path';")[0]).toMatch(/Node built-in/);
    expect(lint('renderer/src/a.ts', "import { ipcRenderer } from 'electron';")[0]).toMatch(/Electron/);
  });

  it('refuses a relative import that leaves the layer folders', () => {
    expect(lint('main/src/a.ts', "import { x } from '../../bench/b';")[0]).toMatch(/may not import from "bench/);
  });
});
