import { useTranslation } from 'react-i18next';
import type { TimelineItem, VitalKind } from '../../../../shared/src/api/contract';
import { VITAL_SIGNS } from '../../../../shared/src/api/contract';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { EncounterCard } from './EncounterCard';
import { VITAL_LABEL_KEYS } from './VitalsPanel';

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

const VITAL_BY_LOINC: ReadonlyMap<string, VitalKind> = new Map(
  (Object.keys(VITAL_SIGNS) as VitalKind[]).map((k) => [VITAL_SIGNS[k].loincCode, k]),
);

/** The record's history, newest first: an ordered list, each entry headed by its date and kind. */
export function Timeline(props: {
  readonly items: readonly TimelineItem[] | null;
  readonly onChanged: () => void;
}) {
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
            <ObservationLine observation={item.observation} />
          ) : item.kind === 'prescription' ? (
            <div>
              <p>
                {t('timeline.lines', { count: item.prescription.lines.length })} ·{' '}
                {item.prescription.renewals > 0
                  ? t('timeline.renewable', { count: item.prescription.renewals })
                  : t('timeline.notRenewable')}
              </p>
              <ul>
                {item.prescription.lines.map((line, i) => (
                  <li key={i}>
                    <strong>{line.medication.display}</strong> — {line.dosageText}
                    {line.durationDays
                      ? ` (${t('timeline.durationDays', { count: line.durationDays })})`
                      : ''}
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

type Observation = Extract<TimelineItem, { kind: 'observation' }>['observation'];

/** A vital sign is named in the UI language (the stored display is the LOINC English name); other results as recorded. */
function ObservationLine(props: { readonly observation: Observation }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const o = props.observation;
  const vital = VITAL_BY_LOINC.get(o.loincCode);
  const value =
    o.value.type === 'quantity'
      ? formatNumber(o.value.value, locale, 2)
      : o.value.type === 'string'
        ? o.value.value
        : (o.value.display ?? o.value.code);
  if (vital) {
    return <p>{t('timeline.measure', { label: t(VITAL_LABEL_KEYS[vital]), value })}</p>;
  }
  return (
    <p>
      {t('timeline.measure', {
        label: o.display,
        value: o.value.type === 'quantity' && o.unit ? `${value} ${o.unit}` : value,
      })}
    </p>
  );
}
