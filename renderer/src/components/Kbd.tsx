import { useTranslation } from 'react-i18next';
import type { Shortcut } from '../app/shortcuts';
import { shortcutLabel } from '../app/shortcuts';

/**
 * The key combination of a shortcut, shown next to the action it triggers. Hidden from
 * the accessibility tree: the control carries it as aria-keyshortcuts, so its name stays
 * the action alone ("Nouveau patient", not "Nouveau patient Ctrl+N").
 */
export function Kbd(props: { readonly shortcut: Shortcut; readonly announce?: boolean }) {
  const { t } = useTranslation();
  return (
    <kbd className="kbd" aria-hidden={props.announce ? undefined : true}>
      {shortcutLabel(props.shortcut, t('shortcuts.ctrl'), t('shortcuts.shift'))}
    </kbd>
  );
}
