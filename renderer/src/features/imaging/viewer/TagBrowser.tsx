import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { useErrorText } from '../../../i18n/useLocale';
import { filterTags } from './tag-filter';
import type { TagRow, ViewerImageSource } from './viewer-types';
import { displayErrorOf } from './viewer-types';

/** The DICOM tags of the image shown, in a modal dialog with a search field. */
export function TagBrowser(props: {
  readonly imageId: string;
  readonly images: ViewerImageSource;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const titleId = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [rows, setRows] = useState<readonly TagRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  useEffect(() => {
    let live = true;
    props.images
      .tags(props.imageId)
      .then((r) => live && setRows(r))
      .catch((e: unknown) => live && setError(displayErrorOf(e)));
    return () => {
      live = false;
    };
  }, [props.images, props.imageId]);

  const shown = useMemo(() => filterTags(rows ?? [], query), [rows, query]);

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={props.onClose} className="dialog tag-browser">
      <h2 id={titleId}>{t('imaging.tags.title')}</h2>
      <label className="field">
        <span>{t('imaging.tags.search')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      </label>
      <ErrorBanner message={error ? errorText(error) : undefined} />
      {rows === null && !error ? <p role="status">{t('app.loading')}</p> : null}
      {rows !== null ? (
        <>
          <p role="status">{t('imaging.tags.count', { count: shown.length })}</p>
          <div
            className="table-scroll tag-table"
            tabIndex={0}
            role="region"
            aria-label={t('imaging.tags.title')}
          >
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('imaging.tags.tag')}</th>
                  <th scope="col">{t('imaging.tags.vr')}</th>
                  <th scope="col">{t('imaging.tags.name')}</th>
                  <th scope="col">{t('imaging.tags.value')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r, i) => (
                  <tr key={`${r.tag}-${i}`}>
                    <th scope="row" className="mono">
                      {r.tag}
                    </th>
                    <td className="mono">{r.vr}</td>
                    <td>{r.name}</td>
                    <td className="mono tag-value">{r.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <form method="dialog">
        <button type="submit">{t('common.close')}</button>
      </form>
    </dialog>
  );
}
