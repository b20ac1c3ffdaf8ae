import { useTranslation } from 'react-i18next';

/**
 * What a DPO or administrator sees on a workstation: no patient data; the audit log and
 * patients' access reports live on the sync server (its `audit` commands and routes).
 */
export function AuditView() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title" tabIndex={-1}>
        {t('audit.title')}
      </h1>
      <p>{t('audit.intro')}</p>
      <p>{t('audit.where')}</p>
    </section>
  );
}
