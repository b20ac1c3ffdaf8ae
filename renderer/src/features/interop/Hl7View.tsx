import type { FormEvent } from 'react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import type { Role } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SelectField } from '../../components/SelectField';
import { TextAreaField } from '../../components/TextAreaField';
import { TextField } from '../../components/TextField';
import { formatBirthDate, formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { patientMainName } from '../../lib/patient-display';
import { bytesToBase64, pastedMessageBytes } from './interop-model';
import './interop.css';

type Item = ApiResponse<'interop:quarantine-list'>['items'][number];
type ImportResult = ApiResponse<'interop:import'>;
type Choice = { readonly id: string; readonly name: string; readonly birthDate: string };

const OUTCOME_KEYS = {
  'observations-imported': 'interop.outcome.observationsImported',
  'patient-created': 'interop.outcome.patientCreated',
  'patient-updated': 'interop.outcome.patientUpdated',
  quarantined: 'interop.outcome.quarantined',
} as const;
const STATUS_KEYS = {
  open: 'interop.status.open',
  attached: 'interop.status.attached',
  rejected: 'interop.status.rejected',
} as const;
const KIND_KEYS = {
  lab: 'interop.kind.lab',
  identity: 'interop.kind.identity',
  unreadable: 'interop.kind.unreadable',
} as const;
const SEX_KEYS = { F: 'patient.sex.F', M: 'patient.sex.M', U: 'patient.sex.U' } as const;

/**
 * HL7 v2 import (files from a lab or a hospital, or a pasted message) and the quarantine
 * list of messages that could not be applied on their own: a person attaches one to a
 * patient after checking, or rejects it with a reason; nothing is ever deleted. The
 * secretariat imports identity messages (ADT) and sees only those; lab results (ORU)
 * are for practitioners.
 */
export function Hl7View(props: { readonly role: Role }) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [files, setFiles] = useState<readonly File[]>([]);
  const [pasted, setPasted] = useState('');
  const [results, setResults] = useState<readonly { name: string; result?: ImportResult; error?: string }[]>(
    [],
  );
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const [items, setItems] = useState<readonly Item[] | null>(null);
  const [listError, setListError] = useState<string | undefined>(undefined);
  const [serverDone, setServerDone] = useState<string | undefined>(undefined);

  const fromServer = async () => {
    setServerDone(undefined);
    try {
      const r = await api.call('interop:server-inbox', {});
      setServerDone(t('interop.server.claimed', { count: r.claimed }));
      setListError(undefined);
    } catch (e) {
      setListError(errorText(e));
    }
    void load();
  };

  const load = useCallback(async () => {
    try {
      const res = await api.call('interop:quarantine-list', status === 'all' ? {} : { status });
      setItems(res.items);
      setListError(undefined);
    } catch (e) {
      setListError(errorText(e));
    }
  }, [api, status, errorText]);
  useEffect(() => {
    void load();
  }, [load]);

  const onImport = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const out: { name: string; result?: ImportResult; error?: string }[] = [];
    const jobs: { name: string; bytes: Uint8Array; source: 'file' | 'paste' }[] = [];
    for (const f of files)
      jobs.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()), source: 'file' });
    if (pasted.trim() !== '')
      jobs.push({ name: t('interop.import.pastedName'), bytes: pastedMessageBytes(pasted), source: 'paste' });
    for (const job of jobs) {
      try {
        const result = await api.call('interop:import', {
          contentBase64: bytesToBase64(job.bytes),
          source: job.source,
          ...(job.source === 'file' ? { sourceName: job.name.slice(0, 255) } : {}),
        });
        out.push({ name: job.name, result });
      } catch (err) {
        out.push({ name: job.name, error: errorText(err) });
      }
    }
    setResults(out);
    setBusy(false);
    if (out.some((r) => r.result !== undefined)) setPasted('');
    void load();
  };

  return (
    <section aria-labelledby="hl7-title" className="hl7-view">
      <h1 id="hl7-title" tabIndex={-1}>
        {t('interop.title')}
      </h1>
      <form onSubmit={(e) => void onImport(e)} aria-labelledby="hl7-import-title" className="hl7-import">
        <h2 id="hl7-import-title">{t('interop.import.title')}</h2>
        <p className="hint">
          {props.role === 'practitioner'
            ? t('interop.import.hintPractitioner')
            : t('interop.import.hintSecretary')}
        </p>
        <div className="field">
          <div className="field-label">
            <label htmlFor="hl7-files">{t('interop.import.files')}</label>
          </div>
          <input
            id="hl7-files"
            type="file"
            multiple
            accept=".hl7,.txt,.oru,.adt,.msg"
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
        </div>
        <TextAreaField
          label={t('interop.import.paste')}
          value={pasted}
          onValue={setPasted}
          rows={6}
          className="mono"
          spellCheck={false}
        />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={busy || (files.length === 0 && pasted.trim() === '')}
          >
            {t('interop.import.button')}
          </button>
        </div>
        {results.length > 0 ? (
          <div role="status">
            <ul aria-label={t('interop.import.results')} className="hl7-results">
              {results.map((r, i) => (
                <li key={i}>
                  <strong>{r.name}</strong> —{' '}
                  {r.error ??
                    (r.result
                      ? `${t(OUTCOME_KEYS[r.result.outcome], { count: r.result.observationCount ?? 0 })}${r.result.reason ? ` ${errorText(r.result.reason)}` : ''}`
                      : '')}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </form>

      <section aria-labelledby="hl7-quarantine-title" className="hl7-quarantine">
        <h2 id="hl7-quarantine-title">{t('interop.quarantine.title')}</h2>
        {props.role === 'practitioner' ? (
          <div className="form-actions">
            <button type="button" onClick={() => void fromServer()}>
              {t('interop.server.button')}
            </button>
            {serverDone ? <span role="status">{serverDone}</span> : null}
          </div>
        ) : null}
        <SelectField
          label={t('interop.quarantine.filter')}
          value={status}
          onValue={(v) => setStatus(v === 'all' ? 'all' : 'open')}
          options={[
            { value: 'open', label: t('interop.quarantine.filterOpen') },
            { value: 'all', label: t('interop.quarantine.filterAll') },
          ]}
        />
        <ErrorBanner message={listError} />
        {items === null ? (
          <p role="status">{t('app.loading')}</p>
        ) : items.length === 0 ? (
          <p>{t('interop.quarantine.empty')}</p>
        ) : (
          <ul className="quarantine-list" aria-label={t('interop.quarantine.title')}>
            {items.map((item) => (
              <QuarantineRow key={item.id} item={item} onChanged={() => void load()} />
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

function QuarantineRow(props: { readonly item: Item; readonly onChanged: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const { item } = props;
  const [mode, setMode] = useState<'none' | 'attach' | 'reject'>('none');
  const p = item.patient;
  return (
    <li className="quarantine-item" data-testid="quarantine-item">
      <div className="quarantine-head">
        <span className="badge">{t(STATUS_KEYS[item.status])}</span>{' '}
        <strong>{item.messageType || t('interop.kind.unreadable')}</strong> · {t(KIND_KEYS[item.kind])} ·{' '}
        {formatDateTime(item.receivedAt, locale)}
        {item.sourceName ? ` · ${item.sourceName}` : ''}
      </div>
      {p ? (
        <p>
          {t('interop.quarantine.patient', {
            name: [p.birthName ?? '?', ...p.firstNames].join(' '),
            birth: p.birthDate ? formatBirthDate(p.birthDate, locale) : '?',
            sex: t(SEX_KEYS[p.sex]),
          })}
          {p.hasIns ? ` · ${t('interop.quarantine.hasIns')}` : ''}
          {item.observationCount !== undefined
            ? ` · ${t('interop.quarantine.results', { count: item.observationCount })}`
            : ''}
        </p>
      ) : null}
      <p className="quarantine-reason">{errorText(item.reason)}</p>
      {item.status === 'rejected' && item.rejectReason ? (
        <p>{t('interop.quarantine.rejectedBecause', { reason: item.rejectReason })}</p>
      ) : null}
      {item.status === 'open' ? (
        <div className="form-actions">
          {item.kind !== 'unreadable' ? (
            <button
              type="button"
              onClick={() => setMode(mode === 'attach' ? 'none' : 'attach')}
              aria-expanded={mode === 'attach'}
            >
              {t('interop.quarantine.attach')}
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => setMode(mode === 'reject' ? 'none' : 'reject')}
            aria-expanded={mode === 'reject'}
          >
            {t('interop.quarantine.reject')}
          </button>
        </div>
      ) : null}
      {mode === 'attach' ? <AttachForm item={item} onDone={props.onChanged} /> : null}
      {mode === 'reject' ? <RejectForm item={item} onDone={props.onChanged} /> : null}
    </li>
  );
}

function AttachForm(props: { readonly item: Item; readonly onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [rows, setRows] = useState<readonly Choice[]>([]);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // The matcher's proposals first (same traits), read like any patient.
    let live = true;
    void (async () => {
      const found: Choice[] = [];
      for (const id of props.item.candidates) {
        try {
          const r = await api.call('patients:get', { id });
          found.push({ id, name: patientMainName(r.patient), birthDate: r.patient.birthDate });
        } catch {
          // A candidate this user may not see, or gone: not proposed.
        }
      }
      if (live) setRows(found);
    })();
    return () => {
      live = false;
    };
  }, [api, props.item.candidates]);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setRows(
        (await api.call('patients:search', { query, limit: 20 })).rows.map((r) => ({
          id: r.id,
          name: patientMainName(r),
          birthDate: r.birthDate,
        })),
      );
    } catch (err) {
      setError(errorText(err));
    }
  };

  const attach = async () => {
    if (chosen === undefined || !confirmed) return;
    setBusy(true);
    try {
      await api.call('interop:quarantine-attach', { id: props.item.id, patientId: chosen, confirmed: true });
      props.onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="attach-form">
      <form onSubmit={(e) => void search(e)} className="inline-form">
        <TextField label={t('interop.attach.search')} value={query} onValue={setQuery} autoComplete="off" />
        <button type="submit">{t('interop.attach.searchButton')}</button>
      </form>
      <fieldset>
        <legend>{t('interop.attach.choose')}</legend>
        {rows.length === 0 ? <p>{t('interop.attach.none')}</p> : null}
        {rows.map((r) => (
          <label key={r.id} className="radio-row">
            <input
              type="radio"
              name={`attach-${props.item.id}`}
              value={r.id}
              checked={chosen === r.id}
              onChange={() => setChosen(r.id)}
            />
            {r.name} — {formatBirthDate(r.birthDate, locale)}
          </label>
        ))}
      </fieldset>
      <label className="checkbox-row">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        {t('interop.attach.confirm')}
      </label>
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={busy || chosen === undefined || !confirmed}
          onClick={() => void attach()}
        >
          {t('interop.attach.button')}
        </button>
      </div>
      <ErrorBanner message={error} />
    </div>
  );
}

function RejectForm(props: { readonly item: Item; readonly onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 3) {
      setError(t('interop.reject.reasonRequired'));
      return;
    }
    try {
      await api.call('interop:quarantine-reject', { id: props.item.id, reason: reason.trim() });
      props.onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="reject-form">
      <TextField label={t('interop.reject.reason')} value={reason} onValue={setReason} error={error} />
      <div className="form-actions">
        <button type="submit">{t('interop.reject.button')}</button>
      </div>
    </form>
  );
}
