#!/usr/bin/env node
/* eslint-disable security/detect-non-literal-fs-filename -- paths are the repository's dist folders (or a test's temp folder). */
// Stages the app directory electron-builder packages (directories.app in
// electron-builder.yml): dist/app/package.json plus copies of dist/main and dist/renderer.
//
// The bundles of scripts/build-main.mjs hold every JavaScript dependency except the native
// modules (NATIVE_EXTERNALS), so the packaged package.json lists only those, at the exact
// versions installed here (package-lock.json): no devDependency, no server package (fastify,
// pg), no renderer package (react, i18next), nothing the app does not load at run time.
// electron-builder then installs and rebuilds exactly these for Electron's ABI.
//
//   node scripts/stage-app.mjs [--from dist] [--to dist/app]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NATIVE_EXTERNALS } from './build-main.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Run-time dependencies of the packaged app: the native modules, Electron aside (it is the runtime). */
export const APP_DEPENDENCIES = NATIVE_EXTERNALS.filter((name) => name !== 'electron');

/**
 * The packaged app's package.json, from the project's package.json and lock file.
 * @param {Record<string, any>} project
 * @param {Record<string, any>} lock
 */
export function appPackageJson(project, lock) {
  /** @type {Record<string, string>} */
  const dependencies = {};
  for (const name of APP_DEPENDENCIES) {
    if (!(name in (project.dependencies ?? {})))
      throw new Error(`${name} is not a production dependency of package.json`);
    const installed = lock.packages?.[`node_modules/${name}`]?.version;
    if (typeof installed !== 'string') throw new Error(`${name} is not in package-lock.json`);
    dependencies[name] = installed;
  }
  return {
    name: project.name,
    productName: project.productName,
    version: project.version,
    description: project.description,
    license: project.license,
    private: true,
    author: { name: 'Clinique' },
    type: project.type,
    main: project.main,
    dependencies,
  };
}

/**
 * @param {{ from?: string, to?: string }} [options]
 * @returns {string} the staged directory
 */
export function stageApp(options = {}) {
  const from = path.resolve(root, options.from ?? 'dist');
  const to = path.resolve(root, options.to ?? 'dist/app');
  for (const part of ['main', 'renderer']) {
    if (!fs.existsSync(path.join(from, part)))
      throw new Error(`${path.join(from, part)} is missing: run npm run build first`);
  }
  fs.rmSync(path.join(to, 'dist'), { recursive: true, force: true });
  fs.mkdirSync(path.join(to, 'dist'), { recursive: true });
  for (const part of ['main', 'renderer'])
    fs.cpSync(path.join(from, part), path.join(to, 'dist', part), { recursive: true });
  const project = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  fs.writeFileSync(
    path.join(to, 'package.json'),
    `${JSON.stringify(appPackageJson(project, lock), null, 2)}\n`,
  );
  return to;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = stageApp({ from: flag('--from'), to: flag('--to') });
  console.log(`Staged the app in ${path.relative(root, dir) || dir}`);
}
