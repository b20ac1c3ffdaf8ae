import {
  estimatePassphraseStrength,
  PASSPHRASE_MIN_LENGTH,
} from '../../../../shared/src/security/passphrase-policy';

export type PassphraseProblem =
  | { readonly code: 'VAULT_PASSPHRASE_TOO_SHORT'; readonly params: { readonly min: number } }
  | { readonly code: 'VAULT_PASSPHRASE_TOO_WEAK'; readonly params?: undefined }
  | { readonly code: 'mismatch'; readonly params?: undefined };

/**
 * What the vault would refuse, checked before sending (same rules, same catalogue codes),
 * then whether both entries match.
 */
export function passphraseProblem(passphrase: string, confirm: string): PassphraseProblem | undefined {
  if ([...passphrase.normalize('NFC')].length < PASSPHRASE_MIN_LENGTH) {
    return { code: 'VAULT_PASSPHRASE_TOO_SHORT', params: { min: PASSPHRASE_MIN_LENGTH } };
  }
  if (estimatePassphraseStrength(passphrase).score === 0) return { code: 'VAULT_PASSPHRASE_TOO_WEAK' };
  if (passphrase !== confirm) return { code: 'mismatch' };
  return undefined;
}
