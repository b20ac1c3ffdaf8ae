import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent } from 'react';
import type { MouseEvent } from 'react';
import { memo, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientRow } from '../../../../shared/src/api/contract';
import { ariaKeyShortcuts, SHORTCUTS } from '../../app/shortcuts';
import { useShortcuts } from '../../app/useShortcuts';
import type { Role, View } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { IdentityStatusBadge } from '../../components/IdentityStatusBadge';
import { Kbd } from '../../components/Kbd';
import { formatBirthDate } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { formatNir, patientMainName, patientUsedNames } from '../../lib/patient-display';
import './patient-list.css';
import { usePatientSearch } from './usePatientSearch';

const ROW_HEIGHT = 48;
const SEX_KEYS = { F: 'patient.sexShort.F', M: 'patient.sexShort.M', U: 'patient.sexShort.U' } as const;
const SEX_FULL_KEYS = { F: 'patient.sex.F', M: 'patient.sex.M', U: 'patient.sex.U' } as const;

/**
 * The patient list is a combobox: focus stays in the search field while ↑ ↓ move through
 * the results (aria-activedescendant) and Enter opens the record. Only the rows in view
 * are in the DOM; each says its position among all results for screen readers.
 */
export function PatientList(props: {
  readonly role: Role;
  readonly setView: (v: View) => void;
  /** Kept by the shell, so coming back from a record finds the same search. */
  readonly query: string;
  readonly onQuery: (query: string) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const listId = useId();
  const hintId = useId();
  const { query, onQuery: setQuery } = props;
  const [active, setActive] = useState(0);
  const search = usePatientSearch(query);
  const total = search.total ?? 0;
  const input = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensureRange } = search;
  useEffect(() => {
    if (total > 0) ensureRange(first, last);
  }, [ensureRange, first, last, total]);
  const firstQuery = useRef(query);
  /** Enter pressed while the rows shown were an earlier query's. */
  const openWhenAnswered = useRef(false);
  useEffect(() => {
    if (query !== firstQuery.current) setActive(0);
    // Typing on after Enter: the record asked for is no longer that one.
    openWhenAnswered.current = false;
  }, [query]);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (search.busy || !openWhenAnswered.current) return;
    openWhenAnswered.current = false;
    if (total > 0) open(active);
    // Only when the answer comes (open and active are read then, as Enter would).
  }, [search.busy]);

  useShortcuts({ search: () => input.current?.focus() });

  function open(index: number): void {
    const row = search.rowAt(index);
    if (row) props.setView({ name: 'record', patientId: row.id });
  }

  function move(to: number): void {
    const next = Math.max(0, Math.min(total - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    const page = Math.max(
      1,
      Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1,
    );
    switch (e.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active - 1);
        break;
      case 'PageDown':
        move(active + page);
        break;
      case 'PageUp':
        move(active - page);
        break;
      case 'Enter':
        // The rows shown may be an earlier keystroke's: open once the text's own are there.
        if (search.busy) openWhenAnswered.current = true;
        else if (total > 0) open(active);
        break;
      case 'Escape':
        if (query === '') return;
        setQuery('');
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** One handler for all rows (delegation): rows stay memoised while the active one moves. */
  function indexOfEvent(e: MouseEvent): number | undefined {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    return el ? Number(el.dataset.index) : undefined;
  }

  const activeRow = total > 0 ? search.rowAt(active) : undefined;
  const activeId = activeRow ? `${listId}-${active}` : undefined;
  return (
    <section className="patients" aria-labelledby="patients-title">
      <div className="screen-header">
        <h1 id="patients-title" tabIndex={-1}>
          {t('patients.title')}
        </h1>
        <button
          type="button"
          className="primary"
          onClick={() => props.setView({ name: 'patient-new' })}
          aria-keyshortcuts={ariaKeyShortcuts(SHORTCUTS.newPatient)}
        >
          {t('patients.new')} <Kbd shortcut={SHORTCUTS.newPatient} />
        </button>
      </div>
      <div className="field search-field">
        <div className="field-label">
          <label htmlFor={`${listId}-input`}>{t('patients.search')}</label>
          <Kbd shortcut={SHORTCUTS.search} />
        </div>
        <input
          id={`${listId}-input`}
          ref={input}
          type="search"
          role="combobox"
          aria-expanded={total > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-describedby={hintId}
          aria-keyshortcuts={ariaKeyShortcuts(SHORTCUTS.search)}
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <p id={hintId} className="field-hint">
          {t('patients.searchHint')}
        </p>
      </div>
      {/* A newer query running keeps the results shown (marked busy) until its own replace them. */}
      <p role="status" aria-live="polite" className={`result-count${search.busy ? ' is-busy' : ''}`}>
        {search.total === null ? t('patients.searching') : t('patients.count', { count: total })}
      </p>
      <ErrorBanner message={search.error ? errorText(search.error) : undefined} />
      <div className="patient-list-header" aria-hidden="true">
        <span>{t('patients.columns.name')}</span>
        <span>{t('patients.columns.birthDate')}</span>
        <span>{t('patients.columns.sex')}</span>
        <span>{t('patients.columns.nir')}</span>
        <span>{t('patients.columns.status')}</span>
      </div>
      <div ref={scroller} className="patient-scroller">
        <div
          id={listId}
          role="listbox"
          aria-label={t('patients.results')}
          className="patient-listbox"
          aria-busy={search.busy}
          // The query of the rows shown (end-to-end tests and bench:ui wait for their own).
          data-query={search.query}
          style={{ height: virtualizer.getTotalSize() }}
          onClick={(e) => {
            const i = indexOfEvent(e);
            if (i !== undefined) open(i);
          }}
          onMouseMove={(e) => {
            const i = indexOfEvent(e);
            if (i !== undefined && i !== active) setActive(i);
          }}
        >
          {items.map((item) => {
            const row = search.rowAt(item.index);
            return (
              <PatientOption
                key={item.key}
                id={`${listId}-${item.index}`}
                row={row}
                index={item.index}
                total={total}
                selected={item.index === active}
                top={item.start}
                sexLabel={row ? t(SEX_KEYS[row.sex]) : ''}
                sexName={row ? t(SEX_FULL_KEYS[row.sex]) : ''}
                birth={row ? formatBirthDate(row.birthDate, locale) : ''}
                loadingLabel={t('patients.loadingRow')}
              />
            );
          })}
        </div>
      </div>
    </section>
  );
}

const PatientOption = memo(function PatientOption(props: {
  readonly id: string;
  readonly row: PatientRow | undefined;
  readonly index: number;
  readonly total: number;
  readonly selected: boolean;
  readonly top: number;
  readonly sexLabel: string;
  /** Read by screen readers instead of the one-letter column. */
  readonly sexName: string;
  readonly birth: string;
  readonly loadingLabel: string;
}) {
  const { row } = props;
  const used = row ? patientUsedNames(row) : {};
  return (
    <div
      id={props.id}
      role="option"
      aria-selected={props.selected}
      aria-setsize={props.total}
      aria-posinset={props.index + 1}
      className={`patient-option${props.selected ? ' is-active' : ''}`}
      // Positioned through CSSOM (allowed by the CSP), not a style attribute.
      style={{ transform: `translateY(${props.top}px)` }}
      data-index={props.index}
    >
      {row ? (
        <>
          <span className="patient-name">
            {patientMainName(row)}
            {used.usedName || used.usedFirstName ? (
              <span className="used-name">
                {' '}
                ({[used.usedName, used.usedFirstName].filter(Boolean).join(' ')})
              </span>
            ) : null}
          </span>
          <span>{props.birth}</span>
          <span>
            <span aria-hidden="true">{props.sexLabel}</span>
            <span className="visually-hidden">{props.sexName}</span>
          </span>
          <span className="mono">{row.nir ? formatNir(row.nir) : ''}</span>
          <IdentityStatusBadge status={row.identityStatus} />
        </>
      ) : (
        <span className="muted">{props.loadingLabel}</span>
      )}
    </div>
  );
});
