// Electron fuses of the packaged app: the single source of truth for scripts/after-pack.cjs
// (which flips them in the packaged binary, then reads them back) and for
// scripts/package-check.mjs (which checks this policy without the Electron runtime).
// CommonJS because electron-builder requires its afterPack hook.
'use strict';

/**
 * Every fuse of Electron's V1 wire, by its @electron/fuses FuseV1Options name. All are set
 * explicitly (strictlyRequireAllFuses): a fuse added by a newer Electron fails the build
 * until someone decides it here.
 *  - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the signed app into a Node interpreter.
 *  - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS cannot inject code (--require).
 *  - EnableNodeCliInspectArguments off: no --inspect debugger port on the main process.
 *  - EnableCookieEncryption on: the cookie store is encrypted with the OS keystore.
 *  - OnlyLoadAppFromAsar on: the app code loads from app.asar only, not a loose app folder.
 *  - EnableEmbeddedAsarIntegrityValidation: on where Electron supports it (macOS, Windows);
 *    Electron has no asar integrity on Linux, where the fuse must stay off.
 *  - LoadBrowserProcessSpecificV8Snapshot off, GrantFileProtocolExtraPrivileges off (the
 *    renderer is served on app://, never file://), WasmTrapHandlers on (Electron's default).
 */
const FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: 'where-supported',
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
  WasmTrapHandlers: true,
};

/** Platforms (electron-builder's electronPlatformName) whose Electron validates the asar's embedded integrity. */
const ASAR_INTEGRITY_PLATFORMS = ['darwin', 'mas', 'win32'];

/** The fuse values for one platform: name -> boolean. */
function fuseSettings(platform) {
  const settings = {};
  for (const [name, value] of Object.entries(FUSES)) {
    settings[name] = value === 'where-supported' ? ASAR_INTEGRITY_PLATFORMS.includes(platform) : value;
  }
  return settings;
}

/**
 * The config object of @electron/fuses' flipFuses for one platform. `fuses` is the module
 * (its FuseV1Options and FuseVersion enums). An arm64 macOS binary must carry a valid
 * signature to start at all: flipping bytes breaks its ad-hoc one, so it is redone
 * (electron-builder signs properly afterwards when a certificate is configured).
 */
function fuseConfig(fuses, platform, arch) {
  const config = {
    version: fuses.FuseVersion.V1,
    strictlyRequireAllFuses: true,
    resetAdHocDarwinSignature: (platform === 'darwin' || platform === 'mas') && arch === 'arm64',
  };
  for (const [name, value] of Object.entries(fuseSettings(platform))) {
    const index = fuses.FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`@electron/fuses has no fuse named ${name}`);
    config[index] = value;
  }
  return config;
}

module.exports = { FUSES, ASAR_INTEGRITY_PLATFORMS, fuseSettings, fuseConfig };
