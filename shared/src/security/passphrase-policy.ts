import { AppError } from '../errors';

/**
 * Passphrase rules of the vault, in shared/ because the vault (main) enforces them and the
 * setup screen (renderer) shows the same meter as the user types.
 */
export const PASSPHRASE_MIN_LENGTH = 12;
/** Anything under this estimate is refused: about the cost of 4 random words from a 1,000-word list. */
export const PASSPHRASE_MIN_BITS = 40;

export type PassphraseStrength = {
  /** Rough guessing entropy in bits after penalties; a meter, not a proof. */
  readonly bits: number;
  /** 0 (refused) to 4 (strong), for the UI meter. */
  readonly score: 0 | 1 | 2 | 3 | 4;
};

/** Passwords people pick first, in French, German and English clinics; compared case-insensitively after removing digits and symbols. */
const COMMON = new Set([
  'motdepasse',
  'password',
  'passwort',
  'azerty',
  'qwerty',
  'qwertz',
  'soleil',
  'bonjour',
  'doudou',
  'chouchou',
  'marseille',
  'paris',
  'france',
  'medecin',
  'docteur',
  'cabinet',
  'clinique',
  'patient',
  'secretariat',
  'sante',
  'admin',
  'administrateur',
  'welcome',
  'letmein',
  'iloveyou',
  'jetaime',
  'loulou',
  'hallo',
  'geheim',
  'praxis',
  'klinik',
  'arzt',
  'changeme',
  'test',
  'secret',
  'monkey',
  'dragon',
  'football',
  'sunshine',
  'princess',
]);

const KEYBOARD_ROWS = [
  'azertyuiop',
  'qsdfghjklm',
  'wxcvbn',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'yxcvbnm',
  '1234567890',
];

function alphabetSize(p: string): number {
  let size = 0;
  if (/[a-z]/.test(p)) size += 26;
  if (/[A-Z]/.test(p)) size += 26;
  if (/[0-9]/.test(p)) size += 10;
  if (/[^a-zA-Z0-9\s]/.test(p)) size += 33;
  if (/\s/.test(p)) size += 1;
  // Accented and other non-ASCII letters (é, ü, ß …) widen the alphabet a little.
  if ([...p].some((c) => (c.codePointAt(0) ?? 0) > 0x7f)) size += 20;
  return size;
}

/** Characters that only continue a run (aaaa), a sequence (abcd, 1234, dcba) or a keyboard row (azer) add almost nothing. */
function predictableChars(p: string): number {
  const lower = p.toLowerCase();
  let predictable = 0;
  for (let i = 2; i < lower.length; i++) {
    const a = lower.charCodeAt(i - 2);
    const b = lower.charCodeAt(i - 1);
    const c = lower.charCodeAt(i);
    const run = a === b && b === c;
    const step = b - a === c - b && Math.abs(c - b) === 1;
    const tri = lower.slice(i - 2, i + 1);
    const keyboard = KEYBOARD_ROWS.some(
      (row) => row.includes(tri) || [...row].reverse().join('').includes(tri),
    );
    if (run || step || keyboard) predictable++;
  }
  return predictable;
}

/** A repeated chunk ("soleil soleil", "abcabcabc") is worth one copy of it. */
function repeatedUnit(p: string): string {
  const compact = [...p.replace(/\s+/g, '')];
  const n = compact.length;
  for (let len = 1; len <= n / 2; len++) {
    if (n % len !== 0) continue;
    if (compact.every((c, i) => c === compact[i % len])) return compact.slice(0, len).join('');
  }
  return p;
}

export function estimatePassphraseStrength(passphrase: string): PassphraseStrength {
  const p = repeatedUnit(passphrase.normalize('NFC'));
  const chars = [...p];
  const letters = p.toLowerCase().replace(/[^a-zà-ÿ]/g, '');
  if (chars.length === 0 || COMMON.has(letters) || new Set(chars).size <= 2) return { bits: 0, score: 0 };
  const perChar = Math.log2(Math.max(alphabetSize(p), 2));
  // Repeated characters and predictable stretches count a fifth of a fresh random one.
  const distinctRatio = new Set(chars).size / chars.length;
  const effective = chars.length - predictableChars(p) * 0.8;
  let bits = effective * perChar * Math.min(1, 0.5 + distinctRatio);
  // Human-chosen text carries far less entropy than random characters (NIST SP 800-63 appendix A);
  // the divisor keeps the meter honest about word-based passphrases.
  bits = Math.max(0, Math.round(bits / 1.5));
  const score = bits < PASSPHRASE_MIN_BITS ? 0 : bits < 50 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  return { bits, score };
}

/** Throws VAULT_PASSPHRASE_TOO_SHORT or VAULT_PASSPHRASE_TOO_WEAK; the passphrase itself never goes into the error. */
export function assertPassphraseAcceptable(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < PASSPHRASE_MIN_LENGTH) {
    throw new AppError('VAULT_PASSPHRASE_TOO_SHORT', { min: PASSPHRASE_MIN_LENGTH });
  }
  if (estimatePassphraseStrength(passphrase).score === 0) throw new AppError('VAULT_PASSPHRASE_TOO_WEAK');
}
