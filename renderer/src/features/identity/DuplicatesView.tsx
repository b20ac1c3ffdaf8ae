import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { IdentityStatusBadge } from '../../components/IdentityStatusBadge';
import { TextField } from '../../components/TextField';
import { formatBirthDate, formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { formatNir, patientMainName } from '../../lib/patient-display';

type Group = ApiResponse<'identity:duplicates'>['groups'][number];
type Merge = ApiResponse<'identity:merges'>['merges'][number];

/**
 * Identity vigilance for practitioners and the secretariat: likely duplicates among the
 * patients of this workstation (same NIR, or same birth name, first name, birth date and
 * sex; refreshed after each sync), an explicit merge (the user picks the identity that
 * stays; the other's documents move to it on the server, every workstation follows), and
 * the merges done, each of which can be undone.
 */
export function DuplicatesView() {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [groups, setGroups] = useState<readonly Group[] | null>(null);
  const [merges, setMerges] = useState<readonly Merge[] | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [mergesError, setMergesError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  const load = useCallback(async () => {
    try {
      setGroups((await api.call('identity:duplicates', {})).groups);
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
    try {
      setMerges((await api.call('identity:merges', {})).merges);
      setMergesError(undefined);
    } catch (e) {
      setMergesError(errorText(e));
    }
  }, [api, errorText]);

  useEffect(() => {
    void load();
    // Pulled patients (another workstation's) may make new duplicates, or a merge done elsewhere remove some.
    return api.on('patients:changed', () => void load());
  }, [api, load]);

  const unmerge = async (m: Merge) => {
    setError(undefined);
    try {
      await api.call('identity:unmerge', { mergeId: m.id });
      setDone(t('vigilance.duplicates.unmerged'));
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section aria-labelledby="duplicates-title" className="duplicates">
      <h1 id="duplicates-title" tabIndex={-1}>
        {t('vigilance.duplicates.title')}
      </h1>
      <p>{t('vigilance.duplicates.intro')}</p>
      <ErrorBanner message={error} />
      {done ? <p role="status">{done}</p> : null}
      {groups === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : groups.length === 0 ? (
        <p role="status">{t('vigilance.duplicates.none')}</p>
      ) : (
        <ul className="duplicate-groups">
          {groups.map((g) => (
            <DuplicateGroupCard
              key={g.patients.map((p) => p.id).join('+')}
              group={g}
              onMerged={async () => {
                setDone(t('vigilance.duplicates.merged'));
                await load();
              }}
            />
          ))}
        </ul>
      )}
      <h2>{t('vigilance.duplicates.mergesTitle')}</h2>
      <ErrorBanner message={mergesError} />
      {merges === null || merges.length === 0 ? (
        <p>{t('vigilance.duplicates.noMerges')}</p>
      ) : (
        <ul className="merge-list">
          {merges.map((m) => (
            <li key={m.id} className="card" data-testid="merge">
              <p>
                {t('vigilance.duplicates.mergeLine', { merged: m.mergedId, survivor: m.survivorId, at: formatDateTime(m.mergedAt, locale) })}
              </p>
              <p className="audit-note">
                {Object.entries(m.moved)
                  .map(([c, n]) => `${c}: ${n}`)
                  .join(' · ') || t('vigilance.duplicates.nothingMoved')}
                {m.reason ? ` — ${m.reason}` : ''}
              </p>
              {m.undoneAt ? (
                <p className="audit-note">{t('vigilance.duplicates.undoneAt', { at: formatDateTime(m.undoneAt, locale) })}</p>
              ) : (
                <button type="button" onClick={() => void unmerge(m)}>
                  {t('vigilance.duplicates.unmerge')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DuplicateGroupCard(props: { readonly group: Group; readonly onMerged: () => Promise<void> }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const g = props.group;
  const [survivor, setSurvivor] = useState<string>(
    // The qualified identity is the natural survivor.
    (g.patients.find((p) => p.identityStatus === 'QUAL') ?? g.patients[0])?.id ?? '',
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const name = `dup-${g.patients[0]?.id ?? ''}`;

  const merge = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // Two identities at a time: a group of three is merged in two explicit steps.
      const others = g.patients.filter((p) => p.id !== survivor);
      for (const other of others.slice(0, 1)) {
        await api.call('identity:merge', { survivorId: survivor, mergedId: other.id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      }
      await props.onMerged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card" data-testid="duplicate-group">
      <p>
        <strong>{g.match === 'nir' ? t('vigilance.duplicates.matchNir') : t('vigilance.duplicates.matchTraits')}</strong>
      </p>
      <fieldset>
        <legend>{t('vigilance.duplicates.chooseSurvivor')}</legend>
        {g.patients.map((p) => (
          <label key={p.id} className="radio-row">
            <input type="radio" name={name} value={p.id} checked={survivor === p.id} onChange={() => setSurvivor(p.id)} />{' '}
            {patientMainName(p)} — {formatBirthDate(p.birthDate, locale)} — {p.nir ? formatNir(p.nir) : t('common.none')}{' '}
            <IdentityStatusBadge status={p.identityStatus} /> <span className="mono audit-note">{p.id}</span>
          </label>
        ))}
      </fieldset>
      <TextField label={t('vigilance.duplicates.reason')} value={reason} onValue={setReason} maxLength={1000} />
      <ErrorBanner message={error} />
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => void merge()} disabled={busy || survivor === ''}>
          {t('vigilance.duplicates.merge')}
        </button>
      </div>
    </li>
  );
}
