import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Profile, SetupState } from '../../../shared/src/api/contract';
import { useApi } from '../api/ApiProvider';
import { Kbd } from '../components/Kbd';
import { AuditView } from '../features/audit/AuditView';
import { RightsView } from '../features/rights/RightsView';
import { ConflictsInbox } from '../features/conflicts/ConflictsInbox';
import { DuplicatesView } from '../features/identity/DuplicatesView';
import { Hl7View } from '../features/interop/Hl7View';
import { ConsultationForm } from '../features/consultation/ConsultationForm';
import { PatientForm } from '../features/patients/PatientForm';
import { PatientList } from '../features/patients/PatientList';
import { PatientRecord } from '../features/record/PatientRecord';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { SyncStatusBar } from '../features/sync/SyncStatusBar';
import { useSyncStatus } from '../features/sync/useSyncStatus';
import { ConfirmLeave } from './ConfirmLeave';
import { LeaveGuardContext } from './leave-guard';
import { ShortcutsHelp } from './ShortcutsHelp';
import { ariaKeyShortcuts, SHORTCUTS } from './shortcuts';
import { useActivityPing } from './useActivityPing';
import { useShortcuts } from './useShortcuts';
import type { Role, View } from './views';
import { allowedView, canSeePatients, homeView } from './views';

const ROLE_KEYS = {
  practitioner: 'roles.practitioner',
  secretary: 'roles.secretary',
  dpo: 'roles.dpo',
  admin: 'roles.admin',
} as const satisfies Record<Role, string>;

/** The unlocked app: header (navigation, who, lock), the current screen, the sync status bar. */
export function MainApp(props: { readonly setup: SetupState; readonly onSessionChange: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [view, setViewState] = useState<View | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [listQuery, setListQuery] = useState('');
  const dirty = useRef(false);
  const setDirty = useCallback(
    (d: boolean) => {
      if (dirty.current === d) return;
      dirty.current = d;
      // The host holds updates back while a form has unsaved input.
      api.call('app:unsaved-work', { dirty: d }).catch(() => undefined);
    },
    [api],
  );
  const [leaving, setLeaving] = useState<View | null>(null);
  const sync = useSyncStatus();
  const mainRef = useRef<HTMLElement>(null);
  const idle = useActivityPing(true);

  useEffect(() => {
    let live = true;
    api
      .call('profile:get', {})
      .then((r) => {
        if (!live || !r.profile) return;
        setProfile(r.profile);
        setViewState(homeView(r.profile.role));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);

  const role: Role = profile?.role ?? 'secretary';
  const goTo = useCallback(
    (next: View) => {
      setViewState(allowedView(role, next) ? next : homeView(role));
      // Focus moves to the new screen: its own first field when it set one (autoFocus),
      // else its heading, so screen-reader users hear where they are.
      requestAnimationFrame(() => {
        const main = mainRef.current;
        if (main && !main.contains(document.activeElement)) main.querySelector<HTMLElement>('h1')?.focus();
      });
    },
    [role],
  );
  /** Leaving a form with unsaved input asks first; saving forms navigate after clearing it. */
  const setView = useCallback(
    (next: View) => {
      if (dirty.current) setLeaving(next);
      else goTo(next);
    },
    [goTo],
  );

  const lock = useCallback(() => {
    api
      .call('vault:lock', {})
      .then(props.onSessionChange)
      .catch(() => undefined);
  }, [api, props]);

  useShortcuts({
    newPatient: canSeePatients(role) ? () => setView({ name: 'patient-new' }) : undefined,
    // From any screen, the search shortcut goes to the list (which focuses its field).
    search:
      canSeePatients(role) && view?.name !== 'patients' ? () => setView({ name: 'patients' }) : undefined,
    lock,
    help: () => setHelpOpen(true),
  });

  if (!profile || !view) {
    return (
      <main className="centered">
        <p role="status">{t('app.loading')}</p>
      </main>
    );
  }

  const nav: { view: View; label: string; current: boolean; badge?: number }[] = [];
  if (canSeePatients(role)) {
    nav.push({ view: { name: 'patients' }, label: t('nav.patients'), current: view.name === 'patients' });
  }
  if (role === 'dpo' || role === 'admin') {
    nav.push({ view: { name: 'audit' }, label: t('nav.audit'), current: view.name === 'audit' });
  }
  if (role === 'dpo') {
    nav.push({ view: { name: 'rights' }, label: t('rights.nav'), current: view.name === 'rights' });
  }
  if (canSeePatients(role)) {
    nav.push({
      view: { name: 'conflicts' },
      label: t('nav.conflicts'),
      current: view.name === 'conflicts',
      badge: sync.status?.unresolvedConflicts ?? 0,
    });
  }
  if (canSeePatients(role)) {
    nav.push({ view: { name: 'duplicates' }, label: t('vigilance.duplicates.nav'), current: view.name === 'duplicates' });
  }
  if (canSeePatients(role)) {
    nav.push({ view: { name: 'hl7' }, label: t('interop.nav'), current: view.name === 'hl7' });
  }
  nav.push({ view: { name: 'settings' }, label: t('nav.settings'), current: view.name === 'settings' });

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="shell-header">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {nav.map((item) => (
              <li key={item.view.name}>
                <button
                  type="button"
                  className="nav-button"
                  aria-current={item.current ? 'page' : undefined}
                  onClick={() => setView(item.view)}
                >
                  {item.label}
                  {item.badge ? (
                    <span className="badge" aria-label={t('nav.conflictsBadge', { count: item.badge })}>
                      {item.badge}
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="shell-user">
          <span>
            {profile.displayName} · {t(ROLE_KEYS[profile.role])}
          </span>
          <button
            type="button"
            onClick={() => setHelpOpen(true)}
            aria-keyshortcuts={ariaKeyShortcuts(SHORTCUTS.help)}
          >
            {t('shortcuts.open')} <Kbd shortcut={SHORTCUTS.help} />
          </button>
          <button type="button" onClick={lock} aria-keyshortcuts={ariaKeyShortcuts(SHORTCUTS.lock)}>
            {t('app.lock')} <Kbd shortcut={SHORTCUTS.lock} />
          </button>
        </div>
      </header>
      {idle.lockSoon ? (
        <div role="alert" className="banner banner-warning lock-warning">
          {t('app.lockSoon', { count: idle.secondsLeft })}
        </div>
      ) : null}
      <LeaveGuardContext.Provider value={setDirty}>
        <main id="main" ref={mainRef} className="shell-main" tabIndex={-1}>
          <CurrentView
            view={view}
            role={role}
            setView={setView}
            profile={profile}
            listQuery={listQuery}
            onListQuery={setListQuery}
            onSessionChange={props.onSessionChange}
          />
        </main>
      </LeaveGuardContext.Provider>
      <SyncStatusBar
        status={sync.status}
        error={sync.error}
        onOpenConflicts={canSeePatients(role) ? () => setView({ name: 'conflicts' }) : undefined}
        onLogin={() => setView({ name: 'settings' })}
      />
      {helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null}
      {leaving ? (
        <ConfirmLeave
          onStay={() => setLeaving(null)}
          onLeave={() => {
            setDirty(false);
            setLeaving(null);
            goTo(leaving);
          }}
        />
      ) : null}
    </div>
  );
}

function CurrentView(props: {
  readonly view: View;
  readonly role: Role;
  readonly profile: Profile;
  readonly setView: (v: View) => void;
  readonly onSessionChange: () => void;
  readonly listQuery: string;
  readonly onListQuery: (query: string) => void;
}) {
  const { view, setView, role } = props;
  switch (view.name) {
    case 'patients':
      return (
        <PatientList role={role} setView={setView} query={props.listQuery} onQuery={props.onListQuery} />
      );
    case 'patient-new':
      return <PatientForm setView={setView} />;
    case 'patient-edit':
      return <PatientForm patientId={view.patientId} setView={setView} />;
    case 'record':
      return <PatientRecord patientId={view.patientId} role={role} setView={setView} />;
    case 'consultation':
      return <ConsultationForm patientId={view.patientId} encounterId={view.encounterId} setView={setView} />;
    case 'conflicts':
      return <ConflictsInbox />;
    case 'settings':
      return <SettingsScreen profile={props.profile} onSessionChange={props.onSessionChange} />;
    case 'audit':
      return <AuditView role={role} />;
    case 'rights':
      return <RightsView role={role} />;
    case 'duplicates':
      return <DuplicatesView />;
    case 'hl7':
      return <Hl7View role={role} />;
  }
}
