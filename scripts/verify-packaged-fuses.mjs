#!/usr/bin/env node
/* eslint-disable security/detect-non-literal-fs-filename -- walks the release build folder dist/packages. */
// Release workflow, after electron-builder: reads the fuse wire of each packaged app in
// dist/packages (the *-unpacked / mac folders) and fails unless it is exactly the policy of
// scripts/packaging/fuses.cjs. The afterPack hook already checked it before signing; this
// checks what was signed and shipped.
//   node scripts/verify-packaged-fuses.mjs <platform> [dist/packages]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { fuseSettings } = require('./packaging/fuses.cjs');
const fuses = await import('@electron/fuses');
const [platform, out = 'dist/packages'] = process.argv.slice(2);
if (!platform) throw new Error('usage: verify-packaged-fuses.mjs <darwin|win32|linux> [dist/packages]');

/** @returns {string[]} */
function binaries() {
  const found = [];
  for (const dir of fs.readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const full = path.join(out, dir.name);
    if (platform === 'darwin') {
      for (const app of fs.readdirSync(full).filter((f) => f.endsWith('.app')))
        found.push(path.join(full, app));
    } else if (dir.name.endsWith('-unpacked')) {
      const exe = platform === 'win32' ? 'Clinique.exe' : 'clinique';
      if (fs.existsSync(path.join(full, exe))) found.push(path.join(full, exe));
    }
  }
  return found;
}

const list = binaries();
if (list.length === 0) throw new Error(`no packaged app found in ${out}`);
const want = fuseSettings(platform);
let bad = 0;
for (const binary of list) {
  const wire = await fuses.getCurrentFuseWire(binary);
  for (const [name, value] of Object.entries(want)) {
    const state = wire[fuses.FuseV1Options[name]];
    if (state !== (value ? fuses.FuseState.ENABLE : fuses.FuseState.DISABLE)) {
      console.error(
        `${binary}: fuse ${name} is ${fuses.FuseState[state] ?? state}, want ${value ? 'ENABLE' : 'DISABLE'}`,
      );
      bad++;
    }
  }
  console.log(`${binary}: fuses checked`);
}
process.exit(bad === 0 ? 0 : 1);
