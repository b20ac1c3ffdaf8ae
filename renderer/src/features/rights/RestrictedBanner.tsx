import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiProvider';

/**
 * On a record frozen by a restriction (GDPR Art. 18): says so above the record, from the
 * list this workstation enforces (works offline). Changes are refused by the host anyway;
 * the banner tells the user why before they try, and that reading is for legal needs only.
 */
export function RestrictedBanner(props: { readonly patientId: string }) {
  const api = useApi();
  const { t } = useTranslation();
  const [restricted, setRestricted] = useState(false);
  useEffect(() => {
    let live = true;
    api.call('rights:restricted', {}).then(
      (r) => {
        if (live) setRestricted(r.restricted.some((x) => x.patientId === props.patientId));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, props.patientId]);
  if (!restricted) return null;
  return (
    <p className="banner banner-warning" role="status" data-testid="restricted-banner">
      {t('rights.restriction.banner')}
    </p>
  );
}
