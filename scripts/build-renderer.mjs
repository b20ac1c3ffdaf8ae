#!/usr/bin/env node
/* eslint-disable security/detect-non-literal-fs-filename -- paths are the repository's renderer sources and build folder (or a folder a test passes). */
// Bundles the React renderer with esbuild into dist/renderer/:
//   index.html   renderer/index.html (or a default page) with app.css and app.js linked
//   app.js       renderer/src/main.tsx and everything it imports (React, i18n resources, shared/)
//   app.css      every stylesheet those modules import
//   assets/      fonts and images they import
// The page is served under a strict CSP (script-src 'self'; style-src 'self'), so the HTML
// may hold no inline script, style element, style attribute or event handler attribute:
// the build fails on them rather than ship a page the CSP breaks.
//
//   node scripts/build-renderer.mjs [--outdir dist/renderer] [--dev] [--if-stale]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CODEC_ALIASES } from './codec-aliases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const RENDERER_ENTRY = path.join(root, 'renderer/src/main.tsx');
export const RENDERER_TEMPLATE = path.join(root, 'renderer/index.html');
export const RENDERER_OUTDIR = path.join(root, 'dist/renderer');
/** Folders whose files end up in the bundle: a change there makes the build stale. */
export const RENDERER_SOURCES = [path.join(root, 'renderer'), path.join(root, 'shared/src')];
const STAMP = '.build-stamp';

export const DEFAULT_TEMPLATE = `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Clinique</title>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`;

/**
 * What the CSP would refuse in a page: inline scripts, <style> elements, style="" and
 * on…="" attributes, javascript: URLs. Returns the problems found (empty when clean).
 * @param {string} html
 * @returns {string[]}
 */
export function inlineCodeProblems(html) {
  const problems = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = match[1] ?? '';
    if (!/\bsrc\s*=/i.test(attrs) || (match[2] ?? '').trim() !== '') problems.push('inline <script>');
  }
  if (/<style\b/i.test(html)) problems.push('<style> element');
  if (/\sstyle\s*=/i.test(html)) problems.push('style attribute');
  if (/\son[a-z]+\s*=/i.test(html)) problems.push('event handler attribute');
  if (/javascript:/i.test(html)) problems.push('javascript: URL');
  return problems;
}

/**
 * The served page: the template with the stylesheet and the module script linked in the
 * head (unless the template already links them).
 * @param {string} template
 * @param {{ css: boolean }} outputs
 */
export function renderIndexHtml(template, outputs) {
  const problems = inlineCodeProblems(template);
  if (problems.length > 0) throw new Error(`renderer/index.html: ${problems.join(', ')} (refused by the CSP)`);
  if (!/<\/head>/i.test(template)) throw new Error('renderer/index.html: no </head>');
  const tags = [];
  if (outputs.css && !/href=["']?\.?\/?app\.css/i.test(template)) tags.push('<link rel="stylesheet" href="app.css" />');
  if (!/src=["']?\.?\/?app\.js/i.test(template)) tags.push('<script type="module" src="app.js"></script>');
  if (tags.length === 0) return template;
  return template.replace(/<\/head>/i, `${tags.map((t) => `  ${t}\n`).join('')}  </head>`);
}

function newestMtime(target) {
  let newest = 0;
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'e2e' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/**
 * Whether dist/renderer must be (re)built: missing, or older than a source file.
 * @param {{ outdir?: string, sources?: string[] }} [options]
 */
export function rendererBuildIsStale(options = {}) {
  const outdir = options.outdir ?? RENDERER_OUTDIR;
  const builtAt = newestMtime(path.join(outdir, STAMP));
  if (builtAt === 0 || !fs.existsSync(path.join(outdir, 'index.html')) || !fs.existsSync(path.join(outdir, 'app.js'))) return true;
  return (options.sources ?? RENDERER_SOURCES).some((source) => newestMtime(source) > builtAt);
}

/**
 * zod's `z.locales` namespace (export * as locales) pulls every translation of its
 * messages into the bundle, about a quarter of app.js. The app never shows zod's own
 * messages (its issues carry the project's codes, translated from the shared catalogue)
 * and never calls z.config with another locale, so the namespace is replaced by one that
 * holds only English, the locale zod installs by default (its schemas import en.js
 * directly, so default messages are unchanged).
 * @returns {import('esbuild').Plugin}
 */
export function zodLocalesPlugin() {
  const zodDir = `${path.sep}node_modules${path.sep}zod${path.sep}`;
  return {
    name: 'zod-locales-en-only',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(zodDir) ? { path: path.join(path.dirname(args.importer), '../locales/index.js'), namespace: 'zod-locales' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
        contents: 'export { default as en } from "./en.js";\n',
        resolveDir: path.dirname(args.path),
        loader: 'js',
      }));
    },
  };
}

/**
 * The Emscripten builds of the imaging codecs (@cornerstonejs/codec-*) require Node's fs
 * and path on a branch taken only under Node; in the page they are never called. Those two
 * imports, from those packages only, resolve to an empty module instead of failing the build.
 * @returns {import('esbuild').Plugin}
 */
export function codecNodeBuiltinsPlugin() {
  const codecDir = `${path.sep}node_modules${path.sep}@cornerstonejs${path.sep}codec-`;
  return {
    name: 'codec-node-builtins',
    setup(b) {
      b.onResolve({ filter: /^(fs|path)$/ }, (args) => (args.importer.includes(codecDir) ? { path: args.path, namespace: 'codec-empty' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'codec-empty' }, () => ({ contents: 'module.exports = {};\n', loader: 'js' }));
    },
  };
}

/**
 * @param {{ outdir?: string, entry?: string, template?: string, dev?: boolean }} [options]
 * @returns {Promise<string[]>} the files written
 */
export async function buildRenderer(options = {}) {
  const outdir = path.resolve(root, options.outdir ?? RENDERER_OUTDIR);
  const entry = options.entry ?? RENDERER_ENTRY;
  if (!fs.existsSync(entry)) throw new Error(`renderer entry missing: ${path.relative(root, entry)}`);
  const templateFile = options.template ?? RENDERER_TEMPLATE;
  const template = fs.existsSync(templateFile) ? fs.readFileSync(templateFile, 'utf8') : DEFAULT_TEMPLATE;
  // Checked before bundling: a bad template fails fast.
  renderIndexHtml(template, { css: false });
  const dev = options.dev ?? false;
  // Emptied before the build, so only a folder that is missing, empty or an earlier build.
  if (fs.existsSync(outdir) && fs.readdirSync(outdir).length > 0 && !fs.existsSync(path.join(outdir, STAMP))) {
    throw new Error(`${outdir} is not a renderer build folder: refusing to empty it`);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: entry },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome128'],
    jsx: 'automatic',
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
    // .wasm: the imaging codecs, copied into assets/ and fetched from the app's own origin.
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.png': 'file', '.svg': 'file', '.jpg': 'file', '.wasm': 'file' },
    alias: CODEC_ALIASES,
    assetNames: 'assets/[name]-[hash]',
    // The project's packages, also for an entry outside the repository (tests).
    nodePaths: [path.join(root, 'node_modules')],
    metafile: true,
    plugins: [zodLocalesPlugin(), codecNodeBuiltinsPlugin()],
    logLevel: 'warning',
  });
  const css = fs.existsSync(path.join(outdir, 'app.css'));
  fs.writeFileSync(path.join(outdir, 'index.html'), renderIndexHtml(template, { css }));
  fs.writeFileSync(path.join(outdir, STAMP), `${new Date().toISOString()}\n`);
  return [...Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file)), path.join(outdir, 'index.html')];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--outdir');
  const outdir = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (args.includes('--if-stale') && !rendererBuildIsStale({ outdir: outdir && path.resolve(outdir) })) {
    process.stdout.write('dist/renderer is up to date\n');
  } else {
    const files = await buildRenderer({ outdir, dev: args.includes('--dev') });
    for (const file of files) process.stdout.write(`${path.relative(root, file)}\n`);
  }
}
