import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Kbd } from '../components/Kbd';
import type { ShortcutName } from './shortcuts';
import { SHORTCUTS } from './shortcuts';

const LABEL_KEYS = {
  newPatient: 'shortcuts.newPatient',
  search: 'shortcuts.search',
  newConsultation: 'shortcuts.newConsultation',
  save: 'shortcuts.save',
  lock: 'shortcuts.lock',
  help: 'shortcuts.help',
} as const satisfies Record<ShortcutName, string>;

/** A modal list of the keyboard shortcuts (native <dialog>: focus trapped, Escape closes). */
export function ShortcutsHelp(props: { readonly onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="shortcuts-title" onClose={props.onClose} className="dialog">
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <table>
        <tbody>
          {(Object.keys(SHORTCUTS) as ShortcutName[]).map((name) => (
            <tr key={name}>
              <th scope="row">{t(LABEL_KEYS[name])}</th>
              <td>
                <Kbd shortcut={SHORTCUTS[name]} announce />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" autoFocus>
          {t('common.close')}
        </button>
      </form>
    </dialog>
  );
}
