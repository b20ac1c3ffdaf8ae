import { useCallback, useEffect, useState } from 'react';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { useApiEvent } from '../../api/useApiEvent';

type Patient = ApiResponse<'patients:get'>;
type Timeline = ApiResponse<'timeline:get'>;

/**
 * The patient (identity, for everyone who may see the patient) and, for clinical roles,
 * the timeline; both reloaded when the host says they changed (a save here, a pull from
 * the server).
 */
export function usePatientRecord(patientId: string, clinical: boolean) {
  const api = useApi();
  const [patient, setPatient] = useState<Patient | null>(null);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<unknown>(null);

  const loadPatient = useCallback(async () => {
    try {
      setPatient(await api.call('patients:get', { id: patientId }));
    } catch (e) {
      setError(e);
    }
  }, [api, patientId]);

  const loadTimeline = useCallback(async () => {
    if (!clinical) return;
    try {
      setTimeline(await api.call('timeline:get', { patientId }));
    } catch (e) {
      setError(e);
    }
  }, [api, patientId, clinical]);

  useEffect(() => {
    setPatient(null);
    setTimeline(null);
    setError(null);
    void loadPatient();
    void loadTimeline();
  }, [loadPatient, loadTimeline]);

  useApiEvent('patients:changed', (e) => {
    if (e.ids.length === 0 || e.ids.includes(patientId)) void loadPatient();
  });
  useApiEvent('encounters:changed', (e) => {
    if (e.patientIds.length === 0 || e.patientIds.includes(patientId)) void loadTimeline();
  });

  return { patient, timeline, error, reloadTimeline: loadTimeline };
}
