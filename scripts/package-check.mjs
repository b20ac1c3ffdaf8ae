#!/usr/bin/env node
/* eslint-disable security/detect-non-literal-fs-filename, security/detect-non-literal-require -- paths are the repository's config, resources and staged app folder (or a test's temp folder). */
// `npm run package:check`: validates the packaging without the Electron runtime (which
// cannot be downloaded here; the packages themselves are built by the release workflow).
//
//  1. electron-builder.yml against electron-builder's own JSON schema (app-builder-lib/scheme.json)
//     with ajv, then the project's packaging policy: per-machine NSIS and MSI, dmg with hardened
//     runtime, entitlements and notarisation, deb and AppImage, no secret in the file, update
//     signature verification, the afterPack fuse hook, native modules unpacked and rebuilt.
//  2. The fuse policy (scripts/packaging/fuses.cjs) against the required fuse values, and the
//     afterPack hook's flip + read-back on a fuse wire laid out as Electron's
//     (package-check.test.ts), without an Electron binary.
//  3. The staged app (scripts/stage-app.mjs, from the build output dist/): the package.json
//     electron-builder would write into the package (its own transformer) lists no dev
//     dependency and only the run-time modules; the files the `files` patterns select
//     (electron-builder's own FileMatcher) are the app's entries and nothing else; every
//     module the bundles import is either Node's, Electron's or one of those dependencies.
//
//   node scripts/package-check.mjs [--app dist/app]     (stage first: npm run build && node scripts/stage-app.mjs)
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { APP_DEPENDENCIES } from './stage-app.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AjvModule = require('ajv');
const Ajv = AjvModule.default ?? AjvModule;

/** The fuse values the issue requires, per platform; scripts/packaging/fuses.cjs must give exactly these. */
export const REQUIRED_FUSES = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  OnlyLoadAppFromAsar: true,
};
/** Electron supports embedded asar integrity on macOS and Windows only. */
export const ASAR_INTEGRITY = { darwin: true, mas: true, win32: true, linux: false };

/** Configuration keys that hold signing secrets: they must come from the environment. */
const SECRET_KEYS = new Set([
  'cscLink',
  'cscKeyPassword',
  'cscInstallerLink',
  'cscInstallerKeyPassword',
  'certificateFile',
  'certificatePassword',
  'certificateSha1',
  'password',
  'appleIdPassword',
  'githubToken',
  'token',
]);
/** Entitlements that would undo the hardened runtime's protections. */
const FORBIDDEN_ENTITLEMENTS = [
  'com.apple.security.cs.disable-library-validation',
  'com.apple.security.cs.allow-dyld-environment-variables',
  'com.apple.security.get-task-allow',
  'com.apple.security.cs.disable-executable-page-protection',
];
/** The only files the packaged app may contain besides its run-time node_modules. */
export const REQUIRED_APP_FILES = [
  'package.json',
  'dist/main/index.js',
  'dist/main/preload.cjs',
  'dist/main/storage-worker.js',
  'dist/main/dicom-worker.js',
  'dist/renderer/index.html',
  'dist/renderer/app.js',
];
// The renderer build: its page, bundle and styles, and the assets esbuild emits beside them (codec wasm, fonts, images).
const ALLOWED_APP_FILE =
  /^(package\.json|dist\/main\/[a-z-]+\.(js|cjs)|dist\/renderer\/(assets\/)?[A-Za-z0-9._-]+\.(html|js|css|txt|wasm|woff2|svg|png|ico))$/;

export function loadBuilderConfig(file = path.join(root, 'electron-builder.yml')) {
  return YAML.parse(fs.readFileSync(file, 'utf8'));
}

/** electron-builder's JSON schema validation; returns error lines. */
export function schemaErrors(config) {
  const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validate(config)) return [];
  // anyOf branches repeat each error; the first lines name the offending key.
  return [
    ...new Set(
      (validate.errors ?? []).map(
        (e) =>
          `schema: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`,
      ),
    ),
  ];
}

function targetsOf(platformConfig) {
  const targets = platformConfig?.target ?? [];
  return (Array.isArray(targets) ? targets : [targets]).map((t) => (typeof t === 'string' ? t : t.target));
}

function findSecrets(value, where, out) {
  if (Array.isArray(value)) value.forEach((v, i) => findSecrets(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.has(k))
        out.push(
          `secret: ${where}.${k} is set in the file; signing credentials come from the environment only`,
        );
      findSecrets(v, `${where}.${k}`, out);
    }
  } else if (
    typeof value === 'string' &&
    /-----BEGIN [A-Z ]*PRIVATE KEY-----|^MII[A-Za-z0-9+/]{60,}/.test(value)
  ) {
    out.push(`secret: ${where} holds key material`);
  }
  return out;
}

/** Entitlement keys set to true in a plist file (the simple form Apple's tools write). */
export function plistTrueKeys(text) {
  return [...text.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>\s*<true\s*\/>/g)].map(
    (m) => m[1],
  );
}

/** The project's packaging policy; returns error lines. */
export function policyErrors(config, projectDir = root) {
  const errors = [];
  const need = (ok, message) => {
    if (!ok) errors.push(message);
  };
  need(
    config.appId === 'fr.clinique.desktop',
    'appId must stay fr.clinique.desktop (updates and the MSI upgrade code depend on it)',
  );
  need(
    config.directories?.app === 'dist/app',
    'directories.app must be dist/app (staged by scripts/stage-app.mjs)',
  );
  need(config.asar === true, 'asar must be true (OnlyLoadAppFromAsar and asar integrity need it)');
  need(
    (config.asarUnpack ?? []).includes('**/*.node'),
    "asarUnpack must include '**/*.node' (native binaries cannot load from the archive)",
  );
  need(
    !(config.asarUnpack ?? []).some((p) => /dist\/main|worker/.test(p)),
    'asarUnpack must not unpack the bundles: unpacked files escape the asar integrity check',
  );
  need(
    config.npmRebuild === true,
    'npmRebuild must be true (better-sqlite3-multiple-ciphers rebuilt for Electron ABI)',
  );
  need(
    config.electronFuses === undefined,
    'fuses are flipped by the afterPack hook only (electronFuses would flip them a second time, unchecked)',
  );
  // Windows
  const win = targetsOf(config.win);
  need(win.includes('nsis') && win.includes('msi'), 'win.target must include nsis and msi');
  need(
    config.nsis?.perMachine === true && config.nsis?.oneClick === false,
    'nsis must be perMachine: true, oneClick: false',
  );
  need(config.msi?.perMachine === true, 'msi must be perMachine: true');
  need(
    typeof config.msi?.upgradeCode === 'string' && /^[0-9a-f-]{36}$/i.test(config.msi.upgradeCode),
    'msi.upgradeCode must be a fixed GUID',
  );
  need(config.win?.verifyUpdateCodeSignature !== false, 'win.verifyUpdateCodeSignature must not be false');
  const publisher = config.win?.signtoolOptions?.publisherName;
  need(
    Array.isArray(publisher) ? publisher.length > 0 : typeof publisher === 'string' && publisher.length > 0,
    'win.signtoolOptions.publisherName must be set: without it electron-updater installs an update without checking its signature',
  );
  // macOS
  need(targetsOf(config.mac).includes('dmg'), 'mac.target must include dmg');
  need(config.mac?.hardenedRuntime === true, 'mac.hardenedRuntime must be true');
  need(
    config.mac?.notarize === true,
    'mac.notarize must be true (credentials from APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER)',
  );
  for (const key of ['entitlements', 'entitlementsInherit']) {
    const file = config.mac?.[key];
    if (typeof file !== 'string' || !file.startsWith('resources/')) {
      errors.push(`mac.${key} must be a file of resources/`);
      continue;
    }
    const full = path.join(projectDir, file);
    if (!fs.existsSync(full)) {
      errors.push(`mac.${key}: ${file} does not exist`);
      continue;
    }
    const granted = plistTrueKeys(fs.readFileSync(full, 'utf8'));
    need(
      granted.includes('com.apple.security.cs.allow-jit'),
      `${file} must grant com.apple.security.cs.allow-jit (V8)`,
    );
    for (const bad of FORBIDDEN_ENTITLEMENTS) need(!granted.includes(bad), `${file} grants ${bad}`);
  }
  // Linux
  const linux = targetsOf(config.linux);
  need(linux.includes('deb') && linux.includes('AppImage'), 'linux.target must include deb and AppImage');
  // Updates
  need(config.publish?.provider === 'generic', "publish.provider must be generic (the clinic's own server)");
  // Hook
  const hook = config.afterPack;
  if (typeof hook !== 'string' || !fs.existsSync(path.join(projectDir, hook)))
    errors.push('afterPack must name the fuse hook file (scripts/after-pack.cjs)');
  else need(typeof require(path.join(projectDir, hook)) === 'function', `${hook} must export a function`);
  errors.push(...findSecrets(config, 'config', []));
  return errors;
}

/** The fuse policy against REQUIRED_FUSES and ASAR_INTEGRITY; returns error lines. */
export function fuseErrors(fuseSettings = require('./packaging/fuses.cjs').fuseSettings) {
  const errors = [];
  for (const [platform, integrity] of Object.entries(ASAR_INTEGRITY)) {
    const settings = fuseSettings(platform);
    const want = { ...REQUIRED_FUSES, EnableEmbeddedAsarIntegrityValidation: integrity };
    for (const [name, value] of Object.entries(want)) {
      if (settings[name] !== value)
        errors.push(`fuse ${name} on ${platform} is ${settings[name]}, must be ${value}`);
    }
  }
  return errors;
}

function walk(dir, base = dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' && dir === base) continue;
      walk(full, base, out);
    } else out.push(full);
  }
  return out;
}

/** The app files (outside node_modules) that the `files` patterns select, relative and POSIX. */
export function packagedFiles(config, appDir) {
  const { FileMatcher } = require('app-builder-lib/out/fileMatcher');
  const matcher = new FileMatcher(appDir, '/', (s) => s, config.files);
  const filter = matcher.createFilter();
  return walk(appDir)
    .filter((file) => filter(file, fs.statSync(file)))
    .map((file) => path.relative(appDir, file).split(path.sep).join('/'))
    .sort();
}

/** The package.json electron-builder writes into the package (its own transformer). */
export async function packagedPackageJson(config, appDir) {
  const { createTransformer } = require('app-builder-lib/out/fileTransformer');
  const file = path.join(appDir, 'package.json');
  const transformed = await createTransformer(appDir, config, config.extraMetadata ?? null, null)(file);
  return JSON.parse(transformed ?? fs.readFileSync(file, 'utf8'));
}

/** Whether a position is inside a one-line string literal (a message quoting `require('x')`), by its line's unescaped quotes before it. */
function insideString(code, index) {
  const lineStart = code.lastIndexOf('\n', index - 1) + 1;
  let quote = null;
  for (let i = lineStart; i < index; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (quote === null && (c === '"' || c === "'" || c === '`')) quote = c;
    else if (c === quote) quote = null;
  }
  return quote !== null;
}

/** Bare module specifiers a bundle imports or requires (static and dynamic), outside string literals. */
export function bundleImports(code) {
  const found = new Set();
  // esbuild writes each static import or re-export on a line of its own.
  const patterns = [
    /^\s*(?:import|export)\b[^"'\n;]*?\bfrom\s*["']([^"'\n]+)["']/gm,
    /^\s*import\s*["']([^"'\n]+)["']/gm,
    /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"'\n]+)["']\s*\)/g,
  ];
  for (const re of patterns)
    for (const m of code.matchAll(re)) if (!insideString(code, m.index ?? 0)) found.add(m[1]);
  return [...found].filter(
    (s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtinModules.includes(s),
  );
}

const packageName = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

/** The staged app against the policy; returns error lines. */
export async function appErrors(
  config,
  appDir,
  project = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')),
) {
  const errors = [];
  if (!fs.existsSync(path.join(appDir, 'package.json')))
    return [
      `${appDir} is not a staged app (no package.json): run npm run build && node scripts/stage-app.mjs`,
    ];
  const pkg = await packagedPackageJson(config, appDir);
  if (pkg.devDependencies !== undefined)
    errors.push(
      `packaged package.json lists devDependencies: ${Object.keys(pkg.devDependencies).join(', ')}`,
    );
  const deps = Object.keys(pkg.dependencies ?? {}).sort();
  const devNames = new Set(Object.keys(project.devDependencies ?? {}));
  for (const name of deps) {
    if (devNames.has(name)) errors.push(`packaged package.json depends on ${name}, a dev dependency`);
    if (!APP_DEPENDENCIES.includes(name))
      errors.push(
        `packaged package.json depends on ${name}, which the bundles do not load (they are self-contained but for ${APP_DEPENDENCIES.join(', ')})`,
      );
  }
  for (const name of APP_DEPENDENCIES)
    if (!deps.includes(name)) errors.push(`packaged package.json misses ${name}`);
  for (const field of ['scripts', 'build'])
    if (pkg[field] !== undefined) errors.push(`packaged package.json keeps "${field}"`);
  if (pkg.main !== 'dist/main/index.js')
    errors.push(`packaged package.json main is ${pkg.main}, must be dist/main/index.js`);
  const files = packagedFiles(config, appDir);
  for (const file of files)
    if (!ALLOWED_APP_FILE.test(file)) errors.push(`packaged file outside what the app needs: ${file}`);
  for (const file of REQUIRED_APP_FILES)
    if (!files.includes(file)) errors.push(`packaged app misses ${file}`);
  const loadable = new Set([...APP_DEPENDENCIES, 'electron']);
  for (const file of files.filter((f) => /^dist\/main\/.*\.c?js$/.test(f))) {
    const imports = bundleImports(fs.readFileSync(path.join(appDir, file), 'utf8')).map(packageName);
    for (const name of new Set(imports))
      if (!loadable.has(name)) errors.push(`${file} loads ${name} at run time, which is not packaged`);
    if (file.endsWith('preload.cjs'))
      for (const name of new Set(imports))
        if (name !== 'electron') errors.push(`the sandboxed preload requires ${name}`);
  }
  return errors;
}

export async function packageCheck({ appDir = path.join(root, 'dist/app'), configFile } = {}) {
  const config = loadBuilderConfig(configFile);
  return [
    ...schemaErrors(config),
    ...policyErrors(config),
    ...fuseErrors(),
    ...(await appErrors(config, appDir)),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--app');
  const appDir = i >= 0 ? path.resolve(process.argv[i + 1]) : undefined;
  const errors = await packageCheck(appDir ? { appDir } : {});
  if (errors.length > 0) {
    console.error(`Package check failed (${errors.length}):\n  ${errors.join('\n  ')}`);
    process.exit(1);
  }
  console.log(
    'Package check passed: electron-builder.yml (schema and policy), fuses, packaged package.json and files.',
  );
}
