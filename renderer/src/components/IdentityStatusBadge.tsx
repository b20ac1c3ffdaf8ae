import { useTranslation } from 'react-i18next';
import type { IdentityStatus } from '../../../shared/src/schemas/identity-status';

export const IDENTITY_STATUS_KEYS = {
  PROV: { label: 'identity.status.PROV', description: 'identity.statusHelp.PROV' },
  VALI: { label: 'identity.status.VALI', description: 'identity.statusHelp.VALI' },
  RECUP: { label: 'identity.status.RECUP', description: 'identity.statusHelp.RECUP' },
  QUAL: { label: 'identity.status.QUAL', description: 'identity.statusHelp.QUAL' },
} as const satisfies Record<IdentityStatus, { label: string; description: string }>;

/** The RNIV status with its code (what vigilance procedures name) and its meaning. */
export function IdentityStatusBadge(props: { readonly status: IdentityStatus }) {
  const { t } = useTranslation();
  const keys = IDENTITY_STATUS_KEYS[props.status];
  return (
    <span className={`status-badge status-${props.status.toLowerCase()}`} title={t(keys.description)}>
      <abbr title={t(keys.description)}>{props.status}</abbr> {t(keys.label)}
    </span>
  );
}
