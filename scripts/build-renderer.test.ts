/* eslint-disable security/detect-non-literal-fs-filename -- temp folders created by the test, and the repository's own build output. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, DEFAULT_TEMPLATE, inlineCodeProblems, renderIndexHtml, rendererBuildIsStale, RENDERER_ENTRY } from './build-renderer.mjs';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-renderer-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'style.css'), 'body { color: #123456; }\n');
  fs.writeFileSync(
    path.join(dir, 'src', 'main.tsx'),
    "import './style.css';\nconst el = <p>Bonjour</p>;\ndocument.body.dataset['x'] = String(el.type);\n",
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('index.html', () => {
  it('links app.css and app.js in the head of the default page', () => {
    const html = renderIndexHtml(DEFAULT_TEMPLATE, { css: true });
    expect(html).toContain('<link rel="stylesheet" href="app.css" />');
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html.indexOf('app.js')).toBeLessThan(html.indexOf('</head>'));
    expect(inlineCodeProblems(html)).toEqual([]);
    expect(renderIndexHtml(DEFAULT_TEMPLATE, { css: false })).not.toContain('app.css');
  });

  it('refuses what the CSP would block', () => {
    expect(inlineCodeProblems('<script>alert(1)</script>')).toEqual(['inline <script>']);
    expect(inlineCodeProblems('<script src="a.js">x()</script>')).toEqual(['inline <script>']);
    expect(inlineCodeProblems('<style>p{}</style>')).toEqual(['<style> element']);
    expect(inlineCodeProblems('<div style="color:red">')).toEqual(['style attribute']);
    expect(inlineCodeProblems('<body onload="x()">')).toEqual(['event handler attribute']);
    expect(inlineCodeProblems('<a href="javascript:x()">')).toEqual(['javascript: URL']);
    expect(() => renderIndexHtml('<html><head><script>1</script></head></html>', { css: false })).toThrow(/inline <script>/);
  });
});

describe('buildRenderer', () => {
  it('bundles an entry and its CSS into app.js, app.css and index.html, and knows when it is stale', async () => {
    const outdir = path.join(dir, 'out');
    await buildRenderer({ outdir, entry: path.join(dir, 'src', 'main.tsx'), template: path.join(dir, 'none.html') });
    expect(fs.readFileSync(path.join(outdir, 'app.css'), 'utf8')).toContain('#123456');
    expect(fs.readFileSync(path.join(outdir, 'app.js'), 'utf8')).toContain('Bonjour');
    const html = fs.readFileSync(path.join(outdir, 'index.html'), 'utf8');
    expect(html).toContain('src="app.js"');
    expect(html).toContain('href="app.css"');
    expect(rendererBuildIsStale({ outdir, sources: [path.join(dir, 'src')] })).toBe(false);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'src', 'style.css'), later, later);
    expect(rendererBuildIsStale({ outdir, sources: [path.join(dir, 'src')] })).toBe(true);
    expect(rendererBuildIsStale({ outdir: path.join(dir, 'missing'), sources: [] })).toBe(true);
  });

  it('fails on a template with inline code before bundling', async () => {
    fs.writeFileSync(path.join(dir, 'bad.html'), '<html><head></head><body onclick="x()"></body></html>');
    await expect(buildRenderer({ outdir: path.join(dir, 'out2'), entry: path.join(dir, 'src', 'main.tsx'), template: path.join(dir, 'bad.html') })).rejects.toThrow(
      /event handler attribute/,
    );
  });

  it('builds the real renderer (renderer/src/main.tsx)', async () => {
    expect(fs.existsSync(RENDERER_ENTRY)).toBe(true);
    const outdir = path.join(dir, 'real');
    await buildRenderer({ outdir });
    const js = fs.readFileSync(path.join(outdir, 'app.js'), 'utf8');
    expect(js.length).toBeGreaterThan(10_000);
    // zod's other locales are left out (Dutch here); its default English messages stay.
    expect(js).not.toContain('Ongeldige invoer');
    expect(js).toContain('Invalid input');
    expect(inlineCodeProblems(fs.readFileSync(path.join(outdir, 'index.html'), 'utf8'))).toEqual([]);
  }, 120_000);
});

describe('buildRenderer output folder', () => {
  it('refuses to empty a folder that is not a renderer build', async () => {
    const other = path.join(dir, 'precious');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'keep.txt'), 'x');
    await expect(buildRenderer({ outdir: other, entry: path.join(dir, 'src', 'main.tsx'), template: path.join(dir, 'none.html') })).rejects.toThrow(/refusing/);
    expect(fs.existsSync(path.join(other, 'keep.txt'))).toBe(true);
  });
});
