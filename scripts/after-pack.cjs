/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder requires its afterPack hook: CommonJS. */
// electron-builder afterPack hook: flips the Electron fuses of the packaged binary (policy
// in ./packaging/fuses.cjs), then reads the wire back and fails the build if any fuse is
// not what the policy says. Runs after the app is copied and before signing, so the
// signature covers the flipped binary.
'use strict';
const path = require('node:path');
const { fuseConfig, fuseSettings } = require('./packaging/fuses.cjs');

// electron-builder's Arch enum (builder-util): the numeric arch in the afterPack context.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** The Electron binary holding the fuse wire, inside the packaged app folder. */
function electronBinary(appOutDir, platform, productFilename, executableName) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    default:
      return path.join(appOutDir, executableName);
  }
}

/** Flips and verifies; `binary` and `arch` given directly so tests can run it on a fixture. */
async function applyFuses(binary, platform, arch) {
  const fuses = await import('@electron/fuses');
  await fuses.flipFuses(binary, fuseConfig(fuses, platform, arch));
  const wire = await fuses.getCurrentFuseWire(binary);
  const wrong = [];
  for (const [name, expected] of Object.entries(fuseSettings(platform))) {
    const state = wire[fuses.FuseV1Options[name]];
    const want = expected ? fuses.FuseState.ENABLE : fuses.FuseState.DISABLE;
    if (state !== want)
      wrong.push(`${name}=${fuses.FuseState[state] ?? state} (want ${fuses.FuseState[want]})`);
  }
  if (wrong.length > 0) throw new Error(`Electron fuses not set in ${binary}: ${wrong.join(', ')}`);
  return fuseSettings(platform);
}

async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = typeof context.arch === 'number' ? ARCH_NAMES[context.arch] : String(context.arch);
  const info = context.packager.appInfo;
  const binary = electronBinary(
    context.appOutDir,
    platform,
    info.productFilename,
    context.packager.executableName ?? info.sanitizedName,
  );
  const settings = await applyFuses(binary, platform, arch);
  console.log(`  • fuses flipped  ${path.basename(binary)} ${platform}/${arch}: ${JSON.stringify(settings)}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.applyFuses = applyFuses;
module.exports.electronBinary = electronBinary;
