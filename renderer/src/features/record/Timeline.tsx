import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '../../../../shared/src/api/contract';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { EncounterCard } from './EncounterCard';

const KIND_KEYS = {
  encounter: 'timeline.kinds.encounter',
  observation: 'timeline.kinds.observation',
  prescription: 'timeline.kinds.prescription',
  allergy: 'timeline.kinds.allergy',
  document: 'timeline.kinds.document',
} as const satisfies Record<TimelineItem['kind'], string>;

const CRITICALITY_KEYS = {
  low: 'timeline.criticality.low',
  high: 'timeline.criticality.high',
  'unable-to-assess': 'timeline.criticality.unknown',
} as const;

/** The record's history, newest first: an ordered list, each entry headed by its date and kind. */
export function Timeline(props: { readonly items: readonly TimelineItem[] | null; readonly onChanged: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (props.items === null) return <p role="status">{t('app.loading')}</p>;
  if (props.items.length === 0) return <p>{t('timeline.empty')}</p>;
  return (
    <ol className="timeline" aria-label={t('timeline.label')}>
      {props.items.map((item) => (
        <li key={`${item.kind}:${idOf(item)}`} className={`timeline-item timeline-${item.kind}`}>
          <p className="timeline-meta">
            <time dateTime={item.at}>{formatDateTime(item.at, locale)}</time> · {t(KIND_KEYS[item.kind])}
          </p>
          {item.kind === 'encounter' ? (
            <EncounterCard encounter={item.encounter} onChanged={props.onChanged} />
          ) : item.kind === 'observation' ? (
            <p>
              {item.observation.display}:{' '}
              {item.observation.value.type === 'quantity'
                ? `${formatNumber(item.observation.value.value, locale, 2)} ${item.observation.unit ?? ''}`
                : item.observation.value.type === 'string'
                  ? item.observation.value.value
                  : (item.observation.value.display ?? item.observation.value.code)}
            </p>
          ) : item.kind === 'prescription' ? (
            <div>
              <p>{t('timeline.prescription', { count: item.prescription.lines.length, renewals: item.prescription.renewals })}</p>
              <ul>
                {item.prescription.lines.map((line, i) => (
                  <li key={i}>
                    <strong>{line.medication.display}</strong> — {line.dosageText}
                    {line.durationDays ? ` (${t('timeline.durationDays', { count: line.durationDays })})` : ''}
                  </li>
                ))}
              </ul>
            </div>
          ) : item.kind === 'allergy' ? (
            <p>
              <strong>{item.allergy.substance.display}</strong>
              {item.allergy.reaction ? ` — ${item.allergy.reaction}` : ''} ·{' '}
              {t(CRITICALITY_KEYS[item.allergy.criticality])}
            </p>
          ) : (
            <p>
              {item.document.title} ({item.document.mimeType})
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

function idOf(item: TimelineItem): string {
  switch (item.kind) {
    case 'encounter':
      return item.encounter.id;
    case 'observation':
      return item.observation.id;
    case 'prescription':
      return item.prescription.id;
    case 'allergy':
      return item.allergy.id;
    case 'document':
      return item.document.id;
  }
}
