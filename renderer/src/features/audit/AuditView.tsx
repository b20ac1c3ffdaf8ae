import type { FormEvent } from 'react';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { AUDIT_ACTIONS } from '../../../../shared/src/schemas/audit-event';
import { useApi } from '../../api/ApiProvider';
import { ApiCallError } from '../../api/client';
import type { Role } from '../../app/views';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import type { AuditFilterInput, AuditFilterProblem, AuditSearchRequest } from './audit-query';
import { auditRequestOf, EMPTY_AUDIT_FILTER, isInstant } from './audit-query';
import { ACTION_KEYS, useActionLabel } from './action-label';
import { AuditExport } from './AuditExport';
import { AuditIntegrity } from './AuditIntegrity';
import { BreakGlassReview } from './BreakGlassReview';

type AuditEntry = ApiResponse<'audit:search'>['entries'][number];

const ROLE_KEYS: Readonly<
  Record<string, 'roles.practitioner' | 'roles.secretary' | 'roles.dpo' | 'roles.admin' | 'audit.systemRole'>
> = {
  practitioner: 'roles.practitioner',
  secretary: 'roles.secretary',
  dpo: 'roles.dpo',
  admin: 'roles.admin',
  system: 'audit.systemRole',
};

const OUTCOME_KEYS = {
  success: 'audit.outcomes.success',
  denied: 'audit.outcomes.denied',
  error: 'audit.outcomes.error',
} as const satisfies Record<AuditEntry['outcome'], string>;

const COLLECTION_KEYS: Readonly<
  Record<
    string,
    | 'conflicts.collections.patient'
    | 'conflicts.collections.encounter'
    | 'conflicts.collections.observation'
    | 'conflicts.collections.allergy'
    | 'conflicts.collections.prescription'
    | 'conflicts.collections.document'
    | 'conflicts.collections.imagingStudy'
    | 'conflicts.collections.auditEvent'
  >
> = {
  patient: 'conflicts.collections.patient',
  encounter: 'conflicts.collections.encounter',
  observation: 'conflicts.collections.observation',
  allergy: 'conflicts.collections.allergy',
  prescription: 'conflicts.collections.prescription',
  document: 'conflicts.collections.document',
  imaging_study: 'conflicts.collections.imagingStudy',
  audit_event: 'conflicts.collections.auditEvent',
};

const PROBLEM_KEYS = {
  patientId: 'audit.problems.patientId',
  userId: 'audit.problems.userId',
  date: 'audit.problems.date',
  range: 'audit.problems.range',
} as const satisfies Record<AuditFilterProblem, string>;

type Results = {
  readonly request: AuditSearchRequest;
  readonly entries: readonly AuditEntry[];
  readonly nextCursor: number | null;
};

/**
 * What a DPO or administrator sees on a workstation: no patient data, the central audit
 * log of the sync server instead (audit:search, DPO only). Filters by patient, user,
 * action and a period of Paris days; newest first, one page at a time.
 */
export function AuditView(props: { readonly role: Role }) {
  const { t } = useTranslation();
  if (props.role !== 'dpo') {
    return (
      <section aria-labelledby="audit-title">
        <h1 id="audit-title" tabIndex={-1}>
          {t('audit.title')}
        </h1>
        <p>{t('audit.dpoOnly')}</p>
      </section>
    );
  }
  return (
    <>
      <AuditSearch />
      <AuditIntegrity />
      <BreakGlassReview />
      <AuditExport />
    </>
  );
}

function AuditSearch() {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const captionId = useId();
  const [filter, setFilter] = useState<AuditFilterInput>(EMPTY_AUDIT_FILTER);
  const [problems, setProblems] = useState<Partial<Record<keyof AuditFilterInput, AuditFilterProblem>>>({});
  const [results, setResults] = useState<Results | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ error: unknown; retry: () => void } | null>(null);
  const generation = useRef(0);
  const countRef = useRef<HTMLParagraphElement>(null);
  const focusCount = useRef(false);

  const run = useCallback(
    async (request: AuditSearchRequest, append: Results | null) => {
      const mine = ++generation.current;
      setBusy(true);
      try {
        const r = await api.call('audit:search', request);
        if (mine !== generation.current) return;
        setResults({
          request: append?.request ?? request,
          entries: append ? [...append.entries, ...r.entries] : r.entries,
          nextCursor: r.nextCursor,
        });
        setError(null);
      } catch (e) {
        if (mine !== generation.current) return;
        setError({ error: e, retry: () => void run(request, append) });
      } finally {
        if (mine === generation.current) setBusy(false);
      }
    },
    [api],
  );

  useEffect(() => {
    const r = auditRequestOf(EMPTY_AUDIT_FILTER);
    if (r.ok) void run(r.request, null);
  }, [run]);

  // The "older entries" button goes away on the last page: focus moves to the count, not to the page's top.
  useEffect(() => {
    if (focusCount.current && results?.nextCursor === null) countRef.current?.focus();
    focusCount.current = false;
  }, [results]);

  const search = (next: AuditFilterInput) => {
    const r = auditRequestOf(next);
    if (!r.ok) {
      setProblems(r.problems);
      return;
    }
    setProblems({});
    void run(r.request, null);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    search(filter);
  };

  const set = (key: keyof AuditFilterInput) => (value: string) => setFilter((f) => ({ ...f, [key]: value }));
  const problem = (key: keyof AuditFilterInput) => {
    const p = problems[key];
    return p ? t(PROBLEM_KEYS[p]) : undefined;
  };

  const loadOlder = () => {
    if (!results || results.nextCursor === null) return;
    focusCount.current = true;
    void run({ ...results.request, before: results.nextCursor }, results);
  };

  const errorMessage = (e: unknown): string => {
    if (e instanceof ApiCallError && e.code === 'SYNC_CLIENT_OFFLINE') return t('audit.errors.offline');
    if (e instanceof ApiCallError && e.code === 'SYNC_CLIENT_LOGIN_REQUIRED') return t('audit.errors.loginRequired');
    return errorText(e);
  };

  return (
    <section aria-labelledby="audit-title" className="audit">
      <h1 id="audit-title" tabIndex={-1}>
        {t('audit.title')}
      </h1>
      <p>{t('audit.intro')}</p>
      <form onSubmit={onSubmit} aria-labelledby="audit-filters-title" noValidate>
        <h2 id="audit-filters-title">{t('audit.filters')}</h2>
        <div className="grid-4 audit-filters">
          <TextField
            label={t('audit.patientId')}
            value={filter.patientId}
            onValue={set('patientId')}
            error={problem('patientId')}
            className="mono"
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            label={t('audit.userId')}
            value={filter.userId}
            onValue={set('userId')}
            error={problem('userId')}
            className="mono"
            autoComplete="off"
            spellCheck={false}
          />
          <SelectField
            label={t('audit.action')}
            value={filter.action}
            onValue={set('action')}
            options={[
              { value: '', label: t('audit.anyAction') },
              ...AUDIT_ACTIONS.map((a) => ({ value: a, label: t(ACTION_KEYS[a]) })),
            ]}
          />
        </div>
        <div className="grid-4 audit-filters">
          <TextField
            label={t('audit.from')}
            value={filter.from}
            onValue={set('from')}
            hint={t('common.dateHint')}
            error={problem('from')}
            inputMode="numeric"
            autoComplete="off"
          />
          <TextField
            label={t('audit.to')}
            value={filter.to}
            onValue={set('to')}
            hint={t('common.dateHint')}
            error={problem('to')}
            inputMode="numeric"
            autoComplete="off"
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('audit.search')}
          </button>
          <button
            type="button"
            onClick={() => {
              const next = { ...filter, action: 'break_glass' };
              setFilter(next);
              search(next);
            }}
            disabled={busy}
          >
            {t('audit.breakGlassOnly')}
          </button>
          <button
            type="button"
            onClick={() => {
              setFilter(EMPTY_AUDIT_FILTER);
              search(EMPTY_AUDIT_FILTER);
            }}
            disabled={busy}
          >
            {t('audit.reset')}
          </button>
        </div>
      </form>

      {error ? (
        <div role="alert" className="banner banner-error">
          <p>{errorMessage(error.error)}</p>
          <button type="button" onClick={error.retry} disabled={busy}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}

      {results === null ? (
        busy ? (
          <p role="status">{t('app.loading')}</p>
        ) : null
      ) : (
        <>
          <p role="status" aria-live="polite" ref={countRef} tabIndex={-1}>
            {busy ? t('app.loading') : results.entries.length === 0 ? t('audit.none') : t('audit.shown', { count: results.entries.length })}
          </p>
          {results.entries.length > 0 ? (
            <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
              <table className="data-table audit-table">
                <caption id={captionId}>{t('audit.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.columns.sequence')}</th>
                    <th scope="col">{t('audit.columns.time')}</th>
                    <th scope="col">{t('audit.columns.user')}</th>
                    <th scope="col">{t('audit.columns.role')}</th>
                    <th scope="col">{t('audit.columns.action')}</th>
                    <th scope="col">{t('audit.columns.patient')}</th>
                    <th scope="col">{t('audit.columns.object')}</th>
                    <th scope="col">{t('audit.columns.workstation')}</th>
                    <th scope="col">{t('audit.columns.outcome')}</th>
                    <th scope="col">{t('audit.columns.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.entries.map((e) => (
                    <AuditRow key={e.sequence} entry={e} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {results.nextCursor !== null && results.entries.length > 0 ? (
            <div className="form-actions">
              <button type="button" onClick={loadOlder} disabled={busy}>
                {t('audit.more')}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

function AuditRow(props: { readonly entry: AuditEntry }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const e = props.entry;
  const breakGlass = e.action === 'break_glass';
  const actionLabel = useActionLabel();
  const role = (r: string) => {
    const key = ROLE_KEYS[r];
    return key ? t(key) : r;
  };
  const collectionKey = e.object ? COLLECTION_KEYS[e.object.collection] : undefined;
  const details = e.details ? Object.entries(e.details) : [];
  return (
    <tr className={breakGlass ? 'audit-break-glass' : undefined}>
      <th scope="row">{e.sequence}</th>
      <td>{isInstant(e.instant) ? formatDateTime(e.instant, locale) : e.instant}</td>
      <td>
        <span className="mono">{e.userId}</span>
        {e.deliveredBy !== undefined && e.deliveredBy !== e.userId ? (
          <span className="audit-note">{t('audit.deliveredBy', { user: e.deliveredBy })}</span>
        ) : null}
      </td>
      <td>
        {role(e.role)}
        {e.serverRole !== undefined && e.serverRole !== e.role ? (
          <span className="audit-note audit-warning">{t('audit.serverRole', { role: role(e.serverRole) })}</span>
        ) : null}
      </td>
      <td>
        {actionLabel(e.action)}
        {breakGlass ? <span className="flag">{t('audit.breakGlass')}</span> : null}
      </td>
      <td className="mono">{e.patientId ?? '—'}</td>
      <td>
        {e.object ? (
          <>
            {collectionKey ? t(collectionKey) : e.object.collection}
            <span className="audit-note mono">{e.object.id}</span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td>
        <span className="mono">{e.workstation}</span>
        {e.source === 'server' ? <span className="audit-note">{t('audit.fromServer')}</span> : null}
      </td>
      <td className={e.outcome === 'success' ? undefined : 'audit-failed'}>{t(OUTCOME_KEYS[e.outcome])}</td>
      <td>
        {e.reason ?? (details.length === 0 ? '—' : null)}
        {details.length > 0 ? (
          <span className="audit-note">{details.map(([k, v]) => `${k} = ${String(v)}`).join(' · ')}</span>
        ) : null}
      </td>
    </tr>
  );
}
