/* eslint-disable security/detect-non-literal-fs-filename -- walks this repository's own sources */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../shared/src/errors';

const root = path.resolve(import.meta.dirname, '..');
const LAYERS = ['shared', 'main', 'sync-server', 'renderer'];

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Codes raised in production code: AppError('X'…), err('X'…), and constants of *_ERROR_CODES maps. */
function raisedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of LAYERS.flatMap((l) => sources(path.join(root, l)))) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const m of text.matchAll(/\b(?:AppError|err)\(\s*'([A-Z][A-Z0-9_]+)'/g)) found.set(m[1] as string, rel);
    for (const block of text.matchAll(/_ERROR_CODES\s*=\s*\{([^}]*)\}/g)) {
      for (const m of (block[1] as string).matchAll(/'([A-Z][A-Z0-9_]+)'/g)) found.set(m[1] as string, rel);
    }
  }
  return found;
}

describe('error codes in the sources', () => {
  const raised = raisedCodes();

  it('finds codes (the scan works)', () => {
    expect(raised.get('VAULT_WRONG_PASSPHRASE')).toBeDefined();
    expect(raised.get('STORAGE_WORKER_CRASHED')).toBeDefined();
  });

  it('every code the code can raise has its fr/de/en messages in the catalogue', () => {
    const missing = [...raised].filter(([code]) => !(code in ERROR_MESSAGES)).map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
  });
});
