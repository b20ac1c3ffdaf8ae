import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiProvider';
import { useApiEvent } from '../../api/useApiEvent';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SelectField } from '../../components/SelectField';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import type { VitalGroup, VitalSeries } from './vitals-data';
import { VITAL_GROUP_NAMES, VITAL_GROUPS, vitalsTable } from './vitals-data';
import { VitalsChart } from './VitalsChart';

export const VITAL_LABEL_KEYS = {
  weight: 'vitals.kinds.weight',
  height: 'vitals.kinds.height',
  bmi: 'vitals.kinds.bmi',
  systolic: 'vitals.kinds.systolic',
  diastolic: 'vitals.kinds.diastolic',
  heartRate: 'vitals.kinds.heartRate',
  temperature: 'vitals.kinds.temperature',
  spo2: 'vitals.kinds.spo2',
  respiratoryRate: 'vitals.kinds.respiratoryRate',
} as const;

const GROUP_KEYS = {
  weight: 'vitals.groups.weight',
  bloodPressure: 'vitals.groups.bloodPressure',
  heartRate: 'vitals.groups.heartRate',
  temperature: 'vitals.groups.temperature',
  spo2: 'vitals.groups.spo2',
  bmi: 'vitals.groups.bmi',
  height: 'vitals.groups.height',
  respiratoryRate: 'vitals.groups.respiratoryRate',
} as const satisfies Record<VitalGroup, string>;

/** Vitals over time: pick a measure, see the chart and the same figures as a table. */
export function VitalsPanel(props: { readonly patientId: string }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const tableId = useId();
  const [group, setGroup] = useState<VitalGroup>('weight');
  const [series, setSeries] = useState<readonly VitalSeries[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setSeries(null);
    api
      .call('observations:vitals', { patientId: props.patientId, kinds: [...VITAL_GROUPS[group]] })
      .then((r) => {
        if (!live) return;
        // Keep the group's order (systolic before diastolic) whatever order the host answers in.
        const kinds: readonly string[] = VITAL_GROUPS[group];
        setSeries(
          r.series
            .filter((s) => kinds.includes(s.kind))
            .sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind)),
        );
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, props.patientId, group, version]);
  useApiEvent('encounters:changed', (e) => {
    if (e.patientIds.length === 0 || e.patientIds.includes(props.patientId)) setVersion((v) => v + 1);
  });

  const labels = useMemo(() => (series ?? []).map((s) => t(VITAL_LABEL_KEYS[s.kind])), [series, t]);
  const rows = useMemo(() => vitalsTable(series ?? []), [series]);
  const hasData = rows.length > 0;

  return (
    <div className="vitals">
      <SelectField
        label={t('vitals.measure')}
        value={group}
        onValue={(v) => setGroup(v as VitalGroup)}
        options={VITAL_GROUP_NAMES.map((g) => ({ value: g, label: t(GROUP_KEYS[g]) }))}
      />
      <ErrorBanner message={error ? errorText(error) : undefined} />
      {series === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : !hasData ? (
        <p>{t('vitals.empty')}</p>
      ) : (
        <>
          <VitalsChart
            series={series}
            labels={labels}
            locale={locale}
            title={t(GROUP_KEYS[group])}
            timeLabel={t('vitals.when')}
          />
          <table id={tableId} className="data-table">
            <caption>{t('vitals.tableCaption', { measure: t(GROUP_KEYS[group]) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('vitals.when')}</th>
                {labels.map((l) => (
                  <th scope="col" key={l}>
                    {l}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.at}>
                  <th scope="row">{formatDateTime(r.at, locale)}</th>
                  {r.values.map((v, i) => (
                    <td key={i}>{v === null ? '—' : formatNumber(v, locale, 1)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
