import type { FormEvent, ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextAreaField } from '../../components/TextAreaField';
import { formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';

type Encounter = ApiResponse<'encounters:get'>['encounter'];
type Entry = Encounter['entries'][number];

const STATUS_KEYS = {
  planned: 'encounter.status.planned',
  'in-progress': 'encounter.status.inProgress',
  finished: 'encounter.status.finished',
  cancelled: 'encounter.status.cancelled',
  'entered-in-error': 'encounter.status.enteredInError',
} as const satisfies Record<Encounter['status'], string>;

/**
 * A consultation in the timeline: reason, notes and addenda. A signed entry is final (the
 * host fixes its hash); correcting it is an addendum that points at it.
 */
export function EncounterCard(props: {
  readonly encounter: Encounter;
  readonly onChanged: () => void;
  /** What the consultation recorded besides its notes (vitals, prescription). */
  readonly children?: ReactNode;
  /** Resume the consultation (shown while its note is not signed). */
  readonly onEdit?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const e = props.encounter;
  const notes = e.entries.filter((x) => x.kind === 'note');
  return (
    <article
      className="encounter"
      aria-label={t('encounter.label', { reason: e.reason || t('encounter.noReason') })}
    >
      <h3>
        {e.reason || t('encounter.noReason')} <span className="muted">({t(STATUS_KEYS[e.status])})</span>
      </h3>
      {props.onEdit && notes.some((n) => n.signedAt === undefined) ? (
        <button type="button" onClick={props.onEdit}>
          {t('encounter.edit')}
        </button>
      ) : null}
      {props.children}
      {notes.length === 0 ? <p className="muted">{t('encounter.noNote')}</p> : null}
      {notes.map((note) => (
        <EntryView
          key={note.id}
          encounterId={e.id}
          entry={note}
          addenda={e.entries.filter((x) => x.kind === 'addendum' && x.amends === note.id)}
          onChanged={props.onChanged}
        />
      ))}
    </article>
  );
}

function EntryView(props: {
  readonly encounterId: string;
  readonly entry: Entry;
  readonly addenda: readonly Entry[];
  readonly onChanged: () => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState(false);
  const { entry } = props;

  async function sign(entryId: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await api.call('encounters:sign', { encounterId: props.encounterId, entryId });
      props.onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="entry">
      <EntryText entry={entry} locale={locale} onSign={() => void sign(entry.id)} busy={busy} />
      {props.addenda.map((a) => (
        <div key={a.id} className="addendum">
          <p className="addendum-label">{t('encounter.addendum')}</p>
          <EntryText entry={a} locale={locale} onSign={() => void sign(a.id)} busy={busy} />
        </div>
      ))}
      <ErrorBanner message={error ? errorText(error) : undefined} />
      {entry.signedAt ? (
        adding ? (
          <AddendumForm
            encounterId={props.encounterId}
            amends={entry.id}
            onDone={() => {
              setAdding(false);
              props.onChanged();
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <button type="button" onClick={() => setAdding(true)}>
            {t('encounter.addAddendum')}
          </button>
        )
      ) : null}
    </div>
  );
}

function EntryText(props: {
  readonly entry: Entry;
  readonly locale: ReturnType<typeof useLocale>;
  readonly onSign: () => void;
  readonly busy: boolean;
}) {
  const { t } = useTranslation();
  const { entry } = props;
  return (
    <>
      <p className="entry-text">{entry.text}</p>
      <p className="entry-meta">
        {entry.signedAt ? (
          <span className="signed">
            <span aria-hidden="true">✔ </span>
            {t('encounter.signedAt', {
              when: formatDateTime(entry.signedAt, props.locale),
              rpps: entry.authorRpps,
            })}
          </span>
        ) : (
          <>
            <span className="unsigned">{t('encounter.unsigned')}</span>{' '}
            <button type="button" onClick={props.onSign} disabled={props.busy}>
              {t('encounter.sign')}
            </button>
          </>
        )}
      </p>
    </>
  );
}

function AddendumForm(props: {
  readonly encounterId: string;
  readonly amends: string;
  readonly onDone: () => void;
  readonly onCancel: () => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [text, setText] = useState('');
  const [sign, setSign] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setSubmitted(true);
    if (text.trim() === '') return;
    setBusy(true);
    try {
      await api.call('encounters:addendum', {
        encounterId: props.encounterId,
        amends: props.amends,
        text: text.trim(),
        sign,
      });
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="addendum-form" noValidate>
      <TextAreaField
        label={t('encounter.addendumText')}
        value={text}
        onValue={setText}
        autoFocus
        required
        error={submitted && text.trim() === '' ? t('common.required') : undefined}
      />
      <label className="checkbox">
        <input type="checkbox" checked={sign} onChange={(e) => setSign(e.target.checked)} />
        {t('encounter.signNow')}
      </label>
      <ErrorBanner message={error ? errorText(error) : undefined} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('encounter.saveAddendum')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
