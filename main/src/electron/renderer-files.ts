/* eslint-disable security/detect-non-literal-fs-filename -- paths are resolved below the renderer build folder and checked to stay inside it (realpath included). */
// Maps a request path to a file of the renderer build (dist/renderer). Used by the app://
// protocol handler (Electron) and by the browser-mode HTTP server. No 'electron' import.
import fs from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export type RendererFile =
  | { readonly ok: true; readonly file: string; readonly contentType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404 };

export const INDEX_FILE = 'index.html';

/**
 * Validates a request path (as sent, still percent-encoded, query and fragment removed)
 * without touching the disk: `undefined` when it is not a plain relative file path.
 * Refused: `..` and `.` segments (also percent-encoded), backslashes, NUL and control
 * characters, empty segments, drive letters, bad percent-encoding.
 */
export function rendererRelativePath(rawPathname: string): string | undefined {
  if (!rawPathname.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPathname);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\:]/.test(decoded)) return undefined;
  const rel = decoded.slice(1);
  if (rel === '') return INDEX_FILE;
  const segments = rel.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return segments.join('/');
}

export function contentTypeOf(file: string): string | undefined {
  return CONTENT_TYPES[path.extname(file).toLowerCase()];
}

function inside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Resolves a request path to a file below `root`. Paths without an extension fall back to
 * index.html (the page handles its own routes); unknown file types are not served; a
 * symbolic link leading out of the build folder is refused.
 */
export async function resolveRendererFile(root: string, rawPathname: string): Promise<RendererFile> {
  const rel = rendererRelativePath(rawPathname);
  if (rel === undefined) return { ok: false, status: 400 };
  const target = path.extname(rel) === '' ? INDEX_FILE : rel;
  const contentType = contentTypeOf(target);
  if (!contentType) return { ok: false, status: 404 };
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return { ok: false, status: 404 };
  }
  const candidate = path.resolve(realRoot, ...target.split('/'));
  if (!inside(realRoot, candidate)) return { ok: false, status: 403 };
  let real: string;
  try {
    real = await fs.realpath(candidate);
    if (!(await fs.stat(real)).isFile()) return { ok: false, status: 404 };
  } catch {
    return { ok: false, status: 404 };
  }
  if (!inside(realRoot, real)) return { ok: false, status: 403 };
  return { ok: true, file: real, contentType };
}

/** The pathname of a request URL as sent (no decoding), without query or fragment. */
export function rawPathnameOf(requestUrl: string): string {
  const cut = requestUrl.search(/[?#]/);
  return cut === -1 ? requestUrl : requestUrl.slice(0, cut);
}
