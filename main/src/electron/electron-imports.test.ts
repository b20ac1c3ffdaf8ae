/* eslint-disable security/detect-non-literal-fs-filename -- walks the repository's own source folder. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Requiring 'electron' under plain Node tries to download the runtime: only the two Electron
// entries may import it at run time; every other module uses `import type` at most.
const ALLOWED = new Set(['main/src/electron/main.ts', 'main/src/electron/preload.ts']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('electron imports', () => {
  it('only main.ts and preload.ts import electron at run time', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const offenders: string[] = [];
    for (const file of sources(path.join(root, 'main/src'))) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const text = fs.readFileSync(file, 'utf8');
      // eslint-disable-next-line security/detect-unsafe-regex -- fixed pattern run over our own source files
      const runtime = /^\s*import\s+(?!type\b)[^;]*?from\s+['"]electron(\/[^'"]*)?['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/m;
      if (runtime.test(text) && !ALLOWED.has(rel)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});
