import { useTranslation } from 'react-i18next';
import type { ErasureRequest } from '../../../../shared/src/sync/rights-protocol';
import { ERASURE_EXCEPTION_TEXT, RETENTION_LAW_TEXT } from '../../../../shared/src/rgpd/legal-basis';
import { formatBirthDate, formatDateTime } from '../../i18n/format';
import { languageOf } from '../../i18n/locales';
import { useLocale } from '../../i18n/useLocale';

export const BASIS_KEYS = {
  'last-encounter': 'rights.basis.lastEncounter',
  'record-created': 'rights.basis.recordCreated',
  age: 'rights.basis.age',
  death: 'rights.basis.death',
} as const;

export const REQUESTER_KEYS = {
  patient: 'rights.requester.patient',
  'legal-representative': 'rights.requester.legalRepresentative',
  heir: 'rights.requester.heir',
  other: 'rights.requester.other',
} as const;

/**
 * One erasure request and what became of it: a refusal shows the retention clock and the
 * text of each GDPR exception invoked (and the national retention rule), in the UI language,
 * so the DPO can answer the patient with it; a completed one says the record was erased.
 */
export function ErasureDecision(props: { readonly request: ErasureRequest }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const language = languageOf(locale);
  const r = props.request;
  return (
    <article className="erasure-decision" data-testid="erasure-decision" data-status={r.status}>
      <h3>
        {r.status === 'refused' ? t('rights.erasure.refused') : t('rights.erasure.completed')}
      </h3>
      <p>
        {t('rights.erasure.recorded', {
          when: formatDateTime(r.recordedAt, locale),
          requester: t(REQUESTER_KEYS[r.requesterKind]),
          name: r.requesterName ?? t('rights.erasure.nameErased'),
        })}
      </p>
      {r.retention ? (
        <p>
          {t('rights.retention.keptUntil', { date: formatBirthDate(r.retention.keptUntil, locale) })} ·{' '}
          {t(BASIS_KEYS[r.retention.basis])}
        </p>
      ) : null}
      {r.legalBasis.length > 0 ? (
        <section aria-label={t('rights.erasure.legalBasis')}>
          <h4>{t('rights.erasure.legalBasis')}</h4>
          <ul className="legal-basis">
            {r.legalBasis.map((b) => (
              <li key={b} data-basis={b}>
                {ERASURE_EXCEPTION_TEXT[b][language]}
              </li>
            ))}
            {r.legalBasis.includes('17(3)(b)') ? <li>{RETENTION_LAW_TEXT[language]}</li> : null}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
