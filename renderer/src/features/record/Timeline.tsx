import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineItem, VitalKind } from '../../../../shared/src/api/contract';
import { VITAL_SIGNS } from '../../../../shared/src/api/contract';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { EncounterCard } from './EncounterCard';
import type { Observation, Prescription } from './timeline-groups';
import { groupTimeline } from './timeline-groups';
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
const VITAL_ORDER: readonly string[] = (Object.keys(VITAL_SIGNS) as VitalKind[]).map(
  (k) => VITAL_SIGNS[k].loincCode,
);

/** Vitals in the usual reading order (weight, height, BMI, pressure, pulse…), other results after. */
function sortVitals(list: readonly Observation[]): Observation[] {
  const rank = (o: Observation) => {
    const i = VITAL_ORDER.indexOf(o.loincCode);
    return i === -1 ? VITAL_ORDER.length : i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

/** The record's history, newest first: an ordered list, each entry headed by its date and kind. */
export function Timeline(props: {
  readonly items: readonly TimelineItem[] | null;
  readonly onChanged: () => void;
  readonly onEdit?: (encounterId: string) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { onEdit } = props;
  const entries = useMemo(() => (props.items ? groupTimeline(props.items) : null), [props.items]);
  if (entries === null) return <p role="status">{t('app.loading')}</p>;
  if (entries.length === 0) return <p>{t('timeline.empty')}</p>;
  return (
    <ol className="timeline" aria-label={t('timeline.label')}>
      {entries.map((entry) => {
        const item = entry.item;
        return (
          <li key={`${item.kind}:${idOf(item)}`} className={`timeline-item timeline-${item.kind}`}>
            <p className="timeline-meta">
              <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time> · {t(KIND_KEYS[item.kind])}
            </p>
            {entry.kind === 'encounter' ? (
              <EncounterCard
                encounter={entry.item.encounter}
                onChanged={props.onChanged}
                onEdit={onEdit ? () => onEdit(entry.item.encounter.id) : undefined}
              >
                {entry.observations.length > 0 ? (
                  <ul className="encounter-vitals" aria-label={t('consultation.vitals')}>
                    {sortVitals(entry.observations).map((o) => (
                      <li key={o.id}>
                        <ObservationLine observation={o} />
                      </li>
                    ))}
                  </ul>
                ) : null}
                {entry.prescriptions.map((p) => (
                  <PrescriptionView key={p.id} prescription={p} />
                ))}
              </EncounterCard>
            ) : entry.item.kind === 'observation' ? (
              <p>
                <ObservationLine observation={entry.item.observation} />
              </p>
            ) : entry.item.kind === 'prescription' ? (
              <PrescriptionView prescription={entry.item.prescription} />
            ) : entry.item.kind === 'allergy' ? (
              <p>
                <strong>{entry.item.allergy.substance.display}</strong>
                {entry.item.allergy.reaction ? ` — ${entry.item.allergy.reaction}` : ''} ·{' '}
                {t(CRITICALITY_KEYS[entry.item.allergy.criticality])}
              </p>
            ) : (
              <p>
                {entry.item.document.title} ({entry.item.document.mimeType})
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function PrescriptionView(props: { readonly prescription: Prescription }) {
  const { t } = useTranslation();
  const p = props.prescription;
  return (
    <div className="prescription">
      <p>
        <strong>{t('timeline.kinds.prescription')}</strong> · {t('timeline.lines', { count: p.lines.length })}{' '}
        · {p.renewals > 0 ? t('timeline.renewable', { count: p.renewals }) : t('timeline.notRenewable')}
      </p>
      <ul>
        {p.lines.map((line, i) => (
          <li key={i}>
            <strong>{line.medication.display}</strong> — {line.dosageText}
            {line.durationDays ? ` (${t('timeline.durationDays', { count: line.durationDays })})` : ''}
          </li>
        ))}
      </ul>
    </div>
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
    return <span>{t('timeline.measure', { label: t(VITAL_LABEL_KEYS[vital]), value })}</span>;
  }
  return (
    <span>
      {t('timeline.measure', {
        label: o.display,
        value: o.value.type === 'quantity' && o.unit ? `${value} ${o.unit}` : value,
      })}
    </span>
  );
}
