/* eslint-disable security/detect-non-literal-fs-filename -- test files in a temp folder the test creates. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPathnameOf, rendererRelativePath, resolveRendererFile } from './renderer-files';

let dir: string;
let root: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-files-'));
  root = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'app.js'), '');
  fs.writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  fs.writeFileSync(path.join(root, 'notes.xyz'), 'no type');
  fs.writeFileSync(path.join(dir, 'secret.js'), 'outside');
  fs.symlinkSync(path.join(dir, 'secret.js'), path.join(root, 'link.js'));
  fs.mkdirSync(path.join(root, 'folder.js'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('request path validation', () => {
  it('accepts plain relative paths and maps / to index.html', () => {
    expect(rendererRelativePath('/')).toBe('index.html');
    expect(rendererRelativePath('/app.js')).toBe('app.js');
    expect(rendererRelativePath('/assets/logo%20x.svg')).toBe('assets/logo x.svg');
  });

  it('refuses traversal in every spelling, and odd characters', () => {
    for (const p of [
      '/../secret.js',
      '/assets/../../secret.js',
      '/%2e%2e/secret.js',
      '/%2E%2E%2Fsecret.js',
      '/..%2fsecret.js',
      '/..%5csecret.js',
      '/assets\\..\\..\\secret.js',
      '/./app.js',
      '//etc/passwd',
      '/app.js%00.html',
      '/C:/Windows/win.ini',
      '/%E0%A4%A',
      'app.js',
      '',
    ]) {
      expect(rendererRelativePath(p), p).toBeUndefined();
    }
  });

  it('strips query and fragment without decoding', () => {
    expect(rawPathnameOf('/app.js?v=1#x')).toBe('/app.js');
    expect(rawPathnameOf('/%2e%2e/x')).toBe('/%2e%2e/x');
  });
});

describe('resolveRendererFile', () => {
  it('serves files of the build with their type', async () => {
    await expect(resolveRendererFile(root, '/')).resolves.toMatchObject({ ok: true, contentType: 'text/html; charset=utf-8' });
    const js = await resolveRendererFile(root, '/app.js');
    expect(js).toMatchObject({ ok: true, contentType: 'text/javascript; charset=utf-8' });
    expect(js.ok && js.file).toBe(path.join(fs.realpathSync(root), 'app.js'));
    await expect(resolveRendererFile(root, '/assets/logo.svg')).resolves.toMatchObject({ ok: true, contentType: 'image/svg+xml' });
  });

  it('falls back to index.html for routes without an extension', async () => {
    const r = await resolveRendererFile(root, '/patients/123');
    expect(r.ok && path.basename(r.file)).toBe('index.html');
  });

  it('refuses traversal, links out of the build, unknown types, folders and missing files', async () => {
    await expect(resolveRendererFile(root, '/../secret.js')).resolves.toEqual({ ok: false, status: 400 });
    await expect(resolveRendererFile(root, '/%2e%2e/secret.js')).resolves.toEqual({ ok: false, status: 400 });
    await expect(resolveRendererFile(root, '/link.js')).resolves.toEqual({ ok: false, status: 403 });
    await expect(resolveRendererFile(root, '/notes.xyz')).resolves.toEqual({ ok: false, status: 404 });
    await expect(resolveRendererFile(root, '/folder.js')).resolves.toEqual({ ok: false, status: 404 });
    await expect(resolveRendererFile(root, '/missing.js')).resolves.toEqual({ ok: false, status: 404 });
    await expect(resolveRendererFile(path.join(dir, 'nope'), '/app.js')).resolves.toEqual({ ok: false, status: 404 });
  });
});
