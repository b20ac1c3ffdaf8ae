import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditAction } from '../../../../shared/src/schemas/audit-event';

/**
 * Labels of the audit log's actions: the workstation's (AUDIT_ACTIONS) and those only the
 * server records (identity merges, reviews). An action this UI does not know yet is shown
 * as stored rather than hidden.
 */
export const ACTION_KEYS = {
  read: 'audit.actions.read',
  search: 'audit.actions.search',
  create: 'audit.actions.create',
  update: 'audit.actions.update',
  delete: 'audit.actions.delete',
  sign: 'audit.actions.sign',
  print: 'audit.actions.print',
  export: 'audit.actions.export',
  import: 'audit.actions.import',
  login: 'audit.actions.login',
  logout: 'audit.actions.logout',
  login_failed: 'audit.actions.loginFailed',
  break_glass: 'audit.actions.breakGlass',
  grant: 'audit.actions.grant',
  revoke: 'audit.actions.revoke',
  merge: 'vigilance.actions.merge',
  unmerge: 'vigilance.actions.unmerge',
  review: 'vigilance.actions.review',
} as const satisfies Record<AuditAction | 'merge' | 'unmerge' | 'review', string>;

export function useActionLabel(): (action: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (action: string) => {
      const key = (ACTION_KEYS as Readonly<Record<string, (typeof ACTION_KEYS)[keyof typeof ACTION_KEYS]>>)[action];
      return key ? t(key) : action;
    },
    [t],
  );
}
