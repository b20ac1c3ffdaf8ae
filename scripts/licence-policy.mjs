// Licence policy of the project. Shipped code (production dependencies, packaged in the
// app and the sync server) may only carry permissive licences; tools used to build and
// test may also carry weak-copyleft and documentation licences, never AGPL/SSPL.
export const SHIPPED_ALLOWED = new Set([
  'MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'Unlicense',
  'BlueOak-1.0.0', 'CC0-1.0', 'Zlib', 'Python-2.0', 'WTFPL',
]);
export const DEV_ALLOWED = new Set([...SHIPPED_ALLOWED, 'MPL-2.0', 'CC-BY-3.0', 'CC-BY-4.0', 'Artistic-2.0', 'Unicode-DFS-2016']);

/**
 * Packages whose metadata does not state an SPDX licence, checked by hand: name → the
 * licence read in their files. Keyed by name only, so a new version is still covered;
 * re-check when one changes hands.
 */
export const REVIEWED = new Map([
  // SQLCipher's own licence, a BSD-style 3-clause licence (test-only: builds a stock
  // SQLCipher 4 to prove our files open with it).
  ['@commapp/sqlcipher-amalgamation', 'BSD-3-Clause'],
  // Crockford's cycle.js, "Public Domain." in its header (no package.json licence); test-only,
  // through Electronegativity's logger.
  ['cycle', 'Unlicense'],
]);

function tokens(expr) {
  return expr.replace(/[()]/g, ' $& ').split(/\s+/).filter(Boolean);
}

/** Evaluates an SPDX expression (OR, AND, parentheses) against an allowed set. */
export function spdxAllowed(expression, allowed) {
  const list = tokens(String(expression).replace(/\*$/, ''));
  let pos = 0;
  function primary() {
    const t = list[pos++];
    if (t === '(') {
      const v = orExpr();
      pos++; // ')'
      return v;
    }
    return allowed.has(String(t).replace(/\*$/, ''));
  }
  function andExpr() {
    let v = primary();
    while (list[pos] === 'AND') {
      pos++;
      v = primary() && v;
    }
    return v;
  }
  function orExpr() {
    let v = andExpr();
    while (list[pos] === 'OR') {
      pos++;
      v = andExpr() || v;
    }
    return v;
  }
  if (list.length === 0) return false;
  const result = orExpr();
  return pos === list.length && result;
}
