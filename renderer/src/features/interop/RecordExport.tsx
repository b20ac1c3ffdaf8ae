import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiProvider';
import type { Role } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SelectField } from '../../components/SelectField';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import type { ExportFormat } from './interop-model';
import { base64ToBytes, defaultSummaryLanguage, exportFormatsFor } from './interop-model';
import './interop.css';

const FORMAT_KEYS = {
  'fhir-bundle': 'interop.export.fhirBundle',
  'pdf-summary': 'interop.export.pdfSummary',
  'fhir-patient': 'interop.export.fhirPatient',
  'hl7-adt-a31': 'interop.export.hl7Adt',
} as const;

/** Offers bytes to the browser as a file (browser mode: the host cannot open a save dialog there). */
function download(fileName: string, mimeType: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Exports of the patient on the record screen: the whole record as a FHIR R4 Bundle (FR
 * Core) and the readable PDF summary in the patient's language for practitioners (RGPD
 * access and portability); the identity alone (FHIR Patient, HL7 ADT^A31) for the
 * secretariat too. The desktop app asks where to save; browser mode downloads the file.
 */
export function RecordExport(props: {
  readonly patientId: string;
  readonly role: Role;
  readonly country?: string | undefined;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const formats = exportFormatsFor(props.role);
  const uiLanguage = locale.slice(0, 2) as 'fr' | 'de' | 'en';
  const [language, setLanguage] = useState<'fr' | 'de' | 'en'>(
    defaultSummaryLanguage(props.country, uiLanguage),
  );
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  if (formats.length === 0) return null;

  const run = async (format: ExportFormat) => {
    setBusy(format);
    setDone(undefined);
    setError(undefined);
    try {
      const res = await api.call('patients:export', {
        patientId: props.patientId,
        format,
        ...(format === 'pdf-summary' ? { language } : {}),
      });
      if (res.kind === 'download') {
        download(res.fileName, res.mimeType, base64ToBytes(res.contentBase64));
        setDone(t('interop.export.downloaded', { name: res.fileName }));
      } else if (res.kind === 'saved') {
        setDone(t('interop.export.saved', { path: res.path }));
      } else {
        setDone(t('interop.export.cancelled'));
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="record-export-title" className="record-export">
      <h2 id="record-export-title">{t('interop.export.title')}</h2>
      <div className="form-actions">
        {formats.map((f) => (
          <button
            key={f}
            type="button"
            disabled={busy !== null}
            aria-busy={busy === f}
            onClick={() => void run(f)}
          >
            {t(FORMAT_KEYS[f])}
          </button>
        ))}
        {formats.includes('pdf-summary') ? (
          <SelectField
            label={t('interop.export.language')}
            value={language}
            onValue={(v) => setLanguage(v === 'de' || v === 'en' ? v : 'fr')}
            options={[
              { value: 'fr', label: t('interop.export.languages.fr') },
              { value: 'de', label: t('interop.export.languages.de') },
              { value: 'en', label: t('interop.export.languages.en') },
            ]}
          />
        ) : null}
      </div>
      <ErrorBanner message={error} />
      {done ? <p role="status">{done}</p> : null}
    </section>
  );
}
