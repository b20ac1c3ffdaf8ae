#!/usr/bin/env node
/* eslint-disable security/detect-non-literal-fs-filename -- paths are the repository's own node_modules and .tmp cache. */
// Builds a tiny command-line runner on a stock SQLCipher 4 (the amalgamation shipped by the
// npm package @commapp/sqlcipher-amalgamation, default settings, OpenSSL crypto) into
// .tmp/sqlcipher4/<hash>/. Tests use it to prove the vault's database is a standard
// SQLCipher 4 file, independent of the better-sqlite3-multiple-ciphers build the app uses.
//
//   node scripts/build-sqlcipher4.mjs      -> prints {"binary": "...", "cached": bool} on stdout
//   <binary> <database-file> < script.sql  -> runs the SQL, prints result rows tab-separated
//
// Exit code 3 means a prerequisite is missing (C compiler, OpenSSL headers, the npm
// package); the message on stderr names it. Debian packages: gcc libc6-dev libssl-dev.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const amalgamation = path.join(root, 'node_modules', '@commapp', 'sqlcipher-amalgamation', 'src');
const cacheRoot = path.join(root, '.tmp', 'sqlcipher4');

// A runner, not a shell: it applies no PRAGMA of its own, so whatever the test sends on
// stdin is all the configuration the database gets. The file is opened without
// SQLITE_OPEN_CREATE, so a wrong path is an error, never a fresh empty database.
const RUNNER_C = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

static int print_row(void *unused, int n, char **values, char **names) {
  (void)unused; (void)names;
  for (int i = 0; i < n; i++) {
    if (i > 0) fputc('\t', stdout);
    fputs(values[i] ? values[i] : "NULL", stdout);
  }
  fputc('\n', stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s <database> < script.sql\n", argv[0]); return 2; }
  size_t cap = 1 << 16, len = 0;
  char *sql = malloc(cap);
  size_t got;
  while (sql && (got = fread(sql + len, 1, cap - len - 1, stdin)) > 0) {
    len += got;
    if (cap - len < 2) sql = realloc(sql, cap *= 2);
  }
  if (!sql) { fputs("error: out of memory\n", stderr); return 1; }
  sql[len] = 0;
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    fprintf(stderr, "error: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
    return 1;
  }
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, print_row, NULL, &msg);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "error: %s (code %d)\n", msg ? msg : sqlite3_errmsg(db), sqlite3_extended_errcode(db));
    sqlite3_free(msg);
    sqlite3_close(db);
    return 1;
  }
  free(sql);
  return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
`;

const CFLAGS = [
  '-O1',
  '-w',
  '-DSQLITE_HAS_CODEC',
  '-DSQLCIPHER_CRYPTO_OPENSSL',
  '-DSQLITE_TEMP_STORE=2',
  '-DSQLITE_THREADSAFE=0',
  '-DSQLITE_OMIT_LOAD_EXTENSION',
];
const LIBS = ['-lcrypto', '-lm'];

function missing(message) {
  process.stderr.write(`missing prerequisite: ${message}\n`);
  process.exit(3);
}

function findCompiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0) return cc;
  }
  return missing('a C compiler (Debian: apt-get install -y gcc libc6-dev)');
}

const sqliteC = path.join(amalgamation, 'sqlite3.c');
if (!fs.existsSync(sqliteC)) {
  missing('npm package @commapp/sqlcipher-amalgamation (run npm install: it is a devDependency)');
}
const hash = crypto
  .createHash('sha256')
  .update(fs.readFileSync(sqliteC))
  .update(RUNNER_C)
  .update(CFLAGS.join(' '))
  .digest('hex')
  .slice(0, 16);
const outDir = path.join(cacheRoot, hash);
const binary = path.join(outDir, process.platform === 'win32' ? 'sqlcipher4-run.exe' : 'sqlcipher4-run');
if (fs.existsSync(binary)) {
  process.stdout.write(`${JSON.stringify({ binary, cached: true })}\n`);
  process.exit(0);
}

const cc = findCompiler();
const probe = spawnSync(cc, ['-x', 'c', '-E', '-'], {
  input: '#include <openssl/evp.h>\n',
  stdio: ['pipe', 'ignore', 'ignore'],
});
if (probe.status !== 0) missing('OpenSSL development headers (Debian: apt-get install -y libssl-dev)');

// Build in a private directory and rename it into place, so a concurrent or interrupted
// build never leaves a half-written binary where the next run would trust it.
fs.mkdirSync(cacheRoot, { recursive: true });
const work = fs.mkdtempSync(path.join(cacheRoot, `.build-${hash}-`));
try {
  fs.writeFileSync(path.join(work, 'runner.c'), RUNNER_C);
  const started = Date.now();
  const result = spawnSync(
    cc,
    [
      ...CFLAGS,
      '-I',
      amalgamation,
      '-o',
      path.join(work, path.basename(binary)),
      path.join(work, 'runner.c'),
      sqliteC,
      ...LIBS,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    fs.rmSync(work, { recursive: true, force: true });
    process.stderr.write(result.stderr);
    if (/openssl|crypto/i.test(result.stderr))
      missing('OpenSSL libcrypto (Debian: apt-get install -y libssl-dev)');
    process.stderr.write('sqlcipher4 build failed\n');
    process.exit(1);
  }
  try {
    fs.renameSync(work, outDir);
  } catch (cause) {
    // Another build won the race; its binary is as good as ours.
    if (!fs.existsSync(binary)) throw cause;
  }
  process.stdout.write(`${JSON.stringify({ binary, cached: false, buildMs: Date.now() - started })}\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
