import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Kbd } from '../components/Kbd';
import type { ShortcutName, ViewerShortcutName } from './shortcuts';
import { SHORTCUTS, VIEWER_SHORTCUTS } from './shortcuts';

const LABEL_KEYS = {
  newPatient: 'shortcuts.newPatient',
  search: 'shortcuts.search',
  newConsultation: 'shortcuts.newConsultation',
  save: 'shortcuts.save',
  lock: 'shortcuts.lock',
  help: 'shortcuts.help',
} as const satisfies Record<ShortcutName, string>;

const VIEWER_LABEL_KEYS = {
  nextImage: 'shortcuts.viewer.nextImage',
  previousImage: 'shortcuts.viewer.previousImage',
  firstImage: 'shortcuts.viewer.firstImage',
  lastImage: 'shortcuts.viewer.lastImage',
  cine: 'shortcuts.viewer.cine',
  toolWindow: 'shortcuts.viewer.toolWindow',
  toolPan: 'shortcuts.viewer.toolPan',
  toolZoom: 'shortcuts.viewer.toolZoom',
  toolMeasure: 'shortcuts.viewer.toolMeasure',
  zoomIn: 'shortcuts.viewer.zoomIn',
  zoomOut: 'shortcuts.viewer.zoomOut',
  fileWindow: 'shortcuts.viewer.fileWindow',
  presetSoftTissue: 'shortcuts.viewer.presetSoftTissue',
  presetLung: 'shortcuts.viewer.presetLung',
  presetBone: 'shortcuts.viewer.presetBone',
  presetBrain: 'shortcuts.viewer.presetBrain',
  invert: 'shortcuts.viewer.invert',
  rotate: 'shortcuts.viewer.rotate',
  flipH: 'shortcuts.viewer.flipH',
  flipV: 'shortcuts.viewer.flipV',
  reset: 'shortcuts.viewer.reset',
  tags: 'shortcuts.viewer.tags',
} as const satisfies Record<ViewerShortcutName, string>;

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
      <table>
        <caption>{t('shortcuts.viewer.title')}</caption>
        <tbody>
          {(Object.keys(VIEWER_SHORTCUTS) as ViewerShortcutName[]).map((name) => (
            <tr key={name}>
              <th scope="row">{t(VIEWER_LABEL_KEYS[name])}</th>
              <td>
                <Kbd shortcut={VIEWER_SHORTCUTS[name]} announce />
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
