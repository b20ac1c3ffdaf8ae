/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishExclusive, readFileIfExists, siblingTempPath, writeFileAtomic } from './atomic-file';
import { tempDir } from './test-support';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('vault-atomic-');
});
afterEach(() => tmp.cleanup());

describe('atomic files', () => {
  it('writeFileAtomic replaces the content whole, owner-only, and leaves no temp file', () => {
    const file = path.join(tmp.dir, 'keys.json');
    writeFileAtomic(file, 'ancien');
    writeFileAtomic(file, 'nouveau');
    expect(fs.readFileSync(file, 'utf8')).toBe('nouveau');
    expect(fs.readdirSync(tmp.dir)).toEqual(['keys.json']);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writeFileAtomic leaves the old file intact and no temp file when the rename fails', () => {
    const target = path.join(tmp.dir, 'occupied');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(target, 'x')).toThrow();
    expect(fs.readdirSync(tmp.dir)).toEqual(['occupied']);
  });

  it('publishExclusive never replaces an existing file', () => {
    const target = path.join(tmp.dir, 'clinic.sqlite');
    fs.writeFileSync(target, 'existant');
    const tmpFile = siblingTempPath(target, 'creating');
    fs.writeFileSync(tmpFile, 'nouveau');
    expect(() => publishExclusive(tmpFile, target)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(fs.readFileSync(target, 'utf8')).toBe('existant');
    fs.rmSync(tmpFile);
    const fresh = path.join(tmp.dir, 'fresh');
    const tmp2 = siblingTempPath(fresh, 'creating');
    fs.writeFileSync(tmp2, 'ok');
    publishExclusive(tmp2, fresh);
    expect(readFileIfExists(fresh)?.toString()).toBe('ok');
    expect(fs.existsSync(tmp2)).toBe(false);
    expect(readFileIfExists(path.join(tmp.dir, 'absent'))).toBeUndefined();
  });
});
