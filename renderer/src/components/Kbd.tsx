import { useTranslation } from 'react-i18next';
import type { Shortcut } from '../app/shortcuts';
import { shortcutLabel } from '../app/shortcuts';

/** The key combination of a shortcut, as shown next to the action it triggers. */
export function Kbd(props: { readonly shortcut: Shortcut }) {
  const { t } = useTranslation();
  return <kbd className="kbd">{shortcutLabel(props.shortcut, t('shortcuts.ctrl'), t('shortcuts.shift'))}</kbd>;
}
