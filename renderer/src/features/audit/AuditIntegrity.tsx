import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';

type Verify = ApiResponse<'audit:verify'>;
type Checkpoint = ApiResponse<'audit:checkpoint'>;

const KIND_KEYS = {
  missing: 'vigilance.integrity.kinds.missing',
  order: 'vigilance.integrity.kinds.order',
  link: 'vigilance.integrity.kinds.link',
  hash: 'vigilance.integrity.kinds.hash',
  checkpoint: 'vigilance.integrity.kinds.checkpoint',
} as const satisfies Record<NonNullable<Verify['kind']>, string>;

/**
 * The chain's integrity for the DPO: a full verification on demand (the server walks the
 * chain and checks it against its signed checkpoints; the first bad sequence is shown),
 * and the last signed checkpoint, whose signature this workstation checks itself against
 * the key it pinned when it first saw one.
 */
export function AuditIntegrity() {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [verify, setVerify] = useState<Verify | null>(null);
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>(null);
  const [busy, setBusy] = useState<'verify' | 'checkpoint' | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);

  const run = async <T,>(what: 'verify' | 'checkpoint', work: () => Promise<T>, done: (v: T) => void) => {
    setBusy(what);
    setError(undefined);
    try {
      done(await work());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="audit-integrity-title" className="audit-integrity">
      <h2 id="audit-integrity-title">{t('vigilance.integrity.title')}</h2>
      <ErrorBanner message={error} />
      <div className="form-actions">
        <button type="button" onClick={() => void run('verify', () => api.call('audit:verify', {}), setVerify)} disabled={busy !== null}>
          {t('vigilance.integrity.verify')}
        </button>
        <button type="button" onClick={() => void run('checkpoint', () => api.call('audit:checkpoint', {}), setCheckpoint)} disabled={busy !== null}>
          {t('vigilance.integrity.checkpoint')}
        </button>
      </div>
      {busy !== null ? <p role="status">{t('app.loading')}</p> : null}
      {verify ? (
        <div role="status" data-testid="chain-status" className={verify.valid ? 'banner banner-success' : 'banner banner-error'}>
          {verify.valid ? (
            <p>{t('vigilance.integrity.valid', { sequence: verify.head.sequence, checkpoints: verify.checkpointsChecked ?? 0 })}</p>
          ) : (
            <p>
              {t('vigilance.integrity.broken', { sequence: verify.firstBadSequence ?? '?', lastGood: verify.head.sequence })}{' '}
              {verify.kind ? t(KIND_KEYS[verify.kind]) : null}
            </p>
          )}
          <p className="mono audit-note">{verify.head.hash}</p>
        </div>
      ) : null}
      {checkpoint ? (
        checkpoint.checkpoint === null ? (
          <p role="status">{t('vigilance.integrity.noCheckpoint')}</p>
        ) : (
          <dl className="identity-list" data-testid="checkpoint">
            <dt>{t('vigilance.integrity.sequence')}</dt>
            <dd>{checkpoint.checkpoint.sequence}</dd>
            <dt>{t('vigilance.integrity.headHash')}</dt>
            <dd className="mono">{checkpoint.checkpoint.headHash}</dd>
            <dt>{t('vigilance.integrity.signedAt')}</dt>
            <dd>{formatDateTime(checkpoint.checkpoint.signedAt, locale)}</dd>
            <dt>{t('vigilance.integrity.key')}</dt>
            <dd className="mono">{checkpoint.checkpoint.keyId}</dd>
            <dt>{t('vigilance.integrity.signature')}</dt>
            <dd className={checkpoint.signatureValid === true ? undefined : 'audit-failed'}>
              {checkpoint.signatureValid === true ? t('vigilance.integrity.signatureValid') : t('vigilance.integrity.signatureInvalid')}
              {checkpoint.pinnedNow ? <span className="audit-note">{t('vigilance.integrity.pinnedNow')}</span> : null}
            </dd>
            <dt>{t('vigilance.integrity.inChain')}</dt>
            <dd className={checkpoint.headInChain === true ? undefined : 'audit-failed'}>
              {checkpoint.headInChain === true ? t('vigilance.yes') : t('vigilance.no')}
            </dd>
            {checkpoint.problem ? (
              <>
                <dt>{t('vigilance.integrity.problem')}</dt>
                <dd role="alert" className="audit-failed">
                  {errorText(checkpoint.problem)}
                </dd>
              </>
            ) : null}
          </dl>
        )
      ) : null}
    </section>
  );
}
