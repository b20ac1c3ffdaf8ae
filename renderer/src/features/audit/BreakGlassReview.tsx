import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SelectField } from '../../components/SelectField';
import { TextAreaField } from '../../components/TextAreaField';
import { formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';

type Entry = ApiResponse<'audit:break-glass'>['entries'][number];
type Status = 'pending' | 'reviewed' | 'all';

/**
 * Break-the-glass accesses for the DPO to review: who opened which record without a
 * grant, why, when; the DPO marks each reviewed with a comment (recorded in the audit log).
 */
export function BreakGlassReview() {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [status, setStatus] = useState<Status>('pending');
  const [entries, setEntries] = useState<readonly Entry[] | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);

  const load = useCallback(
    async (s: Status) => {
      try {
        setEntries((await api.call('audit:break-glass', { status: s })).entries);
        setError(undefined);
      } catch (e) {
        setError(errorText(e));
      }
    },
    [api, errorText],
  );

  useEffect(() => {
    void load(status);
  }, [load, status]);

  return (
    <section aria-labelledby="break-glass-title" className="break-glass-review">
      <h2 id="break-glass-title">{t('vigilance.breakGlass.title')}</h2>
      <div className="grid-4">
        <SelectField
          label={t('vigilance.breakGlass.show')}
          value={status}
          onValue={(v) => setStatus(v as Status)}
          options={[
            { value: 'pending', label: t('vigilance.breakGlass.pending') },
            { value: 'reviewed', label: t('vigilance.breakGlass.reviewed') },
            { value: 'all', label: t('vigilance.breakGlass.all') },
          ]}
        />
      </div>
      <ErrorBanner message={error} />
      {entries === null ? null : entries.length === 0 ? (
        <p role="status">{t('vigilance.breakGlass.none')}</p>
      ) : (
        <ul className="break-glass-list">
          {entries.map((e) => (
            <BreakGlassItem key={e.id} entry={e} onReviewed={() => void load(status)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BreakGlassItem(props: { readonly entry: Entry; readonly onReviewed: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const e = props.entry;

  const review = async () => {
    if (comment.trim() === '') {
      setError(t('vigilance.breakGlass.commentRequired'));
      return;
    }
    setBusy(true);
    try {
      await api.call('audit:break-glass-review', { id: e.id, comment });
      props.onReviewed();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card" data-testid="break-glass-entry">
      <p>
        <strong>{e.displayName}</strong> ({e.username}) — {t('vigilance.breakGlass.patient')} <span className="mono">{e.patientId}</span>
      </p>
      <p>
        {t('vigilance.breakGlass.opened', { at: formatDateTime(e.openedAt, locale), until: formatDateTime(e.expiresAt, locale) })}{' '}
        <span className="mono audit-note">{e.workstationId}</span>
      </p>
      <blockquote>{e.reason}</blockquote>
      {e.review ? (
        <p className="audit-note">
          {t('vigilance.breakGlass.reviewedBy', { name: e.review.reviewerName, at: formatDateTime(e.review.reviewedAt, locale) })} — {e.review.comment}
        </p>
      ) : (
        <form
          onSubmit={(ev) => {
            ev.preventDefault();
            void review();
          }}
        >
          <TextAreaField label={t('vigilance.breakGlass.comment')} value={comment} onValue={setComment} rows={2} error={error} maxLength={2000} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('vigilance.breakGlass.markReviewed')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
