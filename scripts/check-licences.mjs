// Licence check of the dependencies (the registry here offers no `npm audit`): every
// installed package must carry a licence the policy allows for its use, shipped or dev.
import { createRequire } from 'node:module';
import { DEV_ALLOWED, REVIEWED, SHIPPED_ALLOWED, spdxAllowed } from './licence-policy.mjs';

const require = createRequire(import.meta.url);
const checker = require('license-checker-rseidelsohn');
const root = new URL('..', import.meta.url).pathname;
const own = require('../package.json');
const ownId = `${own.name}@${own.version}`;

function scan(production) {
  return new Promise((resolve, reject) => {
    checker.init({ start: root, production, development: !production, excludePrivatePackages: false }, (err, packages) =>
      err ? reject(err) : resolve(packages),
    );
  });
}

const [shipped, dev] = await Promise.all([scan(true), scan(false)]);
const problems = [];
for (const [packages, allowed, kind] of [
  [shipped, SHIPPED_ALLOWED, 'shipped'],
  [dev, DEV_ALLOWED, 'development'],
]) {
  for (const [id, info] of Object.entries(packages)) {
    if (id === ownId) continue;
    const name = id.slice(0, id.lastIndexOf('@'));
    const stated = Array.isArray(info.licenses) ? `(${info.licenses.join(' OR ')})` : String(info.licenses ?? '');
    const licences = REVIEWED.get(name) ?? stated;
    if (!spdxAllowed(licences, allowed)) problems.push(`${kind}: ${id} has licence "${licences}"`);
  }
}
if (problems.length > 0) {
  console.error(`Licence check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `Licence check passed: ${Object.keys(shipped).length - 1} shipped and ${Object.keys(dev).length} development packages.`,
);
