import { useEffect, useState } from 'react';
import type { Duplicate, PatientDraft } from '../../../../shared/src/api/contract';
import type { FieldIssue } from '../../../../shared/src/api/envelope';
import type { ErrorPayload } from '../../../../shared/src/errors';
import { useApi } from '../../api/ApiProvider';

export type PatientCheck = {
  readonly issues: readonly FieldIssue[];
  readonly warnings: readonly ErrorPayload[];
  readonly duplicates: readonly Duplicate[];
};

const EMPTY: PatientCheck = { issues: [], warnings: [], duplicates: [] };

/**
 * Asks the host, a moment after typing stops, what it thinks of the draft: duplicates of
 * NIR or traits among the patients of this workstation, and its own field checks.
 */
export function usePatientCheck(draft: PatientDraft, enabled: boolean, delayMs = 300): PatientCheck {
  const api = useApi();
  const [check, setCheck] = useState<PatientCheck>(EMPTY);
  const key = JSON.stringify(draft);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const timer = setTimeout(() => {
      api
        .call('patients:check', { draft: JSON.parse(key) as Record<string, unknown> })
        .then((r) => {
          if (live) setCheck(r);
        })
        .catch(() => undefined);
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, key, enabled, delayMs]);
  return enabled ? check : EMPTY;
}
