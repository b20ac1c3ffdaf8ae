import type { FormEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Duplicate, PatientView } from '../../../../shared/src/api/contract';
import type { ErrorPayload } from '../../../../shared/src/errors';
import { INS_OID } from '../../../../shared/src/identifiers/ins';
import type { IdentityStatus } from '../../../../shared/src/schemas/identity-status';
import {
  allowedIdentityTransitions,
  IDENTITY_STATUSES,
} from '../../../../shared/src/schemas/identity-status';
import { parisDateOf } from '../../../../shared/src/time';
import { ApiCallError } from '../../api/client';
import { useApi } from '../../api/ApiProvider';
import { ariaKeyShortcuts, SHORTCUTS } from '../../app/shortcuts';
import { useLeaveGuard } from '../../app/leave-guard';
import { useShortcuts } from '../../app/useShortcuts';
import type { View } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { IDENTITY_STATUS_KEYS, IdentityStatusBadge } from '../../components/IdentityStatusBadge';
import { Kbd } from '../../components/Kbd';
import { SelectField } from '../../components/SelectField';
import { TextAreaField } from '../../components/TextAreaField';
import { TextField } from '../../components/TextField';
import { formatBirthDate } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { parseDateInput } from '../../lib/date-input';
import { patientMainName } from '../../lib/patient-display';
import type {
  FieldProblem,
  FieldProblems,
  FormField,
  PatientFormState,
  PhoneKind,
} from './patient-form-model';
import {
  draftFromForm,
  emptyPatientForm,
  localProblems,
  localWarnings,
  PHONE_KINDS,
  patientFormFrom,
  problemsFromIssues,
} from './patient-form-model';
import { usePatientCheck } from './usePatientCheck';

const UI_PROBLEM_KEYS = {
  'ui:required': 'common.required',
  'ui:dateInvalid': 'patientForm.errors.dateInvalid',
  'ui:birthDateFuture': 'patientForm.errors.birthDateFuture',
  'ui:birthplaceFormat': 'patientForm.errors.birthplaceFormat',
  'ui:phoneFormat': 'patientForm.errors.phoneFormat',
} as const;

const PHONE_KIND_KEYS = {
  mobile: 'patientForm.phoneKinds.mobile',
  home: 'patientForm.phoneKinds.home',
  work: 'patientForm.phoneKinds.work',
  fax: 'patientForm.phoneKinds.fax',
  other: 'patientForm.phoneKinds.other',
} as const satisfies Record<PhoneKind, string>;

const MATCH_KEYS = { nir: 'patientForm.duplicate.nir', traits: 'patientForm.duplicate.traits' } as const;

/**
 * Create or edit a patient's identity. Every trait is checked as it is typed with the
 * shared parsers (NIR key, INS and OID, dates); the host is asked for duplicates; a save
 * that would create a likely duplicate needs a second, explicit confirmation.
 */
export function PatientForm(props: { readonly patientId?: string; readonly setView: (v: View) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [loaded, setLoaded] = useState<PatientView | null>(null);
  const [form, setForm] = useState<PatientFormState>(emptyPatientForm);
  const [touched, setTouched] = useState<ReadonlySet<FormField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [hostProblems, setHostProblems] = useState<FieldProblems>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDuplicate, setConfirmDuplicate] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const editing = props.patientId !== undefined;
  const release = useLeaveGuard(touched.size > 0);

  useEffect(() => {
    if (!props.patientId) return;
    let live = true;
    api
      .call('patients:get', { id: props.patientId })
      .then((r) => {
        if (!live) return;
        setLoaded(r.patient);
        setForm(patientFormFrom(r.patient, locale === 'de-DE' ? '.' : '/'));
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, props.patientId]);

  const today = parisDateOf(new Date());
  const problems = useMemo(() => localProblems(form, today), [form, today]);
  const warnings = useMemo(() => localWarnings(form), [form]);
  const draft = useMemo(() => draftFromForm(form, props.patientId), [form, props.patientId]);
  const readyToCheck = form.birthName.trim() !== '' && parseDateInput(form.birthDate) !== undefined;
  const check = usePatientCheck(draft, readyToCheck && (!editing || loaded !== null));
  const duplicates = check.duplicates.filter((d) => d.patient.id !== props.patientId);

  function set<K extends keyof PatientFormState>(key: K, value: PatientFormState[K], field: FormField): void {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((s) => (s.has(field) ? s : new Set(s).add(field)));
    setHostProblems((p) => ({ ...p, [field]: undefined }));
    setSaved(null);
  }

  function problemText(p: FieldProblem): string {
    return p.code in UI_PROBLEM_KEYS
      ? t(UI_PROBLEM_KEYS[p.code as keyof typeof UI_PROBLEM_KEYS])
      : errorText(p);
  }

  function errorOf(field: FormField): string | undefined {
    const p = hostProblems[field] ?? ((submitted || touched.has(field)) && problems[field]);
    return p ? problemText(p) : undefined;
  }

  function warningOf(field: FormField): string | undefined {
    const w: readonly ErrorPayload[] = warnings[field] ?? [];
    return w.length > 0 ? w.map((x) => errorText(x)).join(' ') : undefined;
  }

  async function save(e?: FormEvent): Promise<void> {
    e?.preventDefault();
    setSubmitted(true);
    setError(null);
    if (Object.keys(problems).length > 0) {
      focusFirstInvalid();
      return;
    }
    if (duplicates.length > 0 && !confirmDuplicate) {
      setConfirmDuplicate(true);
      return;
    }
    setBusy(true);
    try {
      const r = await api.call('patients:save', {
        draft,
        ...(loaded ? { expectedUpdatedAt: loaded.updatedAt } : {}),
      });
      setLoaded(r.patient);
      setForm(patientFormFrom(r.patient, locale === 'de-DE' ? '.' : '/'));
      setConfirmDuplicate(false);
      setTouched(new Set());
      setSaved(patientMainName(r.patient));
      if (!editing) {
        release();
        props.setView({ name: 'record', patientId: r.patient.id });
      }
    } catch (err) {
      setError(err);
      if (err instanceof ApiCallError && err.issues.length > 0) {
        setHostProblems(problemsFromIssues(err.issues));
        focusFirstInvalid();
      }
    } finally {
      setBusy(false);
    }
  }

  /** Someone changed the patient meanwhile: take their version (this form's edits are dropped). */
  async function reloadPatient(): Promise<void> {
    if (!props.patientId) return;
    try {
      const r = await api.call('patients:get', { id: props.patientId });
      setLoaded(r.patient);
      setForm(patientFormFrom(r.patient, locale === 'de-DE' ? '.' : '/'));
      setTouched(new Set());
      setHostProblems({});
      setError(null);
    } catch (err) {
      setError(err);
    }
  }

  function focusFirstInvalid(): void {
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );
  }

  useShortcuts({ save: () => void save() });

  const statusOptions: readonly IdentityStatus[] = loaded
    ? [loaded.identityStatus, ...allowedIdentityTransitions(loaded.identityStatus)]
    : IDENTITY_STATUSES;
  const invalidCount = Object.keys(problems).length;

  return (
    <section aria-labelledby="patient-form-title" className="patient-form">
      <div className="screen-header">
        <h1 id="patient-form-title" tabIndex={-1}>
          {editing ? t('patientForm.editTitle') : t('patientForm.newTitle')}
        </h1>
        {loaded ? <IdentityStatusBadge status={loaded.identityStatus} /> : null}
      </div>
      <form ref={formRef} onSubmit={(e) => void save(e)} noValidate>
        <fieldset>
          <legend>{t('patientForm.identity')}</legend>
          <div className="grid-2">
            <TextField
              label={t('patientForm.birthName')}
              value={form.birthName}
              onValue={(v) => set('birthName', v, 'birthName')}
              required
              autoFocus
              autoComplete="off"
              error={errorOf('birthName')}
            />
            <TextField
              label={t('patientForm.usedName')}
              value={form.usedName}
              onValue={(v) => set('usedName', v, 'usedName')}
              autoComplete="off"
              error={errorOf('usedName')}
            />
            <TextField
              label={t('patientForm.firstNames')}
              value={form.firstNames}
              onValue={(v) => set('firstNames', v, 'firstNames')}
              required
              autoComplete="off"
              hint={t('patientForm.firstNamesHint')}
              error={errorOf('firstNames')}
            />
            <TextField
              label={t('patientForm.usedFirstName')}
              value={form.usedFirstName}
              onValue={(v) => set('usedFirstName', v, 'usedFirstName')}
              autoComplete="off"
              error={errorOf('usedFirstName')}
            />
            <TextField
              label={t('patientForm.birthDate')}
              value={form.birthDate}
              onValue={(v) => set('birthDate', v, 'birthDate')}
              required
              inputMode="numeric"
              autoComplete="off"
              hint={t('common.dateHint')}
              error={errorOf('birthDate')}
              warning={warningOf('birthDate')}
            />
            <SelectField
              label={t('patientForm.sex')}
              value={form.sex}
              onValue={(v) => set('sex', v as PatientFormState['sex'], 'sex')}
              required
              options={[
                { value: '', label: t('patientForm.choose') },
                { value: 'F', label: t('patient.sex.F') },
                { value: 'M', label: t('patient.sex.M') },
                { value: 'U', label: t('patient.sex.U') },
              ]}
              error={errorOf('sex') ?? warningOf('sex')}
            />
            <TextField
              label={t('patientForm.birthplaceCode')}
              value={form.birthplaceCode}
              onValue={(v) => set('birthplaceCode', v, 'birthplaceCode')}
              hint={t('patientForm.birthplaceHint')}
              maxLength={5}
              autoComplete="off"
              error={errorOf('birthplaceCode')}
              warning={warningOf('birthplaceCode')}
            />
            <TextField
              label={t('patientForm.deceasedDate')}
              value={form.deceasedDate}
              onValue={(v) => set('deceasedDate', v, 'deceasedDate')}
              inputMode="numeric"
              autoComplete="off"
              hint={t('common.dateHint')}
              error={errorOf('deceasedDate')}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('patientForm.identifiers')}</legend>
          <div className="grid-2">
            <TextField
              label={t('patientForm.nir')}
              value={form.nir}
              onValue={(v) => set('nir', v, 'nir')}
              inputMode="numeric"
              autoComplete="off"
              className="mono"
              hint={t('patientForm.nirHint')}
              error={errorOf('nir')}
              warning={warningOf('nir')}
            />
            <SelectField
              label={t('patientForm.identityStatus')}
              value={form.identityStatus}
              onValue={(v) => set('identityStatus', v as IdentityStatus, 'identityStatus')}
              options={statusOptions.map((s) => ({
                value: s,
                label: `${s} — ${t(IDENTITY_STATUS_KEYS[s].label)}`,
              }))}
              hint={t(IDENTITY_STATUS_KEYS[form.identityStatus].description)}
              error={errorOf('identityStatus')}
            />
            <TextField
              label={t('patientForm.insMatricule')}
              value={form.insMatricule}
              onValue={(v) => set('insMatricule', v, 'ins')}
              inputMode="numeric"
              autoComplete="off"
              className="mono"
              hint={t('patientForm.insHint')}
              error={errorOf('ins')}
              warning={warningOf('ins')}
            />
            <SelectField
              label={t('patientForm.insOid')}
              value={form.insOid}
              onValue={(v) => set('insOid', v, 'ins')}
              options={[
                { value: INS_OID.NIR, label: t('patientForm.insOids.nir', { oid: INS_OID.NIR }) },
                { value: INS_OID.NIA, label: t('patientForm.insOids.nia', { oid: INS_OID.NIA }) },
              ]}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('patientForm.contact')}</legend>
          {form.phones.map((phone, i) => (
            <div className="grid-2" key={i}>
              <SelectField
                label={t('patientForm.phoneKind', { n: i + 1 })}
                value={phone.kind}
                onValue={(v) =>
                  set(
                    'phones',
                    form.phones.map((p, j) => (j === i ? { ...p, kind: v as PhoneKind } : p)),
                    'phones',
                  )
                }
                options={PHONE_KINDS.map((k) => ({ value: k, label: t(PHONE_KIND_KEYS[k]) }))}
              />
              <TextField
                label={t('patientForm.phone', { n: i + 1 })}
                type="tel"
                value={phone.number}
                onValue={(v) =>
                  set(
                    'phones',
                    form.phones.map((p, j) => (j === i ? { ...p, number: v } : p)),
                    'phones',
                  )
                }
                autoComplete="off"
                error={i === 0 ? errorOf('phones') : undefined}
              />
            </div>
          ))}
          {form.phones.length < 10 ? (
            <button
              type="button"
              onClick={() => set('phones', [...form.phones, { kind: 'mobile', number: '' }], 'phones')}
            >
              {t('patientForm.addPhone')}
            </button>
          ) : null}
          <div className="grid-2">
            <TextField
              label={t('patientForm.email')}
              type="email"
              value={form.email}
              onValue={(v) => set('email', v, 'email')}
              autoComplete="off"
              error={errorOf('email')}
            />
            <TextAreaField
              label={t('patientForm.address')}
              value={form.addressLines}
              onValue={(v) => set('addressLines', v, 'address')}
              error={errorOf('address')}
            />
            <TextField
              label={t('patientForm.postalCode')}
              value={form.postalCode}
              onValue={(v) => set('postalCode', v, 'address')}
              autoComplete="off"
            />
            <TextField
              label={t('patientForm.city')}
              value={form.city}
              onValue={(v) => set('city', v, 'address')}
              autoComplete="off"
            />
            <TextField
              label={t('patientForm.country')}
              value={form.country}
              onValue={(v) => set('country', v, 'address')}
              maxLength={2}
              hint={t('patientForm.countryHint')}
              autoComplete="off"
            />
            <TextField
              label={t('patientForm.treatingRpps')}
              value={form.treatingPractitionerRpps}
              onValue={(v) => set('treatingPractitionerRpps', v, 'treatingPractitionerRpps')}
              inputMode="numeric"
              autoComplete="off"
              error={errorOf('treatingPractitionerRpps')}
              warning={warningOf('treatingPractitionerRpps')}
            />
          </div>
        </fieldset>
        <DuplicateWarning
          duplicates={duplicates}
          confirming={confirmDuplicate}
          onOpen={(id) => props.setView({ name: 'record', patientId: id })}
          birth={(d) => formatBirthDate(d, locale)}
        />
        {submitted && invalidCount > 0 ? (
          <p role="alert" className="banner banner-error">
            {t('patientForm.fixErrors', { count: invalidCount })}
          </p>
        ) : null}
        <ErrorBanner message={error ? errorText(error) : undefined} />
        {error instanceof ApiCallError && error.code === 'PATIENT_CHANGED_ELSEWHERE' && props.patientId ? (
          <button type="button" onClick={() => void reloadPatient()}>
            {t('patientForm.reloadLatest')}
          </button>
        ) : null}
        {saved ? (
          <p role="status" className="banner banner-success">
            {t('patientForm.saved', { name: saved })}
          </p>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={busy}
            aria-busy={busy}
            aria-keyshortcuts={ariaKeyShortcuts(SHORTCUTS.save)}
          >
            {confirmDuplicate ? t('patientForm.saveAnyway') : t('common.save')}{' '}
            <Kbd shortcut={SHORTCUTS.save} />
          </button>
          <button
            type="button"
            onClick={() =>
              props.setView(
                props.patientId ? { name: 'record', patientId: props.patientId } : { name: 'patients' },
              )
            }
          >
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function DuplicateWarning(props: {
  readonly duplicates: readonly Duplicate[];
  readonly confirming: boolean;
  readonly onOpen: (id: string) => void;
  readonly birth: (date: string) => string;
}) {
  const { t } = useTranslation();
  if (props.duplicates.length === 0) return null;
  return (
    <div role={props.confirming ? 'alert' : 'status'} className="banner banner-warning duplicates">
      <p>
        <strong>{t('patientForm.duplicate.title', { count: props.duplicates.length })}</strong>
      </p>
      <ul>
        {props.duplicates.map((d) => (
          <li key={d.patient.id}>
            {patientMainName(d.patient)}, {props.birth(d.patient.birthDate)} — {t(MATCH_KEYS[d.match])}{' '}
            <button type="button" className="link" onClick={() => props.onOpen(d.patient.id)}>
              {t('patientForm.duplicate.open')}
            </button>
          </li>
        ))}
      </ul>
      {props.confirming ? <p>{t('patientForm.duplicate.confirm')}</p> : null}
    </div>
  );
}
