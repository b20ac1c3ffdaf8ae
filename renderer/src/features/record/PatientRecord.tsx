import type { KeyboardEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { insDisplay } from '../../../../shared/src/identity/ins-vigilance';
import { parisDateOf } from '../../../../shared/src/time';
import { ariaKeyShortcuts, SHORTCUTS } from '../../app/shortcuts';
import { useShortcuts } from '../../app/useShortcuts';
import type { Role, View } from '../../app/views';
import { canSeeClinical } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { IdentityStatusBadge } from '../../components/IdentityStatusBadge';
import { Kbd } from '../../components/Kbd';
import { ageOn, formatBirthDate } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { formatNir, patientMainName, patientUsedNames } from '../../lib/patient-display';
import { ImagingTab } from '../imaging/ImagingTab';
import { RecordExport } from '../interop/RecordExport';
import { PatientRightsPanel } from '../rights/PatientRightsPanel';
import { RestrictedBanner } from '../rights/RestrictedBanner';
import { Timeline } from './Timeline';
import { usePatientRecord } from './usePatientRecord';
import { VitalsPanel } from './VitalsPanel';
import { WhoAccessed } from './WhoAccessed';

type Tab = 'identity' | 'timeline' | 'vitals' | 'imaging' | 'accesses' | 'rights';
const TAB_KEYS = {
  identity: 'record.tabs.identity',
  timeline: 'record.tabs.timeline',
  vitals: 'record.tabs.vitals',
  imaging: 'record.tabs.imaging',
  accesses: 'vigilance.accesses.tab',
  rights: 'rights.tab',
} as const;
const SEX_KEYS = { F: 'patient.sex.F', M: 'patient.sex.M', U: 'patient.sex.U' } as const;

/**
 * One patient: identity for every role that may see the patient; the clinical tabs
 * (timeline, vitals) only for practitioners — a secretary's screen has no clinical tab at all.
 */
export function PatientRecord(props: {
  readonly patientId: string;
  readonly role: Role;
  readonly setView: (v: View) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const clinical = canSeeClinical(props.role);
  const record = usePatientRecord(props.patientId, clinical);
  const tabs: Tab[] = clinical ? ['timeline', 'vitals', 'imaging', 'identity', 'accesses', 'rights'] : ['identity', 'rights'];
  const [tab, setTab] = useState<Tab>(tabs[0] ?? 'identity');
  const tabsId = useId();

  const newConsultation = clinical
    ? () => props.setView({ name: 'consultation', patientId: props.patientId })
    : undefined;
  useShortcuts({ newConsultation });

  const p = record.patient?.patient;
  if (!p) {
    return (
      <section aria-labelledby="record-title">
        <h1 id="record-title" tabIndex={-1}>
          {t('record.title')}
        </h1>
        {record.error ? (
          <ErrorBanner message={errorText(record.error)} />
        ) : (
          <p role="status">{t('app.loading')}</p>
        )}
      </section>
    );
  }
  const used = patientUsedNames(p);
  const age = ageOn(p.birthDate, parisDateOf(new Date()));

  function onTabKey(e: KeyboardEvent, index: number): void {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    e.preventDefault();
    const next = tabs[(index + delta + tabs.length) % tabs.length];
    if (next) {
      setTab(next);
      document.getElementById(`${tabsId}-${next}`)?.focus();
    }
  }

  return (
    <section aria-labelledby="record-title" className="record">
      <div className="screen-header">
        <div>
          <h1 id="record-title" tabIndex={-1}>
            {patientMainName(p)}
          </h1>
          <p className="record-summary">
            {used.usedName ? `${t('record.usedName', { name: used.usedName })} · ` : ''}
            {used.usedFirstName ? `${t('record.usedFirstName', { name: used.usedFirstName })} · ` : ''}
            {t('record.born', { date: formatBirthDate(p.birthDate, locale) })} (
            {t('record.age', { count: age })}) · {t(SEX_KEYS[p.sex])}
            {p.deceasedDate
              ? ` · ${t('record.deceased', { date: formatBirthDate(p.deceasedDate, locale) })}`
              : ''}
          </p>
          <IdentityStatusBadge status={p.identityStatus} />
        </div>
        <div className="header-actions">
          {newConsultation ? (
            <button
              type="button"
              className="primary"
              onClick={newConsultation}
              aria-keyshortcuts={ariaKeyShortcuts(SHORTCUTS.newConsultation)}
            >
              {t('record.newConsultation')} <Kbd shortcut={SHORTCUTS.newConsultation} />
            </button>
          ) : null}
          <button type="button" onClick={() => props.setView({ name: 'patient-edit', patientId: p.id })}>
            {t('record.editIdentity')}
          </button>
          <button type="button" onClick={() => props.setView({ name: 'patients' })}>
            {t('record.backToList')}
          </button>
        </div>
      </div>
      {record.patient && record.patient.warnings.length > 0 ? (
        <ul className="banner banner-warning" aria-label={t('record.identityWarnings')}>
          {record.patient.warnings.map((w, i) => (
            <li key={i}>{errorText(w)}</li>
          ))}
        </ul>
      ) : null}
      <ErrorBanner message={record.error ? errorText(record.error) : undefined} />
      <RestrictedBanner patientId={p.id} />
      <RecordExport patientId={p.id} role={props.role} country={p.contact.country} />
      <div role="tablist" aria-label={t('record.tabsLabel')} className="tabs">
        {tabs.map((name, i) => (
          <button
            key={name}
            id={`${tabsId}-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`${tabsId}-${name}-panel`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t(TAB_KEYS[name])}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${tabsId}-${tab}-panel`}
        aria-labelledby={`${tabsId}-${tab}`}
        className="tabpanel"
      >
        {tab === 'identity' ? (
          <dl className="identity-list">
            <dt>{t('patientForm.nir')}</dt>
            <dd className="mono">{p.nir ? formatNir(p.nir) : t('common.none')}</dd>
            <dt>{t('record.ins')}</dt>
            <dd className="mono" data-testid="ins">
              <InsValue patient={p} />
            </dd>
            <dt>{t('patientForm.birthplaceCode')}</dt>
            <dd>{p.birthplaceCode ?? t('common.none')}</dd>
            <dt>{t('record.phones')}</dt>
            <dd>
              {p.contact.phones.length > 0
                ? p.contact.phones.map((ph) => ph.number).join(', ')
                : t('common.none')}
            </dd>
            <dt>{t('patientForm.email')}</dt>
            <dd>{p.contact.email ?? t('common.none')}</dd>
            <dt>{t('patientForm.address')}</dt>
            <dd>
              {[...p.contact.addressLines, [p.contact.postalCode, p.contact.city].filter(Boolean).join(' ')]
                .filter((l) => l !== '')
                .join(', ') || t('common.none')}
            </dd>
          </dl>
        ) : tab === 'timeline' ? (
          <Timeline
            items={record.timeline?.items ?? null}
            onChanged={() => void record.reloadTimeline()}
            onEdit={(encounterId) => props.setView({ name: 'consultation', patientId: p.id, encounterId })}
          />
        ) : tab === 'imaging' ? (
          <ImagingTab patientId={p.id} patientLabel={patientMainName(p)} />
        ) : tab === 'rights' ? (
          <PatientRightsPanel patientId={p.id} role={props.role} />
        ) : tab === 'accesses' ? (
          <WhoAccessed patientId={p.id} />
        ) : (
          <VitalsPanel patientId={p.id} />
        )}
      </div>
    </section>
  );
}

/** The INS as identity vigilance allows it on screen: the matricule only for a qualified identity (QUAL). */
function InsValue(props: { readonly patient: Parameters<typeof insDisplay>[0] }) {
  const { t } = useTranslation();
  const d = insDisplay(props.patient);
  switch (d.kind) {
    case 'qualified':
      return (
        <>
          {formatNir(d.matricule)} <span className="flag">{t('vigilance.ins.qualified')}</span>
        </>
      );
    case 'unqualified':
      return (
        <span className="audit-note">
          {t('record.insNotQualified')} ({d.status})
        </span>
      );
    case 'testOid':
      return <span className="audit-failed">{t('vigilance.ins.testOid')}</span>;
    case 'none':
      return <>{t('common.none')}</>;
  }
}
