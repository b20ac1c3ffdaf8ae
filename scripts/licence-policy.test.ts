import { describe, expect, it } from 'vitest';
import { DEV_ALLOWED, SHIPPED_ALLOWED, spdxAllowed } from './licence-policy.mjs';

describe('licence policy', () => {
  it('accepts permissive licences and SPDX expressions built from them', () => {
    expect(spdxAllowed('MIT', SHIPPED_ALLOWED)).toBe(true);
    expect(spdxAllowed('(MIT OR Apache-2.0)', SHIPPED_ALLOWED)).toBe(true);
    expect(spdxAllowed('(BSD-2-Clause OR MIT OR Apache-2.0)', SHIPPED_ALLOWED)).toBe(true);
    expect(spdxAllowed('MIT*', SHIPPED_ALLOWED)).toBe(true);
  });

  it('refuses copyleft in shipped code, and an AND with a refused licence', () => {
    expect(spdxAllowed('GPL-3.0-only', SHIPPED_ALLOWED)).toBe(false);
    expect(spdxAllowed('AGPL-3.0-or-later', DEV_ALLOWED)).toBe(false);
    expect(spdxAllowed('(MIT AND GPL-2.0-only)', SHIPPED_ALLOWED)).toBe(false);
    expect(spdxAllowed('MPL-2.0', SHIPPED_ALLOWED)).toBe(false);
    expect(spdxAllowed('MPL-2.0', DEV_ALLOWED)).toBe(true);
  });

  it('lets an OR choose the permissive side, and refuses unknown or empty licences', () => {
    expect(spdxAllowed('(GPL-2.0-only OR MIT)', SHIPPED_ALLOWED)).toBe(true);
    expect(spdxAllowed('UNKNOWN', DEV_ALLOWED)).toBe(false);
    expect(spdxAllowed('', DEV_ALLOWED)).toBe(false);
    expect(spdxAllowed('Custom: https://example.org/licence', DEV_ALLOWED)).toBe(false);
  });
});
