/* eslint-disable security/detect-non-literal-fs-filename -- temp folders the test creates inside the repository. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, defaultEntryPoints } from './build-main.mjs';
import { buildRenderer } from './build-renderer.mjs';
import {
  appErrors,
  bundleImports,
  fuseErrors,
  loadBuilderConfig,
  packageCheck,
  plistTrueKeys,
  policyErrors,
  schemaErrors,
} from './package-check.mjs';
import { stageApp } from './stage-app.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const tmp = fs.mkdtempSync(path.join(root, '.tmp', 'package-check-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed YAML, mutated freely by the tests.
type Config = Record<string, any>;
const fresh = (): Config => loadBuilderConfig() as Config;

describe('electron-builder.yml', () => {
  it("is valid for electron-builder's own JSON schema and meets the packaging policy", () => {
    const config = fresh();
    expect(schemaErrors(config)).toEqual([]);
    expect(policyErrors(config)).toEqual([]);
  });

  it('schema: a misspelt option is refused', () => {
    const config = fresh();
    config['nsis'].perMachin = true;
    expect(schemaErrors(config).join('\n')).toContain('perMachin');
  });

  it('policy: per-user installers, no notarisation, no update signature check are refused', () => {
    const config = fresh();
    config['nsis'].perMachine = false;
    config['msi'].perMachine = false;
    config['mac'].notarize = false;
    config['mac'].hardenedRuntime = false;
    config['win'].verifyUpdateCodeSignature = false;
    delete config['win'].signtoolOptions.publisherName;
    config['linux'].target = ['AppImage'];
    const errors = policyErrors(config).join('\n');
    for (const part of [
      'nsis must be perMachine',
      'msi must be perMachine',
      'mac.notarize',
      'hardenedRuntime',
      'verifyUpdateCodeSignature',
      'publisherName',
      'deb and AppImage',
    ]) {
      expect(errors).toContain(part);
    }
  });

  it('policy: a signing secret in the file is refused, wherever it is', () => {
    const config = fresh();
    config['win'].signtoolOptions.certificatePassword = 'hunter2';
    config['cscLink'] = 'MIIKYQIBAzCCCicGCSqGSIb3DQEHAaCCChgEggoUMIIKEDCCBMcGCSqGSIb3DQEHBqCCBLgwggS0AgEA';
    const errors = policyErrors(config);
    expect(errors).toContain(
      'secret: config.win.signtoolOptions.certificatePassword is set in the file; signing credentials come from the environment only',
    );
    expect(errors.some((e) => e.startsWith('secret: config.cscLink'))).toBe(true);
  });

  it('policy: fuses only through the checked hook; workers stay in the asar', () => {
    const config = fresh();
    config['electronFuses'] = { runAsNode: true };
    config['asarUnpack'] = [...config['asarUnpack'], 'dist/main/storage-worker.js'];
    config['afterPack'] = 'scripts/no-such-hook.cjs';
    const errors = policyErrors(config).join('\n');
    expect(errors).toContain('electronFuses');
    expect(errors).toContain('asar integrity');
    expect(errors).toContain('afterPack');
  });

  it('entitlements: JIT only; the entitlements that undo the hardened runtime are refused', () => {
    const text = fs.readFileSync(path.join(root, 'resources/entitlements.mac.plist'), 'utf8');
    expect(plistTrueKeys(text)).toEqual(['com.apple.security.cs.allow-jit']);
    const dir = fs.mkdtempSync(path.join(tmp, 'ent-'));
    fs.mkdirSync(path.join(dir, 'resources'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(path.join(root, 'scripts/after-pack.cjs'), path.join(dir, 'scripts/after-pack.cjs'));
    fs.mkdirSync(path.join(dir, 'scripts/packaging'));
    fs.copyFileSync(
      path.join(root, 'scripts/packaging/fuses.cjs'),
      path.join(dir, 'scripts/packaging/fuses.cjs'),
    );
    const loose = text.replace(
      '</dict>',
      '<key>com.apple.security.cs.disable-library-validation</key><true/></dict>',
    );
    fs.writeFileSync(path.join(dir, 'resources/entitlements.mac.plist'), loose);
    fs.writeFileSync(path.join(dir, 'resources/entitlements.mac.inherit.plist'), text);
    expect(policyErrors(fresh(), dir)).toEqual([
      'resources/entitlements.mac.plist grants com.apple.security.cs.disable-library-validation',
    ]);
  });
});

describe('fuses', () => {
  const fuses = require('./packaging/fuses.cjs') as { fuseSettings(p: string): Record<string, boolean> };
  const { applyFuses } = require('./after-pack.cjs') as {
    applyFuses(file: string, platform: string, arch: string): Promise<unknown>;
  };
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

  /** A file laid out as Electron's binary around its fuse wire: sentinel, version 1, length, one byte per fuse. */
  const fakeBinary = (name: string, wire: string): string => {
    const file = path.join(tmp, name);
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.alloc(4096, 0x90),
        Buffer.from(SENTINEL),
        Buffer.from([1, wire.length]),
        Buffer.from(wire),
        Buffer.alloc(512, 0x90),
      ]),
    );
    return file;
  };
  const wireOf = (file: string, length: number): string => {
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
    return bytes.subarray(at, at + length).toString('latin1');
  };

  it('the policy sets the required fuses on every platform, asar integrity where Electron supports it', () => {
    expect(fuseErrors()).toEqual([]);
    expect(fuses.fuseSettings('linux')['EnableEmbeddedAsarIntegrityValidation']).toBe(false);
    expect(fuses.fuseSettings('win32')['EnableEmbeddedAsarIntegrityValidation']).toBe(true);
  });

  it('a policy that leaves RunAsNode on or NODE_OPTIONS open fails the check', () => {
    const loose = (platform: string) => ({
      ...fuses.fuseSettings(platform),
      RunAsNode: true,
      EnableNodeOptionsEnvironmentVariable: true,
    });
    const errors = fuseErrors(loose);
    expect(errors).toContain('fuse RunAsNode on linux is true, must be false');
    expect(errors).toContain('fuse EnableNodeOptionsEnvironmentVariable on win32 is true, must be false');
  });

  it('the afterPack hook flips the wire of Electron 45 (9 fuses, all on) and reads it back', async () => {
    // Order of the V1 wire: RunAsNode, CookieEncryption, NodeOptions, CliInspect, AsarIntegrity,
    // OnlyLoadAppFromAsar, V8Snapshot, FileProtocolPrivileges, WasmTrapHandlers.
    const linux = fakeBinary('electron-linux', '111111111');
    await applyFuses(linux, 'linux', 'x64');
    expect(wireOf(linux, 9)).toBe('010001001');
    const win = fakeBinary('electron-win.exe', '111111111');
    await applyFuses(win, 'win32', 'x64');
    expect(wireOf(win, 9)).toBe('010011001');
  });

  it('the hook fails the build on an Electron with a fuse the policy has not decided', async () => {
    const future = fakeBinary('electron-future', '1111111111');
    await expect(applyFuses(future, 'linux', 'x64')).rejects.toThrow();
  });
});

describe('bundle imports', () => {
  it('finds static, dynamic and require imports, not a require quoted in a message', () => {
    const code = [
      'import { app } from "electron";',
      'import path from "node:path";',
      'export { x } from "better-sqlite3-multiple-ciphers";',
      'const a = await import("@node-rs/argon2");',
      'const z = require("zlib"), f = require("fastify/lib/x");',
      'console.error("ACTION NEEDED: require(\'iconv-lite\').extendNodeEncodings() is gone");',
    ].join('\n');
    expect(bundleImports(code).sort()).toEqual([
      '@node-rs/argon2',
      'better-sqlite3-multiple-ciphers',
      'electron',
      'fastify/lib/x',
    ]);
  });
});

describe('the staged app (from a build of dist/)', () => {
  let appDir = '';
  beforeAll(async () => {
    const dist = path.join(tmp, 'dist');
    await buildMain({ outdir: path.join(dist, 'main'), entryPoints: defaultEntryPoints() });
    await buildRenderer({ outdir: path.join(dist, 'renderer') });
    appDir = stageApp({ from: dist, to: path.join(tmp, 'app') });
  }, 180_000);

  it('packages only the entries, a package.json without dev dependencies, and loads only packaged modules', async () => {
    expect(await packageCheck({ appDir })).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      '@node-rs/argon2',
      'better-sqlite3-multiple-ciphers',
    ]);
  });

  it('fails on a dev dependency, a stray file, or a bundle loading an unpackaged module', async () => {
    const config = fresh();
    const pkgFile = path.join(appDir, 'package.json');
    const original = fs.readFileSync(pkgFile, 'utf8');
    const mainFile = path.join(appDir, 'dist/main/index.js');
    const main = fs.readFileSync(mainFile, 'utf8');
    try {
      const pkg = JSON.parse(original);
      pkg.dependencies.vitest = '4.0.0';
      pkg.dependencies.fastify = '5.0.0';
      fs.writeFileSync(pkgFile, JSON.stringify(pkg));
      fs.writeFileSync(path.join(appDir, 'dist/main/notes.txt'), 'left over');
      fs.writeFileSync(path.join(appDir, 'dist/main/index.js.map'), '{}');
      fs.writeFileSync(mainFile, `import Fastify from "fastify";\n${main}`);
      const errors = await appErrors(config, appDir);
      expect(errors).toContain('packaged package.json depends on vitest, a dev dependency');
      expect(
        errors.some((e) =>
          e.startsWith('packaged package.json depends on fastify, which the bundles do not load'),
        ),
      ).toBe(true);
      expect(errors).toContain('packaged file outside what the app needs: dist/main/notes.txt');
      expect(errors).toContain('dist/main/index.js loads fastify at run time, which is not packaged');
      // Source maps are left out by the `files` patterns, not packaged.
      expect(errors.join('\n')).not.toContain('index.js.map');
    } finally {
      fs.writeFileSync(pkgFile, original);
      fs.writeFileSync(mainFile, main);
      fs.rmSync(path.join(appDir, 'dist/main/notes.txt'));
    }
  });
});
