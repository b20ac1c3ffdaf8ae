import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPersonName, parsePersonName } from '../../../../shared/src/dicom/person-name';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBirthDate } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { ImportPanel } from './import/ImportPanel';
import { useVaultImages } from './viewer/useVaultImages';
import { preloadFirstImage, seriesLabel, Viewer } from './viewer/Viewer';
import type { StudyView } from './viewer/viewer-types';
import './imaging.css';

type Screen =
  | { readonly name: 'list' }
  | { readonly name: 'import' }
  | { readonly name: 'viewer'; readonly studyId: string; readonly seriesUid: string | undefined };

/**
 * The "Imagerie" tab of a practitioner's patient record: the patient's studies and series
 * (imaging:studies), the DICOM import, and the viewer. Never shown to a secretary (the tab
 * is one of the clinical ones), and the host refuses these channels to that role anyway.
 */
export function ImagingTab(props: { readonly patientId: string; readonly patientLabel: string }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const images = useVaultImages();
  const [screen, setScreen] = useState<Screen>({ name: 'list' });
  const [studies, setStudies] = useState<readonly StudyView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const returnFocus = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .call('imaging:studies', { patientId: props.patientId })
      .then((r) => {
        if (!live) return;
        setStudies(r.studies);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, props.patientId, version]);

  // Back on the list, focus returns to the control that left it (keyboard users keep their place).
  useEffect(() => {
    if (screen.name !== 'list' || !returnFocus.current) return;
    document.getElementById(returnFocus.current)?.focus();
    returnFocus.current = null;
  }, [screen]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const open = (s: Screen, from: string): void => {
    returnFocus.current = from;
    setScreen(s);
  };

  if (screen.name === 'import') {
    return (
      <ImportPanel
        patientId={props.patientId}
        patientLabel={props.patientLabel}
        onImported={reload}
        onClose={() => {
          reload();
          setScreen({ name: 'list' });
        }}
      />
    );
  }
  if (screen.name === 'viewer') {
    const study = studies?.find((s) => s.id === screen.studyId);
    if (study) {
      return (
        <Viewer
          study={study}
          initialSeriesUid={screen.seriesUid}
          images={images}
          onClose={() => setScreen({ name: 'list' })}
        />
      );
    }
  }

  return (
    <div className="imaging-tab">
      <div className="button-row">
        <button
          id="imaging-import-open"
          type="button"
          className="primary"
          onClick={() => open({ name: 'import' }, 'imaging-import-open')}
        >
          {t('imaging.tab.import')}
        </button>
      </div>
      <ErrorBanner message={error ? errorText(error) : undefined} />
      {studies === null && !error ? <p role="status">{t('app.loading')}</p> : null}
      {studies !== null && studies.length === 0 ? <p>{t('imaging.tab.empty')}</p> : null}
      {studies !== null && studies.length > 0 ? (
        <ul className="imaging-studies" aria-label={t('imaging.tab.studies')}>
          {studies.map((study) => (
            <li key={study.id} className="imaging-study">
              <h3>
                {study.description ?? t('imaging.noDescription')}
                {study.studyDate ? ` · ${formatBirthDate(study.studyDate, locale)}` : ''}
                {study.modalities.length > 0 ? ` · ${study.modalities.join(', ')}` : ''}
              </h3>
              {study.filePatient?.name ? (
                <p className="field-hint">
                  {t('imaging.tab.fileName', {
                    name: formatPersonName(parsePersonName(study.filePatient.name)),
                  })}
                  {study.patientMatch === 'ins'
                    ? ` · ${t('imaging.tab.matchIns')}`
                    : study.patientMatch === 'confirmed'
                      ? ` · ${t('imaging.tab.matchConfirmed')}`
                      : ''}
                </p>
              ) : null}
              <ul className="imaging-series">
                {study.series.map((s) => {
                  const id = `imaging-open-${study.id}-${s.seriesInstanceUid}`.replace(/\./g, '-');
                  return (
                    <li key={s.seriesInstanceUid}>
                      <button
                        id={id}
                        type="button"
                        onClick={() => {
                          preloadFirstImage(study, s.seriesInstanceUid, images);
                          open({ name: 'viewer', studyId: study.id, seriesUid: s.seriesInstanceUid }, id);
                        }}
                      >
                        {t('imaging.tab.openSeries', {
                          series: seriesLabel(s, (n) => t('imaging.seriesNumber', { number: n })),
                        })}
                      </button>{' '}
                      <span className="field-hint">
                        {t('imaging.imageCount', { count: s.instances.reduce((n, i) => n + i.frames, 0) })}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
