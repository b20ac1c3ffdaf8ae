import { useTranslation } from 'react-i18next';
import type { PassphraseStrength } from '../../../../shared/src/security/passphrase-policy';

const LEVEL_KEYS = [
  'setup.strength.level0',
  'setup.strength.level1',
  'setup.strength.level2',
  'setup.strength.level3',
  'setup.strength.level4',
] as const;

/** The same estimate the vault enforces (shared/src/security/passphrase-policy), shown as the user types. */
export function PassphraseMeter(props: { readonly strength: PassphraseStrength; readonly id: string }) {
  const { t } = useTranslation();
  const level = t(LEVEL_KEYS[props.strength.score]);
  return (
    <div className="strength">
      <meter
        id={props.id}
        min={0}
        max={4}
        low={1}
        high={3}
        optimum={4}
        value={props.strength.score}
        aria-label={t('setup.strength.label')}
        aria-valuetext={level}
        className={`strength-meter strength-${props.strength.score}`}
      />
      <span className="strength-text">{t('setup.strength.text', { level })}</span>
    </div>
  );
}
