import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  assertPassphraseAcceptable,
  estimatePassphraseStrength,
  PASSPHRASE_MIN_LENGTH,
} from './passphrase-policy';

function code(passphrase: string): string | undefined {
  try {
    assertPassphraseAcceptable(passphrase);
    return undefined;
  } catch (e) {
    return e instanceof AppError ? e.code : 'NOT_APP_ERROR';
  }
}

describe('passphrase policy', () => {
  it.each(['court', 'onze-caract', 'é'.repeat(PASSPHRASE_MIN_LENGTH - 1)])('refuses %j as too short', (p) => {
    expect(code(p)).toBe('VAULT_PASSPHRASE_TOO_SHORT');
  });

  it.each([
    'motdepasse12',
    'MotDePasse123!',
    'aaaaaaaaaaaaaaaa',
    'azertyuiop123',
    'abcdefghijklmn',
    '123456789012',
    'soleil soleil',
    'Docteur2024!!',
    'qwertzuiop1234',
  ])('refuses %j as guessable', (p) => {
    expect(code(p)).toBe('VAULT_PASSPHRASE_TOO_WEAK');
  });

  it.each(['cheval agrafe pile correcte', 'kX9#mQ2$vL7p', 'clinique des lilas', 'Ärztin Großmann fährt Rad'])(
    'accepts %j',
    (p) => {
      expect(code(p)).toBeUndefined();
    },
  );

  it('scores grow with real entropy', () => {
    const weak = estimatePassphraseStrength('clinique des lilas');
    const strong = estimatePassphraseStrength('cheval agrafe pile correcte orage');
    expect(strong.bits).toBeGreaterThan(weak.bits);
    expect(strong.score).toBe(4);
  });

  it('never puts the passphrase into the error, and never throws anything but an AppError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (p) => {
        try {
          assertPassphraseAcceptable(p);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          const error = e as AppError;
          // The only param is the minimum length; the message is the bare code.
          expect([undefined, JSON.stringify({ min: PASSPHRASE_MIN_LENGTH })]).toContain(
            error.params && JSON.stringify(error.params),
          );
          expect(error.message).toBe(error.code);
        }
        const s = estimatePassphraseStrength(p);
        expect(s.bits).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
