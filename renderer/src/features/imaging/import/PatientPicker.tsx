import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientRow } from '../../../../../shared/src/api/contract';
import { useApi } from '../../../api/ApiProvider';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { formatBirthDate } from '../../../i18n/format';
import { useErrorText, useLocale } from '../../../i18n/useLocale';
import { patientMainName } from '../../../lib/patient-display';

/**
 * Choose the patient a study belongs to (the import found none, or the user says the
 * files are another patient's): the same search as the patient list, a short list of
 * matches, one button per patient. The host still refuses a differing INS.
 */
export function PatientPicker(props: {
  readonly initialQuery: string;
  readonly onPick: (patientId: string) => void;
  readonly onCancel: () => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const fieldId = useId();
  const [query, setQuery] = useState(props.initialQuery);
  const [rows, setRows] = useState<readonly PatientRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api
        .call('patients:search', { query: query.trim(), limit: 20 })
        .then((r) => live && setRows(r.rows))
        .catch((e: unknown) => live && setError(e));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, query]);

  return (
    <div className="imaging-picker" role="group" aria-labelledby={`${fieldId}-label`}>
      <label id={`${fieldId}-label`} htmlFor={fieldId}>
        {t('imaging.import.pickerSearch')}
      </label>
      <input
        id={fieldId}
        ref={input}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          }
        }}
      />
      <ErrorBanner message={error ? errorText(error) : undefined} />
      {rows === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : rows.length === 0 ? (
        <p role="status">{t('imaging.import.pickerNone')}</p>
      ) : (
        <ul className="imaging-picker-list" aria-label={t('imaging.import.pickerResults')}>
          {rows.map((r) => (
            <li key={r.id}>
              <button type="button" onClick={() => props.onPick(r.id)}>
                {t('imaging.import.pickerAttach', {
                  patient: patientMainName(r),
                  date: formatBirthDate(r.birthDate, locale),
                })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
