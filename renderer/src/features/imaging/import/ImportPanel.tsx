import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../../api/ApiProvider';
import { useApiEvent } from '../../../api/useApiEvent';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { TextAreaField } from '../../../components/TextAreaField';
import { formatBirthDate } from '../../../i18n/format';
import { useErrorText, useLocale } from '../../../i18n/useLocale';
import type { ImportFileResult, ImportSnapshot, ImportStudyResult } from './import-model';
import {
  countFiles,
  decisionFor,
  fileName,
  isFinished,
  isRunning,
  parsePathList,
  progressValue,
  sortFiles,
} from './import-model';
import type { PickKind } from './path-picker';
import { pathPickerOf } from './path-picker';
import { PatientPicker } from './PatientPicker';
import '../imaging.css';

const STATUS_KEYS = {
  pending: 'imaging.import.fileStatus.pending',
  imported: 'imaging.import.fileStatus.imported',
  'already-present': 'imaging.import.fileStatus.alreadyPresent',
  duplicate: 'imaging.import.fileStatus.duplicate',
  skipped: 'imaging.import.fileStatus.skipped',
  failed: 'imaging.import.fileStatus.failed',
  'awaiting-confirmation': 'imaging.import.fileStatus.awaiting',
  declined: 'imaging.import.fileStatus.declined',
  refused: 'imaging.import.fileStatus.refused',
  cancelled: 'imaging.import.fileStatus.cancelled',
} as const satisfies Record<ImportFileResult['status'], string>;

const STATE_KEYS = {
  scanning: 'imaging.import.state.scanning',
  importing: 'imaging.import.state.importing',
  waiting: 'imaging.import.state.waiting',
  done: 'imaging.import.state.done',
  cancelled: 'imaging.import.state.cancelled',
  failed: 'imaging.import.state.failed',
} as const satisfies Record<ImportSnapshot['state'], string>;

const PICK_KEYS = {
  files: { button: 'imaging.import.pickFiles', title: 'imaging.import.pickFilesTitle' },
  folder: { button: 'imaging.import.pickFolder', title: 'imaging.import.pickFolderTitle' },
  dicomdir: { button: 'imaging.import.pickDicomdir', title: 'imaging.import.pickDicomdirTitle' },
} as const satisfies Record<PickKind, { button: string; title: string }>;

/** Longest list of per-file rows drawn at once; the counts above it cover the rest. */
const MAX_FILE_ROWS = 500;

/**
 * The DICOM import of one patient's record: choose files, a folder or a DICOMDIR (native
 * dialog in Electron, typed paths in browser mode), follow the progress, cancel, read the
 * outcome of every file, and decide for studies whose patient is not certain.
 */
export function ImportPanel(props: {
  readonly patientId: string;
  readonly patientLabel: string;
  readonly onImported: () => void;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const titleId = useId();
  const picker = useMemo(() => pathPickerOf(window), []);
  const [pathsText, setPathsText] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [pathsError, setPathsError] = useState<string | undefined>();
  const [snapshot, setSnapshot] = useState<ImportSnapshot | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const importId = snapshot?.importId;
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastState = useRef<string | undefined>(undefined);
  const { onImported } = props;

  const refresh = useCallback(
    async (id: string) => {
      try {
        const s = await api.call('imaging:import-status', { importId: id });
        setSnapshot(s);
        if (s.state !== lastState.current) {
          lastState.current = s.state;
          if (s.studies.some((st) => st.status === 'imported')) onImported();
        }
      } catch (e) {
        setError(e);
      }
    },
    [api, onImported],
  );

  useApiEvent('imaging:import-progress', (e) => {
    if (e.importId !== importId) return;
    // A state change is fetched at once; plain progress at most every 250 ms.
    if (e.state !== lastState.current) {
      clearTimeout(refreshTimer.current);
      refreshTimer.current = undefined;
      void refresh(e.importId);
      return;
    }
    if (refreshTimer.current !== undefined) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = undefined;
      void refresh(e.importId);
    }, 250);
  });
  useEffect(() => () => clearTimeout(refreshTimer.current), []);
  // Opened from the record's tab: keyboard and screen-reader users land on its title.
  useEffect(() => document.getElementById(titleId)?.focus(), [titleId]);

  const paths = picker ? picked : parsePathList(pathsText);

  async function start(): Promise<void> {
    if (paths.length === 0) {
      setPathsError(t('imaging.import.noPaths'));
      return;
    }
    setPathsError(undefined);
    setError(null);
    setStarting(true);
    try {
      const { importId: id } = await api.call('imaging:import-start', { paths, patientId: props.patientId });
      lastState.current = undefined;
      setSnapshot({
        importId: id,
        state: 'scanning',
        patientId: props.patientId,
        progress: { phase: 'scan', done: 0, total: 0 },
        files: [],
        studies: [],
      });
      await refresh(id);
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  }

  async function cancel(): Promise<void> {
    if (!importId) return;
    setCancelling(true);
    try {
      setSnapshot(await api.call('imaging:import-cancel', { importId }));
    } catch (e) {
      setError(e);
    } finally {
      setCancelling(false);
    }
  }

  /** Leaving while studies wait for a decision cancels the import: nothing is left pending on the host. */
  async function leave(): Promise<void> {
    if (snapshot?.state === 'waiting') await cancel();
    props.onClose();
  }

  async function decide(study: ImportStudyResult, patientId: string | undefined): Promise<void> {
    if (!importId) return;
    setError(null);
    try {
      const s = await api.call('imaging:import-confirm', {
        importId,
        studyInstanceUid: study.studyInstanceUid,
        decision: patientId === undefined ? { attach: false } : { attach: true, patientId },
      });
      setSnapshot(s);
    } catch (e) {
      setError(e);
    }
  }

  async function pick(kind: PickKind): Promise<void> {
    if (!picker) return;
    try {
      const chosen = await picker(kind, t(PICK_KEYS[kind].title));
      if (chosen.length > 0) setPicked((old) => [...old, ...chosen.filter((p) => !old.includes(p))]);
    } catch {
      setError({ code: 'RENDERER_HOST_UNREACHABLE' });
    }
  }

  const running = snapshot ? isRunning(snapshot) : false;
  const finished = snapshot ? isFinished(snapshot) : false;
  const value = snapshot ? progressValue(snapshot.progress) : undefined;
  const counts = snapshot ? countFiles(snapshot.files) : undefined;
  const files = useMemo(() => (snapshot ? sortFiles(snapshot.files) : []), [snapshot]);
  const waiting = snapshot?.studies.filter((s) => s.status === 'awaiting-confirmation') ?? [];
  const settledStudies = snapshot?.studies.filter((s) => s.status !== 'awaiting-confirmation') ?? [];

  return (
    <section aria-labelledby={titleId} className="imaging-import">
      <div className="screen-header">
        <h2 id={titleId} tabIndex={-1}>
          {t('imaging.import.title')}
        </h2>
        <button type="button" onClick={() => void leave()} disabled={running}>
          {t('imaging.import.back')}
        </button>
      </div>
      <p>{t('imaging.import.intro', { patient: props.patientLabel })}</p>

      {!snapshot || finished ? (
        <form
          className="imaging-import-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          {picker ? (
            <div>
              <div className="button-row">
                {(Object.keys(PICK_KEYS) as PickKind[]).map((kind) => (
                  <button key={kind} type="button" onClick={() => void pick(kind)}>
                    {t(PICK_KEYS[kind].button)}
                  </button>
                ))}
              </div>
              {picked.length > 0 ? (
                <ul aria-label={t('imaging.import.chosen')} className="imaging-paths">
                  {picked.map((p) => (
                    <li key={p}>
                      <span className="mono">{p}</span>{' '}
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setPicked((old) => old.filter((x) => x !== p))}
                        aria-label={t('imaging.import.removePath', { path: p })}
                      >
                        {t('imaging.import.remove')}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="field-hint">{t('imaging.import.nothingChosen')}</p>
              )}
              {pathsError ? <p className="field-error">{pathsError}</p> : null}
            </div>
          ) : (
            <TextAreaField
              label={t('imaging.import.paths')}
              hint={t('imaging.import.pathsHint')}
              value={pathsText}
              onValue={setPathsText}
              error={pathsError}
              rows={3}
              spellCheck={false}
              className="mono"
            />
          )}
          <button type="submit" className="primary" disabled={starting}>
            {t('imaging.import.start')}
          </button>
        </form>
      ) : null}

      <ErrorBanner message={error ? errorText(error) : undefined} />

      {snapshot ? (
        <div className="imaging-import-progress">
          <label>
            <span>{t('imaging.import.progress')}</span>
            <progress max={1} {...(value === undefined ? {} : { value })} />
          </label>
          <p role="status" aria-live="polite">
            {t(STATE_KEYS[snapshot.state])}
            {running && snapshot.progress.total > 0
              ? ` ${t(
                  snapshot.progress.phase === 'scan'
                    ? 'imaging.import.scanCount'
                    : 'imaging.import.storeCount',
                  {
                    done: snapshot.progress.done,
                    total: snapshot.progress.total,
                  },
                )}`
              : ''}
          </p>
          {running || snapshot.state === 'waiting' ? (
            <button type="button" onClick={() => void cancel()} disabled={cancelling}>
              {t('imaging.import.cancel')}
            </button>
          ) : null}
          {snapshot.error ? <ErrorBanner message={errorText(snapshot.error)} /> : null}
        </div>
      ) : null}

      {waiting.length > 0 ? (
        <div className="imaging-decisions">
          <h3>{t('imaging.import.decisionsTitle')}</h3>
          {waiting.map((study) => (
            <StudyDecisionCard
              key={study.studyInstanceUid}
              study={study}
              targetPatientId={props.patientId}
              targetLabel={props.patientLabel}
              onDecide={(patientId) => void decide(study, patientId)}
            />
          ))}
        </div>
      ) : null}

      {settledStudies.length > 0 ? (
        <ul className="imaging-study-results" aria-label={t('imaging.import.studiesLabel')}>
          {settledStudies.map((s) => (
            <li key={s.studyInstanceUid}>
              <strong>{s.description ?? t('imaging.noDescription')}</strong>
              {s.studyDate ? ` · ${formatBirthDate(s.studyDate, locale)}` : ''} · {s.modalities.join(', ')} —{' '}
              {t('imaging.import.studyOutcome', { added: s.added, present: s.alreadyPresent })}
              {s.reason && s.status !== 'imported' ? (
                <span className={`imaging-study-reason status-${s.status}`}> {errorText(s.reason)}</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}

      {snapshot && counts && snapshot.files.length > 0 ? (
        <>
          <p className="imaging-counts">
            {t('imaging.import.counts', {
              imported: counts.imported,
              present: counts.alreadyPresent,
              failed: counts.failed,
              skipped: counts.skipped,
            })}
          </p>
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={t('imaging.import.filesLabel')}
          >
            <table className="data-table imaging-files">
              <caption>{t('imaging.import.filesLabel')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('imaging.import.colFile')}</th>
                  <th scope="col">{t('imaging.import.colResult')}</th>
                  <th scope="col">{t('imaging.import.colDetail')}</th>
                </tr>
              </thead>
              <tbody>
                {files.slice(0, MAX_FILE_ROWS).map((f) => (
                  <tr key={f.path} className={`file-${f.status}`}>
                    <th scope="row" title={f.path} className="mono">
                      {fileName(f.path)}
                    </th>
                    <td>{t(STATUS_KEYS[f.status])}</td>
                    <td>
                      {f.reason ? errorText(f.reason) : ''}
                      {(f.warnings ?? []).map((w, i) => (
                        <span key={i} className="imaging-warning">
                          {' '}
                          {errorText(w)}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {files.length > MAX_FILE_ROWS ? (
            <p className="field-hint">
              {t('imaging.import.moreFiles', { count: files.length - MAX_FILE_ROWS })}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** One study waiting for a person: confirm, check a mismatch, or pick the patient. */
function StudyDecisionCard(props: {
  readonly study: ImportStudyResult;
  readonly targetPatientId: string;
  readonly targetLabel: string;
  readonly onDecide: (patientId: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const titleId = useId();
  const [checked, setChecked] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const { study } = props;
  const decision = decisionFor(study, props.targetPatientId);
  const fp = study.filePatient;
  return (
    <article className="imaging-decision" aria-labelledby={titleId}>
      <h4 id={titleId}>
        {study.description ?? t('imaging.noDescription')}
        {study.studyDate ? ` · ${formatBirthDate(study.studyDate, locale)}` : ''} ·{' '}
        {study.modalities.join(', ')}
      </h4>
      <dl className="identity-list">
        <dt>{t('imaging.import.filePatient')}</dt>
        <dd>
          {fp.name ?? t('common.none')}
          {fp.birthDate ? ` · ${t('record.born', { date: formatBirthDate(fp.birthDate, locale) })}` : ''}
          {fp.id ? ` · ${t('imaging.import.filePatientId', { id: fp.id })}` : ''}
        </dd>
        <dt>{t('imaging.import.fileCount')}</dt>
        <dd>{study.fileCount}</dd>
      </dl>
      {study.reason ? (
        <p className={decision.kind === 'mismatch' ? 'banner banner-warning' : 'banner banner-info'}>
          {errorText(study.reason)}
        </p>
      ) : null}
      {decision.kind === 'confirm' ? (
        <div className="button-row">
          <button type="button" className="primary" onClick={() => props.onDecide(decision.patientId)}>
            {decision.patientId === props.targetPatientId
              ? t('imaging.import.confirmAttach', { patient: props.targetLabel })
              : t('imaging.import.confirmProposed')}
          </button>
          <button type="button" onClick={() => setChoosing(true)}>
            {t('imaging.import.chooseOther')}
          </button>
          <button type="button" onClick={() => props.onDecide(undefined)}>
            {t('imaging.import.decline')}
          </button>
        </div>
      ) : decision.kind === 'mismatch' ? (
        <div>
          <label className="checkbox">
            <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />{' '}
            {t('imaging.import.mismatchChecked', { patient: props.targetLabel })}
          </label>
          <div className="button-row">
            <button
              type="button"
              disabled={!checked}
              onClick={() => props.onDecide(decision.patientId ?? props.targetPatientId)}
            >
              {t('imaging.import.attachAnyway', { patient: props.targetLabel })}
            </button>
            <button type="button" onClick={() => setChoosing(true)}>
              {t('imaging.import.chooseOther')}
            </button>
            <button type="button" className="primary" onClick={() => props.onDecide(undefined)}>
              {t('imaging.import.decline')}
            </button>
          </div>
        </div>
      ) : decision.kind === 'pick' ? (
        <div className="button-row">
          <button type="button" className="primary" onClick={() => setChoosing(true)}>
            {t('imaging.import.choosePatient')}
          </button>
          <button type="button" onClick={() => props.onDecide(undefined)}>
            {t('imaging.import.decline')}
          </button>
        </div>
      ) : null}
      {choosing ? (
        <PatientPicker
          initialQuery={fp.name?.split(',')[0] ?? ''}
          onPick={(id) => {
            setChoosing(false);
            props.onDecide(id);
          }}
          onCancel={() => setChoosing(false)}
        />
      ) : null}
    </article>
  );
}
