import type { FormEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROUTES } from '../../../../shared/src/schemas/prescription';
import { useApi } from '../../api/ApiProvider';
import { ariaKeyShortcuts, SHORTCUTS } from '../../app/shortcuts';
import { useLeaveGuard } from '../../app/leave-guard';
import { useShortcuts } from '../../app/useShortcuts';
import type { View } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Kbd } from '../../components/Kbd';
import { SelectField } from '../../components/SelectField';
import { TextAreaField } from '../../components/TextAreaField';
import { TextField } from '../../components/TextField';
import { useErrorText } from '../../i18n/useLocale';
import { patientMainName } from '../../lib/patient-display';
import { VITAL_LABEL_KEYS } from '../record/VitalsPanel';
import type {
  AllergyRow,
  ConsultationFormState,
  ConsultationProblem,
  LineRow,
  Route,
} from './consultation-model';
import {
  consultationDraft,
  consultationProblems,
  emptyAllergy,
  emptyConsultation,
  emptyLine,
  FORM_VITALS,
} from './consultation-model';

const ROUTE_KEYS = {
  oral: 'consultation.routes.oral',
  sublingual: 'consultation.routes.sublingual',
  buccal: 'consultation.routes.buccal',
  cutaneous: 'consultation.routes.cutaneous',
  transdermal: 'consultation.routes.transdermal',
  nasal: 'consultation.routes.nasal',
  ophthalmic: 'consultation.routes.ophthalmic',
  auricular: 'consultation.routes.auricular',
  inhalation: 'consultation.routes.inhalation',
  rectal: 'consultation.routes.rectal',
  vaginal: 'consultation.routes.vaginal',
  intravenous: 'consultation.routes.intravenous',
  intramuscular: 'consultation.routes.intramuscular',
  subcutaneous: 'consultation.routes.subcutaneous',
  other: 'consultation.routes.other',
} as const satisfies Record<Route, string>;

const SEVERITY_KEYS = {
  '': 'consultation.severity.unknown',
  mild: 'consultation.severity.mild',
  moderate: 'consultation.severity.moderate',
  severe: 'consultation.severity.severe',
} as const;
const CRITICALITY_KEYS = {
  low: 'timeline.criticality.low',
  high: 'timeline.criticality.high',
  'unable-to-assess': 'timeline.criticality.unknown',
} as const;

/**
 * A new consultation: reason, notes, vitals, allergies, prescription lines. Saved as one
 * encounter (its note an unsigned entry) with its observations, allergies and
 * prescription; "save and sign" signs the note at once.
 */
export function ConsultationForm(props: {
  readonly patientId: string;
  /** Resume a consultation whose note is not signed yet: reason and note only. */
  readonly encounterId?: string | undefined;
  readonly setView: (v: View) => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [patientName, setPatientName] = useState('');
  const [form, setForm] = useState<ConsultationFormState>(emptyConsultation);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const problems = useMemo(() => consultationProblems(form), [form]);
  const editing = props.encounterId !== undefined;
  const [savedId, setSavedId] = useState<string | undefined>(undefined);
  const [loaded, setLoaded] = useState(!editing);
  // What the form held when it opened (or was loaded): anything else is unsaved input.
  const [baseline, setBaseline] = useState(() => JSON.stringify(emptyConsultation()));
  const release = useLeaveGuard(loaded && JSON.stringify(form) !== baseline);

  useEffect(() => {
    if (!props.encounterId) return;
    let live = true;
    api
      .call('encounters:get', { id: props.encounterId })
      .then((r) => {
        if (!live) return;
        const draftNote = r.encounter.entries.find((x) => x.kind === 'note' && x.signedAt === undefined);
        setForm((f) => {
          const next = { ...f, reason: r.encounter.reason, note: draftNote?.text ?? '' };
          setBaseline(JSON.stringify(next));
          return next;
        });
        setLoaded(true);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, props.encounterId]);

  useEffect(() => {
    let live = true;
    api
      .call('patients:get', { id: props.patientId })
      .then((r) => live && setPatientName(patientMainName(r.patient)))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, props.patientId]);

  function problemText(field: string): string | undefined {
    if (!submitted) return undefined;
    const p = problems.find((x) => x.field === field);
    return p ? describe(p) : undefined;
  }

  function describe(p: ConsultationProblem): string {
    switch (p.key) {
      case 'required':
        return t('common.required');
      case 'number':
        return t('consultation.errors.number');
      case 'range':
        return t('consultation.errors.range', { min: p.min, max: p.max });
      case 'empty':
        return t('consultation.errors.empty');
    }
  }

  async function save(signNow: boolean, e?: FormEvent): Promise<void> {
    e?.preventDefault();
    setSubmitted(true);
    setError(null);
    if (problems.length > 0) {
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    setBusy(true);
    try {
      const draft = consultationDraft(props.patientId, form);
      // Once saved (even if signing then failed), the encounter exists: a new try updates it.
      const id = props.encounterId ?? savedId;
      const saved = await api.call('encounters:save', {
        draft: id ? { id, patientId: draft.patientId, reason: draft.reason, note: form.note.trim() } : draft,
      });
      setSavedId(saved.encounter.id);
      const note = saved.encounter.entries.find((x) => x.kind === 'note' && x.signedAt === undefined);
      if (signNow && note)
        await api.call('encounters:sign', { encounterId: saved.encounter.id, entryId: note.id });
      release();
      props.setView({ name: 'record', patientId: props.patientId });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  useShortcuts({ save: () => void save(false) });

  const setVital = (kind: (typeof FORM_VITALS)[number], v: string) =>
    setForm((f) => ({ ...f, vitals: { ...f.vitals, [kind]: v } }));
  const setAllergy = (i: number, patch: Partial<AllergyRow>) =>
    setForm((f) => ({ ...f, allergies: f.allergies.map((a, j) => (j === i ? { ...a, ...patch } : a)) }));
  const setLine = (i: number, patch: Partial<LineRow>) =>
    setForm((f) => ({ ...f, lines: f.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));

  return (
    <section aria-labelledby="consultation-title" className="consultation">
      <div className="screen-header">
        <h1 id="consultation-title" tabIndex={-1}>
          {editing
            ? t('consultation.editTitle', { name: patientName })
            : t('consultation.title', { name: patientName })}
        </h1>
      </div>
      {!loaded ? <p role="status">{t('app.loading')}</p> : null}
      <form ref={formRef} onSubmit={(e) => void save(false, e)} noValidate hidden={!loaded}>
        <TextField
          label={t('consultation.reason')}
          value={form.reason}
          onValue={(v) => setForm((f) => ({ ...f, reason: v }))}
          maxLength={500}
          autoFocus
        />
        <TextAreaField
          label={t('consultation.note')}
          value={form.note}
          onValue={(v) => setForm((f) => ({ ...f, note: v }))}
          rows={8}
        />
        {editing ? null : (
          <>
            <fieldset>
              <legend>{t('consultation.vitals')}</legend>
              <div className="grid-4">
                {FORM_VITALS.map((kind) => (
                  <TextField
                    key={kind}
                    label={t(VITAL_LABEL_KEYS[kind])}
                    inputMode="decimal"
                    value={form.vitals[kind]}
                    onValue={(v) => setVital(kind, v)}
                    error={problemText(`vitals.${kind}`)}
                    autoComplete="off"
                  />
                ))}
              </div>
            </fieldset>
            <fieldset>
              <legend>{t('consultation.allergies')}</legend>
              {form.allergies.map((a, i) => (
                <div
                  className="grid-4 row-group"
                  key={i}
                  role="group"
                  aria-label={t('consultation.allergyN', { n: i + 1 })}
                >
                  <TextField
                    label={t('consultation.substance')}
                    value={a.substance}
                    onValue={(v) => setAllergy(i, { substance: v })}
                    required
                    error={problemText(`allergies.${i}.substance`)}
                  />
                  <TextField
                    label={t('consultation.reaction')}
                    value={a.reaction}
                    onValue={(v) => setAllergy(i, { reaction: v })}
                  />
                  <SelectField
                    label={t('consultation.severityLabel')}
                    value={a.severity}
                    onValue={(v) => setAllergy(i, { severity: v as AllergyRow['severity'] })}
                    options={(Object.keys(SEVERITY_KEYS) as (keyof typeof SEVERITY_KEYS)[]).map((k) => ({
                      value: k,
                      label: t(SEVERITY_KEYS[k]),
                    }))}
                  />
                  <SelectField
                    label={t('consultation.criticality')}
                    value={a.criticality}
                    onValue={(v) => setAllergy(i, { criticality: v as AllergyRow['criticality'] })}
                    options={(Object.keys(CRITICALITY_KEYS) as (keyof typeof CRITICALITY_KEYS)[]).map(
                      (k) => ({
                        value: k,
                        label: t(CRITICALITY_KEYS[k]),
                      }),
                    )}
                  />
                  <button
                    type="button"
                    onClick={() =>
                      setForm((f) => ({ ...f, allergies: f.allergies.filter((_, j) => j !== i) }))
                    }
                  >
                    {t('consultation.removeAllergy', { n: i + 1 })}
                  </button>
                </div>
              ))}
              <button
                type="button"
                onClick={() => setForm((f) => ({ ...f, allergies: [...f.allergies, emptyAllergy()] }))}
              >
                {t('consultation.addAllergy')}
              </button>
            </fieldset>
            <fieldset>
              <legend>{t('consultation.prescription')}</legend>
              {form.lines.map((l, i) => (
                <div
                  className="grid-4 row-group"
                  key={i}
                  role="group"
                  aria-label={t('consultation.lineN', { n: i + 1 })}
                >
                  <TextField
                    label={t('consultation.medication')}
                    value={l.medication}
                    onValue={(v) => setLine(i, { medication: v })}
                    required
                    error={problemText(`lines.${i}.medication`)}
                  />
                  <TextField
                    label={t('consultation.dosage')}
                    value={l.dosage}
                    onValue={(v) => setLine(i, { dosage: v })}
                    required
                    error={problemText(`lines.${i}.dosage`)}
                  />
                  <TextField
                    label={t('consultation.quantity')}
                    value={l.quantity}
                    onValue={(v) => setLine(i, { quantity: v })}
                  />
                  <TextField
                    label={t('consultation.durationDays')}
                    inputMode="numeric"
                    value={l.durationDays}
                    onValue={(v) => setLine(i, { durationDays: v })}
                    error={problemText(`lines.${i}.durationDays`)}
                  />
                  <SelectField
                    label={t('consultation.route')}
                    value={l.route}
                    onValue={(v) => setLine(i, { route: v as LineRow['route'] })}
                    options={[
                      { value: '', label: t('consultation.routeNone') },
                      ...ROUTES.map((r) => ({ value: r, label: t(ROUTE_KEYS[r]) })),
                    ]}
                  />
                  <button
                    type="button"
                    onClick={() => setForm((f) => ({ ...f, lines: f.lines.filter((_, j) => j !== i) }))}
                  >
                    {t('consultation.removeLine', { n: i + 1 })}
                  </button>
                </div>
              ))}
              <button
                type="button"
                onClick={() => setForm((f) => ({ ...f, lines: [...f.lines, emptyLine()] }))}
              >
                {t('consultation.addLine')}
              </button>
              {form.lines.length > 0 ? (
                <TextField
                  label={t('consultation.renewals')}
                  inputMode="numeric"
                  value={form.renewals}
                  onValue={(v) => setForm((f) => ({ ...f, renewals: v }))}
                  error={problemText('renewals')}
                />
              ) : null}
            </fieldset>
          </>
        )}
        {submitted && problems.some((p) => p.key === 'empty') ? (
          <p role="alert" className="banner banner-error">
            {t('consultation.errors.empty')}
          </p>
        ) : null}
        <ErrorBanner message={error ? errorText(error) : undefined} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={busy}
            aria-busy={busy}
            aria-keyshortcuts={ariaKeyShortcuts(SHORTCUTS.save)}
          >
            {t('common.save')} <Kbd shortcut={SHORTCUTS.save} />
          </button>
          <button type="button" disabled={busy} onClick={() => void save(true)}>
            {t('consultation.saveAndSign')}
          </button>
          <button type="button" onClick={() => props.setView({ name: 'record', patientId: props.patientId })}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
