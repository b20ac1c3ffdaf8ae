import { describe, expect, it } from 'vitest';
import { passphraseProblem } from './passphrase-check';

describe('passphrase check', () => {
  it('applies the vault rules before sending, then compares both entries', () => {
    expect(passphraseProblem('court', 'court')).toEqual({
      code: 'VAULT_PASSPHRASE_TOO_SHORT',
      params: { min: 12 },
    });
    expect(passphraseProblem('motdepasse12', 'motdepasse12')).toEqual({ code: 'VAULT_PASSPHRASE_TOO_WEAK' });
    const good = 'cheval agrafe batterie correcte';
    expect(passphraseProblem(good, `${good}!`)).toEqual({ code: 'mismatch' });
    expect(passphraseProblem(good, good)).toBeUndefined();
  });
});
