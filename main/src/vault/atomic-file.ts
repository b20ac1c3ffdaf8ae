/* eslint-disable security/detect-non-literal-fs-filename -- every path here is inside the vault directory or backup file the caller chose; none comes from untrusted input. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes a rename or an unlink durable: on Linux and macOS the new directory entry is only
 * on disk once the directory itself is synced. Windows cannot open a directory for fsync
 * and journals the rename itself, so a failure there is ignored.
 */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (cause) {
    if (process.platform !== 'win32') throw cause;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A sibling temp name: same directory, so the final rename never crosses a filesystem. */
export function siblingTempPath(target: string, tag: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${tag}-${crypto.randomBytes(6).toString('hex')}`,
  );
}

/**
 * Replaces `target` with `data` so that a reader (or a crash) sees either the old or the
 * new content, never a mix: write a temp file beside it, fsync it, rename over, fsync the
 * directory.
 */
export function writeFileAtomic(target: string, data: Uint8Array | string, mode = 0o600): void {
  const tmp = siblingTempPath(target, 'tmp');
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (cause) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw cause;
  }
  fsyncDirectory(path.dirname(target));
}

/** Reads a file, or `undefined` when it does not exist (any other error propagates). */
export function readFileIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') return undefined;
    throw cause;
  }
}

export function fileExists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') return false;
    throw cause;
  }
}

/**
 * Moves a fully written, fsynced file to `target` only if nothing is there yet. A hard link
 * fails with EEXIST instead of replacing, which a rename would do silently; filesystems
 * without hard links fall back to check-then-rename.
 */
export function publishExclusive(tmp: string, target: string): void {
  try {
    fs.linkSync(tmp, target);
    fs.unlinkSync(tmp);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw cause;
    if (fileExists(target)) throw Object.assign(new Error('target exists'), { code: 'EEXIST' });
    fs.renameSync(tmp, target);
  }
  fsyncDirectory(path.dirname(target));
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
