import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictView } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { useApiEvent } from '../../api/useApiEvent';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextAreaField } from '../../components/TextAreaField';
import { formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { formatConflictValue, initialCombination, parseCombination } from './conflict-values';

const COLLECTION_KEYS = {
  patient: 'conflicts.collections.patient',
  encounter: 'conflicts.collections.encounter',
  observation: 'conflicts.collections.observation',
  allergy: 'conflicts.collections.allergy',
  prescription: 'conflicts.collections.prescription',
  document: 'conflicts.collections.document',
  imaging_study: 'conflicts.collections.imagingStudy',
  audit_event: 'conflicts.collections.auditEvent',
} as const satisfies Record<ConflictView['collection'], string>;

/** Field paths people meet most; any other path is shown as it is. */
const FIELD_KEYS: Readonly<
  Record<
    string,
    | 'conflicts.fields.phones'
    | 'conflicts.fields.email'
    | 'conflicts.fields.address'
    | 'conflicts.fields.birthName'
    | 'conflicts.fields.usedName'
    | 'conflicts.fields.firstNames'
    | 'conflicts.fields.birthDate'
    | 'conflicts.fields.nir'
    | 'conflicts.fields.identityStatus'
    | 'conflicts.fields.reason'
    | 'conflicts.fields.deleted'
    | 'conflicts.fields.entry'
  >
> = {
  'contact.phones': 'conflicts.fields.phones',
  'contact.email': 'conflicts.fields.email',
  'contact.addressLines': 'conflicts.fields.address',
  birthName: 'conflicts.fields.birthName',
  usedName: 'conflicts.fields.usedName',
  firstNames: 'conflicts.fields.firstNames',
  birthDate: 'conflicts.fields.birthDate',
  nir: 'conflicts.fields.nir',
  identityStatus: 'conflicts.fields.identityStatus',
  reason: 'conflicts.fields.reason',
  _deleted: 'conflicts.fields.deleted',
};

const PHONE_KIND_KEYS: Readonly<
  Record<
    string,
    | 'patientForm.phoneKinds.mobile'
    | 'patientForm.phoneKinds.home'
    | 'patientForm.phoneKinds.work'
    | 'patientForm.phoneKinds.fax'
    | 'patientForm.phoneKinds.other'
  >
> = {
  mobile: 'patientForm.phoneKinds.mobile',
  home: 'patientForm.phoneKinds.home',
  work: 'patientForm.phoneKinds.work',
  fax: 'patientForm.phoneKinds.fax',
  other: 'patientForm.phoneKinds.other',
};

/**
 * Fields that two workstations changed differently while apart. Each shows both values;
 * the user keeps one or writes a combination; the host records the resolution and the
 * replication sends it to the server like any edit.
 */
export function ConflictsInbox() {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [conflicts, setConflicts] = useState<readonly ConflictView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [announce, setAnnounce] = useState('');

  const load = useCallback(async () => {
    try {
      const r = await api.call('conflicts:list', {});
      setConflicts(r.conflicts);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);
  useApiEvent('conflicts:changed', () => void load());

  return (
    <section aria-labelledby="conflicts-title" className="conflicts">
      <h1 id="conflicts-title" tabIndex={-1}>
        {t('conflicts.title')}
      </h1>
      <p>{t('conflicts.intro')}</p>
      <p role="status" aria-live="polite" className="visually-hidden-if-empty">
        {announce}
      </p>
      <ErrorBanner message={error ? errorText(error) : undefined} />
      {conflicts === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : conflicts.length === 0 ? (
        <p>{t('conflicts.none')}</p>
      ) : (
        <ul className="conflict-list">
          {conflicts.map((c) => (
            <li key={c.id}>
              <ConflictCard
                conflict={c}
                onResolved={() => {
                  setAnnounce(t('conflicts.resolved'));
                  void load();
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ConflictCard(props: { readonly conflict: ConflictView; readonly onResolved: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const c = props.conflict;
  const [combining, setCombining] = useState(false);
  const [combined, setCombined] = useState(() => initialCombination(c.localValue, c.serverValue));
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldKey = c.path.startsWith('entries.') ? 'conflicts.fields.entry' : FIELD_KEYS[c.path];
  const fieldLabel = fieldKey ? t(fieldKey) : c.path;
  const titleId = `conflict-${c.id}`;
  const phoneKind = (k: string) => {
    const key = PHONE_KIND_KEYS[k];
    return key ? t(key) : k;
  };
  // A deletion conflict's values are flags: say "deleted" / "kept" rather than yes/no.
  const words =
    c.path === '_deleted'
      ? { phoneKind, yes: t('conflicts.deleted'), no: t('conflicts.kept') }
      : { phoneKind, yes: t('conflicts.yes'), no: t('conflicts.no') };
  const show = (v: unknown) =>
    v === undefined
      ? c.path === '_deleted'
        ? t('conflicts.kept')
        : t('conflicts.absent')
      : formatConflictValue(v, words);

  async function resolve(choice: 'local' | 'server' | 'combined'): Promise<void> {
    let value: unknown;
    if (choice === 'combined') {
      const parsed = parseCombination(combined, c.localValue, c.serverValue);
      if (!parsed.ok) {
        setInvalid(true);
        return;
      }
      value = parsed.value;
    }
    setBusy(true);
    setError(null);
    try {
      await api.call('conflicts:resolve', {
        id: c.id,
        choice,
        ...(choice === 'combined' ? { value: value as never } : {}),
      });
      props.onResolved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article aria-labelledby={titleId} className="conflict">
      <h2 id={titleId}>
        {c.patientLabel ?? t(COLLECTION_KEYS[c.collection])} — {fieldLabel}
      </h2>
      <p className="muted">
        {t(COLLECTION_KEYS[c.collection])} ·{' '}
        {t('conflicts.detectedAt', { when: formatDateTime(c.detectedAt, locale) })}
      </p>
      <div className="conflict-values">
        <figure>
          <figcaption>{t('conflicts.local')}</figcaption>
          <pre>{show(c.localValue)}</pre>
        </figure>
        <figure>
          <figcaption>{t('conflicts.server')}</figcaption>
          <pre>{show(c.serverValue)}</pre>
        </figure>
        {c.baseValue !== undefined ? (
          <figure className="muted">
            <figcaption>{t('conflicts.base')}</figcaption>
            <pre>{show(c.baseValue)}</pre>
          </figure>
        ) : null}
      </div>
      <ErrorBanner message={error ? errorText(error) : undefined} />
      <div className="form-actions">
        <button type="button" disabled={busy} onClick={() => void resolve('local')}>
          {t('conflicts.keepLocal')}
        </button>
        <button type="button" disabled={busy} onClick={() => void resolve('server')}>
          {t('conflicts.keepServer')}
        </button>
        {c.path !== '_deleted' ? (
          <button
            type="button"
            disabled={busy}
            aria-expanded={combining}
            onClick={() => setCombining((v) => !v)}
          >
            {t('conflicts.combine')}
          </button>
        ) : null}
      </div>
      {combining ? (
        <div className="combine">
          <TextAreaField
            label={t('conflicts.combinedValue', { field: fieldLabel })}
            value={combined}
            onValue={(v) => {
              setCombined(v);
              setInvalid(false);
            }}
            rows={5}
            error={invalid ? t('conflicts.combinedInvalid') : undefined}
          />
          <button type="button" className="primary" disabled={busy} onClick={() => void resolve('combined')}>
            {t('conflicts.saveCombined')}
          </button>
        </div>
      ) : null}
    </article>
  );
}
